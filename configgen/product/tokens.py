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
# What configgen writes as the values token when the real one lives in the Kubernetes Secret
# named by ``stackstate.authentication.fromExternalSecret`` (suse-observability 2.2.0 and later).
# Those charts write the bootstrap block into the server's configuration only when the values
# token is non-empty, yet take the token itself from the Secret's ``bootstrap_token`` key: the
# values need *some* non-empty token, and this one is never used.  It is a placeholder by
# ``is_placeholder``, so lint accepts it only next to ``fromExternalSecret`` and refuses it
# anywhere else, where it would become the real token.
EXTERNAL_SECRET_PLACEHOLDER = "<from the external Secret>"
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
