"""Reading input files and stdin into text, refusing what no config parser should see.

Inputs are bounded in size, must be UTF-8 (a leading BOM is dropped), and must not be binary.
Problems come back as ``InputError`` with a position and a message that says how to fix it.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from configgen.findings import ErrorKind, LocatedError
from configgen.parsing.limits import DEFAULT

UNREADABLE = ErrorKind.UNREADABLE

STDIN = "-"


class InputError(LocatedError):
    """An input that cannot be read as text; ``line``/``column`` are 1-based, 0 if unknown."""


@dataclass(frozen=True)
class Source:
    """The text of one input and the name to report it under."""

    name: str
    text: str


def read_bytes(path: str, *, limit: int = DEFAULT.max_bytes) -> bytes:
    """The bytes of ``path`` (``-`` for stdin), at most ``limit``; ``InputError`` otherwise."""
    try:
        if path == STDIN:
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with open(path, "rb") as handle:
                data = handle.read(limit + 1)
    except FileNotFoundError:
        raise InputError("file not found: check the path", kind=UNREADABLE) from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", kind=UNREADABLE) from None
    except PermissionError:
        raise InputError(
            "permission denied: make the file readable for this user", kind=UNREADABLE
        ) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", kind=UNREADABLE) from None
    if len(data) > limit:
        size = f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit // 1024} KiB"
        raise InputError(f"larger than {size}: not a config file?", kind=ErrorKind.LIMIT)
    return data


def decode(data: bytes) -> str:
    """UTF-8 text without a BOM; ``InputError`` for binary or non-UTF-8 input."""
    if b"\x00" in data:
        line, column = _position(data, data.index(b"\x00"))
        raise InputError(
            "binary file (NUL byte): expected a UTF-8 text file", line, column, ErrorKind.ENCODING
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line, column = _position(data, err.start)
        raise InputError(
            "not UTF-8 text: save the file as UTF-8", line, column, ErrorKind.ENCODING
        ) from None
    return text.removeprefix("\ufeff")


def read(path: str, *, display_name: str | None = None, limit: int = DEFAULT.max_bytes) -> Source:
    """Read ``path`` (``-`` for stdin) as text."""
    name = display_name or ("<stdin>" if path == STDIN else path)
    return Source(name, decode(read_bytes(path, limit=limit)))


def _position(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column
