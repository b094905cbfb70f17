"""What makes a bootstrap token unusable or weak: one policy for spec, render, lint and apply.

A token is a credential with the roles it is given.  Documentation placeholders (``<token>``),
stand-ins (``changeme``, ``xxxxxxxx``) and guessable strings must never become one, so what lint
reports as a placeholder, the spec refuses, and what lint calls weak, the spec warns about.
"""

from __future__ import annotations

import math
import string

CHARACTERS = "A-Z a-z 0-9 . _ ~ + / = -"  # what a spec's token may hold (see the spec schema)
MIN_LENGTH, MAX_LENGTH = 16, 512
STRONG_BITS = 128  # below this a token is weak

PLACEHOLDERS = frozenset(
    {"token", "random token", "changeme", "change-me", "change_me", "...", "todo", "xxx",
     "replace-me", "replace_me", "replaceme", "secret", "password", "your-token", "mytoken"}
)  # fmt: skip
_FILLERS = frozenset(".x*-")  # "xxxxxxxx", "********", "...", "----"
PLACEHOLDER_MESSAGE = (
    "token is a placeholder, not a secret: set a random token (configgen render --generate-token)"
)


def is_placeholder(token: str) -> bool:
    """True for documentation placeholders and obvious stand-ins."""
    folded = token.strip().lower()
    return (
        (folded.startswith("<") and folded.endswith(">"))
        or folded.strip("<>") in PLACEHOLDERS
        or set(folded) <= _FILLERS
    )


def strength_bits(token: str) -> float:
    """A rough entropy estimate: length times log2 of the character classes' combined size."""
    pool = 0
    for chars in (string.ascii_lowercase, string.ascii_uppercase, string.digits):
        if any(c in chars for c in token):
            pool += len(chars)
    if any(not c.isascii() or not c.isalnum() for c in token):
        pool += 32
    if len(set(token)) <= 2:
        return 0.0
    return len(token) * math.log2(max(pool, 2))


def is_weak(token: str) -> bool:
    """True when the token is below about 128 bits of strength."""
    return strength_bits(token) < STRONG_BITS


def weak_message(token: str) -> str:
    """Why the token is weak, and what to do (the token itself is never shown)."""
    return (
        f"token is weak (about {strength_bits(token):.0f} bits; {len(token)} characters): use "
        "at least 32 random characters, e.g. configgen render --generate-token"
    )
