"""One view of a parsed config file for the lint rules, whatever its format.

Rules ask a ``ConfigDocument`` for plain values (``get``), for where something was written
(``position``), and for format details (YAML scalar styles, HOCON nodes) through ``yaml`` or
``hocon``.  ``section`` is where the authentication settings live in this file, ``bootstrap``
where the bootstrap token block lives, both as JSON paths.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from configgen.findings import JsonPath, Position
from configgen.parsing.kinds import HELM, HOCON
from configgen.product import paths

if TYPE_CHECKING:
    from configgen.parsing.helm_yaml import YamlDocument
    from configgen.parsing.hocon import Merged


class ConfigDocument:
    """A parsed file: its plain data, positions, and where the interesting parts are.

    A plain class, not a data class: ``dataclasses`` is kept off the lint path (CONTRIBUTING).
    """

    __slots__ = ("bootstrap", "data", "hocon", "kind", "name", "section", "text", "yaml")

    def __init__(
        self,
        name: str,
        kind: str,
        text: str,
        data: Any,
        section: JsonPath,
        bootstrap: JsonPath,
        yaml: YamlDocument | None = None,
        hocon: Merged | None = None,
    ) -> None:
        self.name = name
        self.kind = kind
        self.text = text
        self.data = data
        self.section = section
        self.bootstrap = bootstrap
        self.yaml = yaml
        self.hocon = hocon

    def get(self, path: JsonPath) -> Any:
        """The plain value at ``path``, or ``None`` when any part is missing."""
        return lookup(self.data, path)[1]

    def has(self, path: JsonPath) -> bool:
        """True when every part of ``path`` exists (the value may be null)."""
        return lookup(self.data, path)[0]

    def position(self, path: JsonPath, *, key: bool = False) -> Position:
        """Where ``path`` (its key with ``key=True``) was written, or its nearest ancestor."""
        if self.yaml is not None:
            found: Position = self.yaml.position(path, key=key)
            return found
        if self.hocon is not None:
            return _hocon_position(self.hocon, path, key=key)
        return Position(1, 1)


def lookup(value: Any, path: JsonPath) -> tuple[bool, Any]:
    """``(True, value)`` at ``path`` in plain data, or ``(False, None)`` when a part is missing."""
    for part in path:
        if isinstance(value, dict) and isinstance(part, str) and part in value:
            value = value[part]
        elif isinstance(value, list) and isinstance(part, int) and 0 <= part < len(value):
            value = value[part]
        else:
            return False, None
    return True, value


def _hocon_position(merged: Merged, path: JsonPath, *, key: bool) -> Position:
    positions = merged.positions()
    for end in range(len(path), -1, -1):
        prefix = path[:end]
        if key and prefix and all(isinstance(p, str) for p in prefix):
            found = merged.key_position(tuple(str(p) for p in prefix))
            if found is not None:
                return found
        if prefix in positions:
            return positions[prefix]
    return Position(1, 1)


def from_yaml(name: str, text: str, document: YamlDocument) -> ConfigDocument:
    """A Helm values file."""
    return ConfigDocument(
        name,
        HELM,
        text,
        document.data,
        paths.HELM_AUTHENTICATION_PATH,
        paths.HELM_BOOTSTRAP_PATH,
        yaml=document,
    )


def from_hocon(name: str, text: str, merged: Merged) -> ConfigDocument:
    """A HOCON file in the full, nested, flat or short form."""
    data = merged.to_plain()
    section = hocon_section(data)
    bootstrap = (*section, *paths.BOOTSTRAP_SUFFIX)
    return ConfigDocument(name, HOCON, text, data, section, bootstrap, hocon=merged)


def hocon_section(data: Any) -> tuple[str, ...]:
    """Where the authentication section of a HOCON file is: the full path, or the documentation's
    short form at the root (the full path when the file has neither)."""
    for section in paths.HOCON_SECTIONS:
        if isinstance(lookup(data, section)[1], dict):
            return section
    return paths.HOCON_AUTHENTICATION_PATH
