"""Unified diffs of a planned change, with secrets redacted by meaning.

``configgen apply --diff`` shows what would change, and a diff must never show a secret: not the
new token, not the one the file held before, not an LDAP password that happens to sit in the
context lines.  A value is secret because of the key it sits under (``messages.is_secret_key``),
whatever its style or line span; the editors find those values in their parse of each text and
pass their character ranges here.  Each range is masked line by line (``<redacted>``, the
indentation kept), so a diff keeps the file's line numbers; the known token values are replaced
wherever else they appear, as a last line of defence.

The diff itself is computed from the ranges apply changed -- everything outside them is
identical by construction -- so its cost follows the change, not the file: ``difflib`` only
aligns the lines inside each changed region.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import Literal

from configgen.apply.spans import BREAK
from configgen.messages import printable

REDACTED = "<redacted>"
CONTEXT = 3

Range = tuple[int, int]
Opcode = tuple[Literal["replace", "delete", "insert", "equal"], int, int, int, int]


class Redaction:
    """What to hide: secret ranges of the old and the new text, and known secret strings."""

    def __init__(
        self, old: Sequence[Range] = (), new: Sequence[Range] = (), values: Sequence[str] = ()
    ) -> None:
        self.old = tuple(old)
        self.new = tuple(new)
        self.values = tuple(sorted((v for v in values if v), key=len, reverse=True))


def unified_diff(
    old: str,
    new: str,
    before: str,
    after: str,
    changes: Sequence[tuple[Range, Range]],
    redaction: Redaction | None = None,
) -> str:
    """``diff -u`` of two texts that differ only inside ``changes`` (pairs of old and new
    character ranges, in order).  With ``redaction`` secrets show as ``<redacted>`` and control
    characters in the shown lines are escaped."""
    old_lines, new_lines = _split(old), _split(new)
    opcodes = _opcodes(old_lines, new_lines, _line_spans(old, new, changes))
    if redaction is None:
        shown_old, shown_new = old_lines, new_lines
    else:
        shown_old = [_shown(line, redaction) for line in _split(_masked(old, redaction.old))]
        shown_new = [_shown(line, redaction) for line in _split(_masked(new, redaction.new))]
    out: list[str] = []
    for group in _Grouped(opcodes).get_grouped_opcodes(CONTEXT):
        if not out:
            out += [f"--- {before}\n", f"+++ {after}\n"]
        first, last = group[0], group[-1]
        out.append(f"@@ -{_range(first[1], last[2])} +{_range(first[3], last[4])} @@\n")
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                out += [_line(" ", old_lines[i], shown_old[i]) for i in range(i1, i2)]
                continue
            out += [_line("-", old_lines[i], shown_old[i]) for i in range(i1, i2)]
            out += [_line("+", new_lines[j], shown_new[j]) for j in range(j1, j2)]
    return "".join(out)


class _Grouped(difflib.SequenceMatcher[str]):
    """difflib's grouping of opcodes into hunks, for opcodes computed here."""

    def __init__(self, opcodes: list[Opcode]) -> None:
        super().__init__(None, "", "")
        self.known = opcodes

    def get_opcodes(self) -> list[Opcode]:
        return self.known


def _split(text: str) -> list[str]:
    """Lines with their line breaks, split where YAML and the editors split them."""
    starts = [0] + [m.end() for m in BREAK.finditer(text)]
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True) if a < b]


def _line_spans(old: str, new: str, changes: Sequence[tuple[Range, Range]]) -> list[list[int]]:
    """``[a1, a2, b1, b2]``: the old and new line spans of each change, merged where they
    touch a line in common."""
    old_starts = [0] + [m.end() for m in BREAK.finditer(old)]
    new_starts = [0] + [m.end() for m in BREAK.finditer(new)]
    spans: list[list[int]] = []
    for (a, b), (c, d) in changes:
        span = [*_lines(old_starts, a, b), *_lines(new_starts, c, d)]
        if spans and (span[0] <= spans[-1][1] or span[2] <= spans[-1][3]):
            spans[-1][1] = max(spans[-1][1], span[1])
            spans[-1][3] = max(spans[-1][3], span[3])
        else:
            spans.append(span)
    return spans


def _lines(starts: list[int], start: int, end: int) -> tuple[int, int]:
    import bisect

    first = bisect.bisect_right(starts, start) - 1
    last = bisect.bisect_right(starts, end - 1) if end > start else first
    if end == start and starts[first] != start:  # an empty range inside a line: that line
        last = first + 1
    return first, max(last, first)


def _opcodes(old_lines: list[str], new_lines: list[str], spans: list[list[int]]) -> list[Opcode]:
    opcodes: list[Opcode] = []
    i = j = 0
    for a1, a2, b1, b2 in spans:
        if a1 > i:
            opcodes.append(("equal", i, a1, j, b1))
        inner = difflib.SequenceMatcher(None, old_lines[a1:a2], new_lines[b1:b2], autojunk=False)
        for tag, i1, i2, j1, j2 in inner.get_opcodes():
            opcodes.append((tag, a1 + i1, a1 + i2, b1 + j1, b1 + j2))
        i, j = a2, b2
    if i < len(old_lines):
        opcodes.append(("equal", i, len(old_lines), j, len(new_lines)))
    return opcodes


def _range(start: int, stop: int) -> str:
    """difflib's ``_format_range_unified``."""
    beginning, length = start + 1, stop - start
    if length == 1:
        return str(beginning)
    if not length:
        beginning -= 1
    return f"{beginning},{length}"


def _masked(text: str, ranges: Sequence[Range]) -> str:
    """``text`` with every range's content replaced by ``<redacted>`` line by line: line breaks
    and the indentation of continuation lines kept, blank lines left blank."""
    pieces, cursor = [], 0
    for start, end in sorted(ranges):
        start = max(start, cursor)
        if start >= end:
            continue
        pieces.append(text[cursor:start])
        segments = BREAK.split(text[start:end])
        breaks = [m.group(0) for m in BREAK.finditer(text[start:end])]
        for index, segment in enumerate(segments):
            if segment.strip():
                lead = segment[: len(segment) - len(segment.lstrip(" \t"))] if index else ""
                segment = lead + REDACTED
            pieces.append(segment + (breaks[index] if index < len(breaks) else ""))
        cursor = end
    return "".join(pieces) + text[cursor:]


def _shown(line: str, redaction: Redaction) -> str:
    """A shown line: known secret values replaced, control characters escaped, the line break
    kept (``\\r\\n`` or ``\\n``)."""
    body = line.rstrip("\r\n\x85\u2028\u2029")
    for value in redaction.values:
        body = body.replace(value, REDACTED)
    ending = line[len(body) :]
    return printable(body) + ("\r\n" if ending == "\r\n" else "\n" if ending else "")


def _line(mark: str, original: str, shown: str) -> str:
    if original[-1:] in ("\n", "\r", "\x85", "\u2028", "\u2029"):
        return mark + shown
    return mark + shown + "\n\\ No newline at end of file\n"
