"""A token value that never shows itself by accident.

A ``Secret`` prints, formats and reprs as ``***``; the value comes out only through ``reveal``,
which the HTTP client calls to fill the ``X-API-Key`` header and the token writer calls to write
a token file.  ``redact`` removes known secrets from text that came from elsewhere (a server's
error message may quote the header it was sent).
"""

from __future__ import annotations

from collections.abc import Iterable

MASK = "***"


class Secret:
    """A secret string: ``str()``, ``repr()`` and f-strings give ``***``."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        """The value itself: only for the header that carries it and the file that keeps it."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret({MASK!r})"

    def __str__(self) -> str:
        return MASK

    def __format__(self, spec: str) -> str:
        return MASK

    def __reduce__(self) -> str | tuple[object, ...]:
        raise TypeError("a Secret is not pickled")


def redact(text: str, secrets: Iterable[Secret | None]) -> str:
    """``text`` with every occurrence of each secret replaced by ``***``."""
    for secret in secrets:
        if secret is not None and secret.reveal():
            text = text.replace(secret.reveal(), MASK)
    return text
