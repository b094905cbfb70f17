"""Safe wording: the one home for how configgen talks about values, keys and names it read.

Configuration files hold secrets, and file names, keys and values come from untrusted files.
So configgen never passes a parser's or validator's message through (they quote the input);
it writes its own, showing a value only where its key is not secret (``shown``), and every name
it prints goes through ``printable``, which escapes what could steer a terminal or a CI log.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # messages is imported by every command's output: nothing heavy at run time
    from configgen.findings import JsonPath

SECRET_KEYS = frozenset({"token", "password", "secret", "adminpassword", "passwordhash"})
# Keys whose values are secrets too: bindPassword, clientSecret, bindCredentials, apiToken ...
SECRET_SUFFIXES = ("password", "passwd", "secret", "token", "credentials", "apikey")
# Every C0 control (line breaks and tab included), DEL and every C1 control; the Unicode line
# and paragraph separators and the bidirectional controls, which reorder what a reader sees;
# lone surrogates: the bytes of a name that is not UTF-8, as Python decodes argv and the file
# system ("surrogateescape").
_UNPRINTABLE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]"
)


def printable(text: str) -> str:
    """``text`` as one safe line: every control character escaped (``\\x0a``, ``\\x1b``), a
    byte that is not UTF-8 shown as ``\\xe9``, bidirectional controls as ``\\u202e``.

    File names and keys come from untrusted files: a line break would forge an output line (a
    finding, a GitHub workflow command), an escape sequence would steer the terminal, a byte that
    is not UTF-8 would stop the output.  Every name configgen prints goes through here.
    """
    return _UNPRINTABLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group(0))
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape: the original byte
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


# Keys that hold the *name* of a Kubernetes Secret, not a secret: shown like any other value.
NAMES_A_SECRET = frozenset({"fromexternalsecret", "existingsecret", "secretname"})


def is_secret_key(key: str) -> bool:
    """True when whatever ``key`` holds is secret, in any form: ``token``, ``password``,
    ``secret`` (letter case, ``_`` and ``-`` aside) and names ending so (``bindPassword``,
    ``clientSecret``, ``bindCredentials``).  A caller that knows a key to be a section of
    further keys (the chart's ``serviceToken``) looks inside it instead."""
    folded = key.replace("_", "").replace("-", "").lower()
    if folded in NAMES_A_SECRET:
        return False
    return folded in SECRET_KEYS or folded.endswith(SECRET_SUFFIXES)


def is_secret(json_path: JsonPath) -> bool:
    """True when the value at ``json_path`` must never be shown."""
    return any(isinstance(p, str) and p.lower() in SECRET_KEYS for p in json_path)


def shown_path(json_path: JsonPath) -> JsonPath:
    """``json_path`` up to its first secret key: what lies below one -- a key written inside a
    token, say -- may be the secret itself."""
    for index, part in enumerate(json_path):
        if isinstance(part, str) and part.lower() in SECRET_KEYS:
            return json_path[: index + 1]
    return json_path


def shown(value: Any, json_path: JsonPath) -> str:
    """A short, safe rendering of a value for a message."""
    if is_secret(json_path):
        return "the value"
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    return type_name(value)


def type_name(value: Any) -> str:
    """How users call the type of a parsed value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "a string"


def closest(word: str, choices: list[str] | tuple[str, ...]) -> str | None:
    """The choice ``word`` is most likely a misspelling of (case-insensitive), if any."""
    import difflib

    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """`` (did you mean 'roles'?)`` when ``word`` is close to one of ``choices``."""
    match = closest(word, choices)
    return f" (did you mean {match!r}?)" if match else ""


def ignored_key(key: str, meant: str) -> str:
    """The message for a key that is silently ignored because it is not quite ``meant``."""
    return f"{key!r} is silently ignored (keys are case-sensitive): did you mean {meant!r}?"
