"""The one finding type shared by spec validation, rendering checks and linting.

A finding says what is wrong, where (1-based line and column), and how to fix it.  It never
holds a secret: messages are written by configgen, never copied from a parser or validator that
might echo the input.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

JsonPath = tuple[str | int, ...]


class Severity(enum.IntEnum):
    """How bad a finding is; ordered so that ``max()`` gives the worst."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    def __str__(self) -> str:
        return self.name.lower()


class ErrorKind(enum.Enum):
    """What stopped a file from being read; lint maps each kind to a rule id."""

    UNREADABLE = "unreadable"  # missing, a directory, no permission, not a regular file
    ENCODING = "encoding"  # not UTF-8 text, or binary
    SYNTAX = "syntax"  # not valid YAML or HOCON (or not what the consumer accepts)
    LIMIT = "limit"  # too large, too deeply nested, expands to too many values
    INCLUDE = "include"  # a HOCON include, which configgen never follows
    UNSAFE = "unsafe"  # readable, but configgen cannot edit it safely


class LocatedError(ValueError):
    """An error at a 1-based ``line``/``column`` (0: the whole input) with a safe ``message``.

    ``kind`` says what went wrong in a way code can test; the message is for people only and
    may be reworded freely.
    """

    def __init__(
        self, message: str, line: int = 0, column: int = 0, kind: ErrorKind = ErrorKind.SYNTAX
    ) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column
        self.kind = kind

    @property
    def position(self) -> Position:
        """``line`` and ``column`` as a ``Position``."""
        return Position(self.line, self.column)


class FindingsError(ValueError):
    """An input configgen refuses, with every reason as a positioned finding."""

    def __init__(self, findings: Sequence[Finding], summary: str = "") -> None:
        super().__init__(summary or f"{len(findings)} problem(s)")
        # in order, each once: two checks that fail for one reason say the same thing once
        self.findings = list(dict.fromkeys(findings))


class Position(NamedTuple):
    """A 1-based line and column in a file."""

    line: int
    column: int


class RuleInfo(NamedTuple):
    """What a lint rule checks: listed by ``configgen rules`` and in SARIF ``tool.driver.rules``."""

    id: str  # stable kebab-case identifier, e.g. "ttl-format"
    severity: Severity  # default severity of its findings
    summary: str  # one line
    doc: str  # the rule's documentation (its module docstring)


class Finding:
    """One problem in one file: immutable, compared and ordered without ``json_path``.

    Ordering is by file, then position, then rule, which is the order users read reports in.
    ``line`` and ``column`` are 1-based; 0 means "the whole file" (no position known).

    Written by hand rather than as a frozen data class: ``dataclasses`` imports ``inspect``,
    which costs a noticeable share of ``configgen lint``'s start-up (CONTRIBUTING).
    """

    FIELDS = ("path", "line", "column", "rule", "severity", "message", "json_path")
    __slots__ = ("column", "json_path", "line", "message", "path", "rule", "severity")
    path: str
    line: int
    column: int
    rule: str
    severity: Severity
    message: str
    json_path: JsonPath

    def __init__(
        self,
        path: str,
        line: int,
        column: int,
        rule: str,
        severity: Severity,
        message: str,
        json_path: JsonPath = (),
    ) -> None:
        for name, value in zip(self.FIELDS, (path, line, column, rule, severity, message,
                                                json_path), strict=True):  # fmt: skip
            object.__setattr__(self, name, value)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Finding is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Finding is immutable: cannot delete {name!r}")

    def _key(self) -> tuple[str, int, int, str, Severity, str]:
        return (self.path, self.line, self.column, self.rule, self.severity, self.message)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not Finding:
            return NotImplemented
        assert isinstance(other, Finding)
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __lt__(self, other: Finding) -> bool:
        return self._key() < other._key()

    def __le__(self, other: Finding) -> bool:
        return self._key() <= other._key()

    def __gt__(self, other: Finding) -> bool:
        return self._key() > other._key()

    def __ge__(self, other: Finding) -> bool:
        return self._key() >= other._key()

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.FIELDS)
        return f"Finding({fields})"

    def __reduce__(self) -> tuple[type[Finding], tuple[object, ...]]:
        return (Finding, tuple(getattr(self, name) for name in self.FIELDS))

    def replace(self, **changes: Any) -> Finding:
        """A copy with some fields changed (``dataclasses.replace`` for this class)."""
        values: dict[str, Any] = {name: getattr(self, name) for name in self.FIELDS}
        unknown = set(changes) - set(values)
        if unknown:
            raise TypeError(f"Finding has no field(s) {sorted(unknown)}")
        values.update(changes)
        return Finding(**values)

    @property
    def location(self) -> str:
        """``path:line:col`` as editors and CI systems parse it."""
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{max(self.column, 1)}"


def format_json_path(json_path: JsonPath) -> str:
    """Render a JSON path the way users write it: ``roles[0]``, ``a.b.c``."""
    text = ""
    for part in json_path:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text or "(document)"


def fails(findings: Iterable[Finding], *, strict: bool = False) -> bool:
    """The exit policy: True when any finding is an error (or, with ``strict``, a warning)."""
    threshold = Severity.WARNING if strict else Severity.ERROR
    return any(f.severity >= threshold for f in findings)


def sorted_findings(findings: Iterable[Finding]) -> Sequence[Finding]:
    """Findings in reading order, without exact duplicates."""
    return sorted(set(findings))
