"""Unified diffs of a planned change, with secrets redacted.

``configgen apply --diff`` shows what would change, and a diff must never show a token: neither
the new one nor the one the file held before.
"""

from __future__ import annotations

import difflib
import re

from configgen.apply.spans import BREAK

REDACTED = "<redacted>"
_TOKEN_LINE = re.compile(r"""((?<![\w-])["']?token["']?[ \t]*[:=][ \t]*)\S.*""")


def unified_diff(
    old: str, new: str, before: str, after: str, secrets: tuple[str, ...] | None = None
) -> str:
    """``diff -u`` of two texts.  With ``secrets`` (even empty), those strings and the value of
    any ``token`` key show as ``<redacted>``."""
    lines = list(difflib.unified_diff(_split(old), _split(new), before, after))
    out = []
    for index, line in enumerate(lines):
        if secrets is not None and index >= 2:
            line = _redact(line, secrets)
        out.append(line if line[-1:] in "\n\r" else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _split(text: str) -> list[str]:
    """Lines with their line breaks, split where YAML and the editors split them."""
    starts = [0] + [m.end() for m in BREAK.finditer(text)]
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True) if a < b]


def _redact(line: str, secrets: tuple[str, ...]) -> str:
    for secret in sorted(secrets, key=len, reverse=True):
        if secret:
            line = line.replace(secret, REDACTED)
    body = line.rstrip("\r\n")
    return _TOKEN_LINE.sub(lambda m: m.group(1) + REDACTED, body) + line[len(body) :]
