"""The one finding type shared by spec validation, rendering checks and linting.

A finding says what is wrong, where (1-based line and column), and how to fix it.  It never
holds a secret: messages are written by configgen, never copied from a parser or validator that
might echo the input.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

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


@dataclass(frozen=True, order=True)
class Finding:
    """One problem in one file.

    Ordering is by file, then position, then rule, which is the order users read reports in.
    ``line`` and ``column`` are 1-based; 0 means "the whole file" (no position known).
    """

    path: str
    line: int
    column: int
    rule: str
    severity: Severity
    message: str
    json_path: JsonPath = field(default=(), compare=False)

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
