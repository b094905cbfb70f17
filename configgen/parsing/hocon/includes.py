"""Include directives found in HOCON text before any parser sees it.

pyhocon follows includes while it parses (URLs, files, globs, Python packages), and Lightbend
follows them when the server starts.  ``find_includes`` locates every directive either could act
on -- the word ``include`` in any letter case followed by a quoted name or a loader form, outside
comments and quoted strings, inside lists too -- so that callers can report or refuse it with a
position.  ``mask`` blanks comments and the insides of quoted strings for such searches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_LINE_END = re.compile("[\r\n]")
# An include directive as pyhocon matches it: the word include (any case) followed by a quoted
# name or one of the loader forms.  Only unquoted text outside comments is searched.
_INCLUDE = re.compile(
    r"(?<![\w.-])include\s*(\"|(url|file|classpath|package|required)\s*\()",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Include:
    """An include directive found in the text."""

    line: int
    column: int
    text: str


def mask(text: str) -> str:
    """``text`` with comments and the insides of quoted strings blanked out, same length.

    Quote characters stay, so a pattern can still see that a quoted string follows a word.
    """
    out = list(text)
    i, n = 0, len(text)

    def blank(a: int, b: int) -> None:
        for j in range(a, min(b, n)):
            if out[j] != "\n":
                out[j] = " "

    while i < n:
        if text.startswith('"""', i):
            end = text.find('"""', i + 3)
            end = n if end < 0 else end + 3
            while end < n and text[end] == '"':  # a triple quote may close with more quotes
                end += 1
            blank(i + 1, end - 1)
            i = end
        elif text[i] == '"':
            j = i + 1
            while j < n and text[j] not in '"\n':
                j += 2 if text[j] == "\\" else 1
            blank(i + 1, j)
            i = j + 1
        elif text[i] == "#" or text.startswith("//", i):
            match = _LINE_END.search(text, i)  # pyhocon also ends a comment at a lone CR
            end = n if match is None else match.start()
            blank(i, end)
            i = end
        else:
            i += 1
    return "".join(out)


def find_includes(text: str) -> list[Include]:
    """Every include directive pyhocon or Lightbend could act on, with its position."""
    found: list[Include] = []
    for match in _INCLUDE.finditer(mask(text)):
        offset = match.start()
        line = text.count("\n", 0, offset) + 1
        column = offset - (text.rfind("\n", 0, offset) + 1) + 1
        found.append(Include(line, column, match.group(0).strip()))
    return found
