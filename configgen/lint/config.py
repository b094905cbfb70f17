"""Project configuration: ``.configgen.yaml`` or ``[tool.configgen]`` in ``pyproject.toml``.

Discovered upward from the working directory (the first directory holding either file wins;
``.configgen.yaml`` before ``pyproject.toml``).  Keys::

    product: suse-observability-2.3     # default --product
    require-token: true                 # default --require-token
    disable: [role-unknown]             # rules to silence
    severity: {token-weak: error}       # change a rule's severity (error, warning, info)
    max-file-size: 524288               # bytes; larger files get a "limit" finding
    max-depth: 100                      # nesting levels (can only be lowered)
    max-values: 200000                  # values a YAML document may expand to (aliases)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

from configgen.findings import ErrorKind, Severity
from configgen.parsing.limits import CONFIG_MAX_BYTES, DEFAULT, Limits
from configgen.product import profiles

if TYPE_CHECKING:
    from pathlib import Path

FILE_NAMES = (".configgen.yaml", "pyproject.toml")
_KEYS = ("product", "require-token", "disable", "severity", "max-file-size", "max-depth",
         "max-values")  # fmt: skip
_LIMITS = {"max-file-size": "max_bytes", "max-depth": "max_depth", "max-values": "max_values"}


class ConfigError(ValueError):
    """The project configuration is invalid; the message names the file and the fix."""


class ProjectConfig(NamedTuple):
    """Settings from a project file; ``source`` is where they came from (``None``: defaults)."""

    source: Path | None = None
    product: profiles.Profile | None = None
    require_token: bool | None = None
    disable: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = MappingProxyType({})
    limits: Limits = DEFAULT


def discover(start: str | os.PathLike[str]) -> Path | None:
    """The nearest configuration file at or above ``start``.

    Walks with ``os.path``: most repositories have no configuration, and ``lint`` should not pay
    for importing pathlib to find that out.
    """
    directory = os.path.abspath(start)
    while True:
        for name in FILE_NAMES:
            candidate = os.path.join(directory, name)
            if os.path.isfile(candidate) and (name != FILE_NAMES[1] or _has_tool_table(candidate)):
                from pathlib import Path

                return Path(candidate)
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def load(path: Path, known_rules: frozenset[str]) -> ProjectConfig:
    """Read and check one configuration file (a regular file, at most ``CONFIG_MAX_BYTES``,
    nested at most ``DEFAULT.max_depth`` levels: it may come with the pull request)."""
    from configgen.parsing import sources

    try:
        raw = sources.read_file(str(path), limit=CONFIG_MAX_BYTES)
    except sources.InputError as err:
        raise ConfigError(f"{path}: cannot read ({err.message})") from None
    table = _toml_table(path, raw) if path.name.endswith(".toml") else _yaml_table(path, raw)
    return _build(path, table, known_rules)


def _has_tool_table(path: str) -> bool:
    """True when ``path`` has a ``tool.configgen`` table, however TOML spells it (or cannot be
    read as TOML, for ``load`` to report)."""
    from configgen.parsing import sources

    try:
        raw = sources.read_file(path, limit=CONFIG_MAX_BYTES)
    except sources.InputError as err:
        return err.kind is ErrorKind.LIMIT  # too large: let load() report it
    # Any spelling names "configgen" in the text, or escapes it (tool."config\u0067en").
    if b"configgen" not in raw and b"\\u" not in raw and b"\\U" not in raw:
        return False
    try:
        data = _parse_toml(raw)
    except ValueError:
        return True  # let load() report the broken file
    tool = data.get("tool")
    return isinstance(tool, dict) and "configgen" in tool


def _parse_toml(raw: bytes) -> dict[str, Any]:
    try:
        import tomllib
    except ModuleNotFoundError:  # pragma: no cover - Python 3.10
        import tomli as tomllib  # type: ignore[no-redef,import-not-found,unused-ignore]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise ValueError(str(err)) from None
    # tomllib recurses once per nested array or inline table: thousands of '[' exhaust the
    # stack (RecursionError).  Counted first, so such a file is refused before any parsing.
    if toml_nesting(text) > DEFAULT.max_depth:
        raise ValueError(f"nested deeper than {DEFAULT.max_depth} levels")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ValueError(str(err)) from None
    except RecursionError:  # pragma: no cover - toml_nesting refuses such files first
        raise ValueError(f"nested deeper than {DEFAULT.max_depth} levels") from None


def toml_nesting(text: str) -> int:
    """How deep arrays and inline tables nest in TOML ``text`` (brackets outside strings and
    comments; table headers count while they are open).  Meant for refusing hostile files
    before parsing: valid TOML is counted exactly, invalid TOML roughly."""
    depth = deepest = 0
    index, end = 0, len(text)
    while index < end:
        char = text[index]
        if char == "#":
            newline = text.find("\n", index)
            index = end if newline < 0 else newline
        elif char in "\"'":
            index = _string_end(text, index)
            continue
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(depth - 1, 0)
        index += 1
    return deepest


def _string_end(text: str, start: int) -> int:
    """The index after the TOML string starting at ``start`` (or the end of its line)."""
    quote = text[start]
    delimiter = quote * 3 if text.startswith(quote * 3, start) else quote
    index = start + len(delimiter)
    while index < len(text):
        if quote == '"' and text[index] == "\\":
            index += 2
        elif text.startswith(delimiter, index):
            return index + len(delimiter)
        elif len(delimiter) == 1 and text[index] == "\n":
            return index
        else:
            index += 1
    return index


def _toml_table(path: Path, raw: bytes) -> dict[str, Any]:
    try:
        data = _parse_toml(raw)
    except ValueError as err:
        raise ConfigError(f"{path}: not valid TOML ({err})") from None
    tool = data.get("tool", {})
    if not isinstance(tool, dict):
        raise ConfigError(f"{path}: [tool] must be a table")
    table = tool.get("configgen", {})
    if not isinstance(table, dict):
        raise ConfigError(f"{path}: [tool.configgen] must be a table")
    return table


def _yaml_table(path: Path, raw: bytes) -> dict[str, Any]:
    from configgen.parsing import helm_yaml, sources

    try:
        data = helm_yaml.load(sources.decode(raw)).data
    except (sources.InputError, helm_yaml.YamlError) as err:
        raise ConfigError(f"{path}: {err}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: must be a mapping of {', '.join(_KEYS)}")
    return data


def _build(path: Path, table: dict[str, Any], known_rules: frozenset[str]) -> ProjectConfig:
    unknown = [k for k in table if k not in _KEYS]
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r}; allowed: {', '.join(_KEYS)}")
    product = None
    if "product" in table:
        try:
            product = profiles.parse(str(table["product"]))
        except profiles.ProfileError as err:
            raise ConfigError(f"{path}: {err}") from None
    require = table.get("require-token")
    if require is not None and not isinstance(require, bool):
        raise ConfigError(f"{path}: require-token must be true or false")
    disable = table.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(r, str) for r in disable):
        raise ConfigError(f"{path}: disable must be a list of rule ids")
    severity_table = table.get("severity", {})
    if not isinstance(severity_table, dict):
        raise ConfigError(f"{path}: severity must map rule ids to error, warning or info")
    severities: dict[str, Severity] = {}
    for rule_id, level in severity_table.items():
        if str(level).upper() not in Severity.__members__:
            raise ConfigError(f"{path}: severity of {rule_id}: use error, warning or info")
        severities[rule_id] = Severity[str(level).upper()]
    for rule_id in [*disable, *severities]:
        if rule_id not in known_rules:
            raise ConfigError(f"{path}: unknown rule {rule_id!r} (configgen rules lists them)")
    from configgen.rules.reading import UNCHECKED, UNCHECKED_MESSAGE

    lowered_rules = [r for r, level in severities.items() if level is not Severity.ERROR]
    for rule_id in [*disable, *lowered_rules]:
        if rule_id in UNCHECKED:
            raise ConfigError(f"{path}: {rule_id} {UNCHECKED_MESSAGE}")
    lowered: dict[str, int] = {}
    for key, attribute in _LIMITS.items():
        if key in table:
            value = table[key]
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ConfigError(f"{path}: {key} must be a positive whole number")
            # A configuration file may come with the pull request being linted: it can make
            # the limits stricter, never looser.
            lowered[attribute] = value
    limits = DEFAULT.tightened(**lowered)
    return ProjectConfig(path, product, require, frozenset(disable), severities, limits)
