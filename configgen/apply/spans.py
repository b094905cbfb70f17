"""Line-exact text surgery shared by the YAML and HOCON editors of ``configgen apply``.

An edit is a list of ``Span`` s: ranges of whole lines of the old text and the lines that take
their place.  Everything outside the spans is copied byte for byte, so comments, quoting, key
order, indentation and line endings elsewhere cannot change.  New lines use the file's own line
ending, and a file without a final line break keeps lacking one.
"""

from __future__ import annotations

import bisect
import math
import re
from dataclasses import dataclass, field
from typing import Any

from configgen.findings import ErrorKind, LocatedError

# What YAML (ruamel, yaml.v2) counts as a line break; HOCON only knows "\n" (a lone "\r" is
# whitespace there), but a file that mixes them is refused before it gets here.
BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


class EditError(LocatedError):
    """The file cannot be edited safely; ``line``/``column`` are 1-based (0: whole file)."""

    def __init__(
        self, message: str, line: int = 0, column: int = 0, kind: ErrorKind = ErrorKind.UNSAFE
    ) -> None:
        super().__init__(message, line, column, kind)


@dataclass(frozen=True)
class Span:
    """Replace ``old[start:end]`` (whole lines, or an empty range at a line start) by ``text``."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Edit:
    """The new text, what changed (``old``/``new`` character ranges, in order), notes, and
    the managed values the new text must read back as (``wrote``)."""

    text: str
    old_ranges: tuple[tuple[int, int], ...] = ()
    new_ranges: tuple[tuple[int, int], ...] = ()
    notes: tuple[str, ...] = field(default=())
    wrote: Any = None


def newline_of(text: str) -> str:
    """The line ending the file uses (its first one; ``\\n`` when it has none)."""
    match = BREAK.search(text)
    return match.group(0) if match and match.group(0) in ("\r\n", "\r") else "\n"


def ends_with_break(text: str) -> bool:
    """True when the last line is terminated (an empty text counts as terminated)."""
    return not text or BREAK.fullmatch(text[-1]) is not None


class Lines:
    """Line starts of a text, for moving between character offsets and whole lines."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0] + [m.end() for m in BREAK.finditer(text)]
        self._start_set = frozenset(self.starts)

    def start_of(self, index: int) -> int:
        """The start of the line holding ``index``."""
        return self.starts[bisect.bisect_right(self.starts, index) - 1]

    def after(self, index: int) -> int:
        """The start of the line after the one where the character before ``index`` sits."""
        if index in self._start_set:
            return index
        position = bisect.bisect_right(self.starts, index)
        return self.starts[position] if position < len(self.starts) else len(self.text)

    def position(self, index: int) -> tuple[int, int]:
        """1-based line and column of ``index``."""
        line = bisect.bisect_right(self.starts, index)
        return line, index - self.starts[line - 1] + 1

    def only_blanks_before(self, index: int) -> bool:
        """True when ``index`` is the first non-blank character of its line."""
        return self.text[self.start_of(index) : index].strip(" \t") == ""


def splice(
    old: str, spans: list[Span], *, newline: str | None = None, terminated: bool | None = None
) -> Edit:
    """Apply non-overlapping ``spans``; a missing final line break stays missing.

    ``newline`` and ``terminated`` default to what YAML sees in ``old`` (HOCON passes its own).
    """
    newline = newline or newline_of(old)
    terminated = ends_with_break(old) if terminated is None else terminated
    ordered: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        if ordered and ordered[-1].end == span.start:  # adjacent: one span
            ordered[-1] = Span(ordered[-1].start, span.end, ordered[-1].text + span.text)
        else:
            ordered.append(span)
    if old and not terminated and ordered and ordered[-1].end == len(old):
        ordered = _keep_unterminated(old, ordered, newline)
    pieces: list[str] = []
    old_ranges: list[tuple[int, int]] = []
    new_ranges: list[tuple[int, int]] = []
    cursor = length = 0
    for span in ordered:
        if span.start < cursor:
            raise EditError("internal error: overlapping edits")
        pieces += [old[cursor : span.start], span.text]
        length += span.start - cursor
        old_ranges.append((span.start, span.end))
        new_ranges.append((length, length + len(span.text)))
        length += len(span.text)
        cursor = span.end
    pieces.append(old[cursor:])
    return Edit("".join(pieces), tuple(old_ranges), tuple(new_ranges))


def _keep_unterminated(old: str, spans: list[Span], newline: str) -> list[Span]:
    """Adjust the last span so that a file without a final line break stays without one."""
    *rest, last = spans
    if last.text:
        text = last.text.removesuffix(newline)
        if last.start == last.end == len(old):
            text = newline + text  # inserted after the unterminated last line
        return [*rest, Span(last.start, last.end, text)]
    # Deleting the last line: the line break that ends the kept line before it goes too.
    start = last.start
    for size in (2, 1):
        if start >= size and BREAK.fullmatch(old[start - size : start]):
            start -= size
            break
    return [*rest, Span(start, last.end, "")]


def same(actual: Any, expected: Any) -> bool:
    """Equal values of equal types, all the way down (``True`` is not ``1``; NaN equals NaN)."""
    if type(actual) is not type(expected):
        return False
    if isinstance(expected, dict):
        return actual.keys() == expected.keys() and all(
            same(actual[k], v) for k, v in expected.items()
        )
    if isinstance(expected, list):
        return len(actual) == len(expected) and all(map(same, actual, expected))
    if isinstance(expected, float) and math.isnan(expected):
        return math.isnan(actual)
    return bool(actual == expected)
