"""Write nested Python data as YAML (yamllint's default style) or HOCON (the style of
``application_stackstate.conf``), with the few constructs the inputs need beyond JSON types:
comment lines, literal blocks, verbatim HOCON values, and YAML anchors, aliases and merge keys.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass


class Comment(str):
    """A mapping key that is emitted as a comment line (its value is ignored)."""

    __slots__ = ()


class Verbatim(str):
    """A YAML mapping key written as it is, never quoted: the merge key ``<<``."""

    __slots__ = ()


MERGE = Verbatim("<<")


@dataclass(frozen=True)
class Block:
    """A literal block scalar (``key: |``) in YAML, a triple-quoted string in HOCON."""

    text: str


@dataclass(frozen=True)
class Raw:
    """A value emitted verbatim (HOCON durations, substitutions)."""

    text: str


@dataclass(frozen=True)
class Alias:
    """A YAML alias, ``*name``."""

    name: str


@dataclass(frozen=True)
class Anchored:
    """A YAML mapping or sequence with an anchor, ``key: &name`` and the value below it."""

    name: str
    value: dict[str, object] | list[object]


# --------------------------------------------------------------------------------------------
# YAML (yamllint default style: 2-space indentation, indented sequences, <= 80 columns)

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9._/-]*$")
_YAML11_WORDS = {
    "y", "n", "yes", "no", "on", "off", "true", "false", "null", "nil", "none", "~",
}  # fmt: skip


def yaml_scalar(value: object) -> str:
    """A scalar as YAML: plain when YAML 1.1 reads it back as the same string, else quoted."""
    if value is None:
        return "null"
    if isinstance(value, Alias):
        return f"*{value.name}"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    text = str(value)
    if _PLAIN.match(text) and text.lower() not in _YAML11_WORDS:
        return text
    return json.dumps(text)


def yaml_lines(value: object, indent: int) -> Iterator[str]:
    """The lines of a mapping or sequence, ``indent`` spaces in."""
    if isinstance(value, dict):
        yield from _yaml_mapping(value, indent)
    elif isinstance(value, list):
        yield from _yaml_sequence(value, indent)
    else:
        raise TypeError(value)


def _yaml_mapping(value: dict[str, object], indent: int) -> Iterator[str]:
    pad = " " * indent
    for key, item in value.items():
        if isinstance(key, Comment):
            yield f"{pad}# {key}"
            continue
        head = f"{pad}{key if isinstance(key, Verbatim) else yaml_scalar(key)}:"
        if isinstance(item, Anchored):
            yield f"{head} &{item.name}"
            yield from yaml_lines(item.value, indent + 2)
        elif isinstance(item, Block):
            yield f"{head} |"
            yield from (f"{pad}  {line}" if line else "" for line in item.text.splitlines())
        elif isinstance(item, (dict, list)) and item:
            yield head
            yield from yaml_lines(item, indent + 2)
        elif isinstance(item, (dict, list)):
            yield f"{head} {'{}' if isinstance(item, dict) else '[]'}"
        else:
            yield f"{head} {yaml_scalar(item)}"


def _yaml_sequence(value: list[object], indent: int) -> Iterator[str]:
    pad = " " * indent
    for item in value:
        if isinstance(item, dict) and item:
            lines = list(yaml_lines(item, indent + 2))
            yield f"{pad}- {lines[0].lstrip()}"
            yield from lines[1:]
        else:
            yield f"{pad}- {yaml_scalar(item)}"


def to_yaml(data: dict[str, object], header: list[str]) -> str:
    """A YAML document: ``---``, the header as comments, the data."""
    lines = ["---", *(f"# {h}" for h in header), *yaml_lines(data, 0)]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# HOCON (the style of application_stackstate.conf)


def _hocon_scalar(value: object) -> str:
    if isinstance(value, Raw):
        return value.text
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, list):
        return "[" + ", ".join(_hocon_scalar(v) for v in value) + "]"
    return json.dumps(str(value))


def hocon_lines(value: dict[str, object], indent: int) -> Iterator[str]:
    """The lines of a HOCON object's fields, ``indent`` spaces in."""
    pad = " " * indent
    for key, item in value.items():
        if isinstance(key, Comment):
            yield f"{pad}{'//' if len(key) % 2 else '#'} {key}"
        elif isinstance(item, dict):
            yield f"{pad}{key} {{"
            yield from hocon_lines(item, indent + 2)
            yield f"{pad}}}"
        elif isinstance(item, Block):
            yield f'{pad}{key} = """{item.text}"""'
        elif isinstance(item, list) and item and isinstance(item[0], dict):
            yield f"{pad}{key} = ["
            for entry in item:
                yield f"{pad}  {{"
                yield from hocon_lines(entry, indent + 4)
                yield f"{pad}  }}"
            yield f"{pad}]"
        else:
            yield f"{pad}{key} = {_hocon_scalar(item)}"


def to_hocon(data: dict[str, object], header: list[str]) -> str:
    """A HOCON file: the header as ``#`` comments, the data."""
    lines = [*(f"# {h}" for h in header), *hocon_lines(data, 0)]
    return "\n".join(lines) + "\n"
