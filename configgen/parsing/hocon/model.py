"""The HOCON syntax tree: what a document says, where it says it, nothing resolved.

Every node keeps the 1-based line and column where it starts, because lint findings must point
at the exact key or value.  Nodes are frozen so rules can share them freely.  ``render`` turns a
node back into HOCON text; it is how unresolved values (``${...}`` and concatenations holding
them) are shown to users without resolving anything.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import TypeAlias

from configgen.findings import ErrorKind, LocatedError, Position

__all__ = [
    "HBool",
    "HConcat",
    "HField",
    "HInclude",
    "HList",
    "HNull",
    "HNumber",
    "HObject",
    "HString",
    "HSubstitution",
    "HoconDocument",
    "HoconSyntaxError",
    "Value",
    "render",
    "render_path",
]


class HoconSyntaxError(LocatedError):
    """The text is not HOCON that Lightbend config would accept.

    ``message`` says what is wrong and how to fix it; it never quotes more than a character or
    two of the input, because configuration files hold secrets.  ``line`` and ``column`` are
    1-based.
    """

    def __init__(
        self, message: str, line: int, column: int, kind: ErrorKind = ErrorKind.SYNTAX
    ) -> None:
        super().__init__(message, line, column, kind)

    def __str__(self) -> str:
        return f"{self.line}:{self.column}: {self.message}"


@dataclass(frozen=True)
class HString:
    """A string; ``quoted`` when written with ``"..."`` or ``\"\"\"...\"\"\"``.

    A concatenation of plain values (``foo bar``, ``24h``) is folded into one HString, as
    Lightbend does; it counts as quoted when any of its pieces was quoted.
    """

    value: str
    quoted: bool
    pos: Position


@dataclass(frozen=True)
class HNumber:
    """A number as Lightbend reads it; ``text`` is the original spelling (``01``, ``1e3``)."""

    text: str
    value: int | float
    pos: Position


@dataclass(frozen=True)
class HBool:
    """``true`` or ``false`` (only lowercase; ``TRUE`` is a string)."""

    value: bool
    pos: Position


@dataclass(frozen=True)
class HNull:
    """``null``."""

    pos: Position


@dataclass(frozen=True)
class HSubstitution:
    """``${a.b}`` or ``${?a.b}``; ``path`` is the canonical path text, ``segments`` its keys."""

    path: str
    optional: bool
    pos: Position
    segments: tuple[str, ...] = field(default=(), compare=False, repr=False)


@dataclass(frozen=True)
class HConcat:
    """A value concatenation that still holds at least one substitution.

    Concatenations without substitutions are folded while parsing (strings joined, lists
    appended, objects merged), so an HConcat always needs resolution to have a value.
    """

    parts: tuple[Value, ...]
    pos: Position


@dataclass(frozen=True)
class HList:
    """``[...]``; ``pos`` is the opening bracket."""

    items: tuple[Value, ...]
    pos: Position


@dataclass(frozen=True)
class HField:
    """``path = value`` (or ``:``, ``{``, ``+=`` when ``append``).

    ``path`` holds the keys of the path expression (``a."b.c"`` is ``("a", "b.c")``);
    ``key_pos`` is where the first key starts and ``key_positions`` where each key starts;
    ``value_end`` is just after the value's last character (``None`` when not parsed from text).
    """

    path: tuple[str, ...]
    key_pos: Position
    value: Value
    append: bool
    key_positions: tuple[Position, ...] = field(default=(), compare=False, repr=False)
    value_end: Position | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class HObject:
    """``{...}`` with its fields in source order, duplicates kept (merging is merge.py's job)."""

    fields: tuple[HField, ...]
    pos: Position


@dataclass(frozen=True)
class HInclude:
    """An include directive.  Recorded, never followed.

    ``kind`` is ``"file"``, ``"url"``, ``"classpath"`` or ``"heuristic"`` (``include "x"``);
    ``resource`` is the quoted name; ``text`` a canonical spelling for messages.  ``scope`` is
    the path of the object the directive sits in (``()``: the root), so what it brings in
    lands under that path; ``None`` inside a list (or a ``+=`` value), whose objects set no
    path of the document.
    """

    text: str
    pos: Position
    kind: str = field(default="heuristic", compare=False)
    resource: str = field(default="", compare=False)
    required: bool = field(default=False, compare=False)
    scope: tuple[str, ...] | None = field(default=(), compare=False)


Value: TypeAlias = HString | HNumber | HBool | HNull | HSubstitution | HConcat | HList | HObject


@dataclass(frozen=True)
class HoconDocument:
    """A parsed file: the root object and every include directive, in source order."""

    root: HObject
    includes: tuple[HInclude, ...]


# A key that reads back as itself without quotes: nothing that starts a number-like token with
# reserved characters, no dots, no whitespace.
_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")


def render_path(segments: tuple[str, ...]) -> str:
    """A path expression that parses back to ``segments`` (``a."b.c"``)."""
    return ".".join(
        s if _BARE_KEY.fullmatch(s) and s != "include" else json.dumps(s, ensure_ascii=False)
        for s in segments
    )  # a bare `include` at the start of a field would be an include directive


def render(value: Value) -> str:
    """HOCON text with the same meaning as ``value`` (used for unresolved expressions)."""
    if isinstance(value, HString):
        return json.dumps(value.value, ensure_ascii=False) if value.quoted else value.value
    if isinstance(value, HNumber):
        return value.text
    if isinstance(value, HBool):
        return "true" if value.value else "false"
    if isinstance(value, HNull):
        return "null"
    if isinstance(value, HSubstitution):
        return "${" + ("?" if value.optional else "") + value.path + "}"
    if isinstance(value, HList):
        return "[" + ", ".join(render(item) for item in value.items) + "]"
    if isinstance(value, HObject):
        inner = ", ".join(
            f"{render_path(f.path)} {'+=' if f.append else '='} {render(f.value)}"
            for f in value.fields
        )
        return "{" + inner + "}"
    text = render(value.parts[0])
    for before, part in zip(value.parts, value.parts[1:], strict=False):
        # Whitespace next to a list or object is insignificant, so a space there only helps
        # reading; between other parts whitespace is a value and already a part of its own.
        spaced = isinstance(before, (HList, HObject)) or isinstance(part, (HList, HObject))
        text += (" " if spaced else "") + render(part)
    return text
