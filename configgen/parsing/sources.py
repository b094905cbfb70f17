"""Reading input files and stdin into text, refusing what no config parser should see.

Inputs are bounded in size, must be UTF-8 (a leading BOM is dropped), and must not be binary.
Problems come back as ``InputError`` with a position and a message that says how to fix it.
"""

from __future__ import annotations

import os
import stat
import sys
from typing import NamedTuple

from configgen.findings import ErrorKind, LocatedError
from configgen.parsing.limits import DEFAULT

UNREADABLE = ErrorKind.UNREADABLE

STDIN = "-"


class InputError(LocatedError):
    """An input that cannot be read as text; ``line``/``column`` are 1-based, 0 if unknown."""


class Source(NamedTuple):
    """The text of one input and the name to report it under."""

    name: str
    text: str


def read_bytes(path: str, *, limit: int = DEFAULT.max_bytes, pipes: bool = False) -> bytes:
    """The bytes of ``path`` (``-`` for stdin), at most ``limit``; ``InputError`` otherwise.

    ``path`` must be a regular file; with ``pipes`` also a pipe (``<(...)`` on a command line).
    """
    if path == STDIN:
        try:
            data: bytes = sys.stdin.buffer.read(limit + 1)
        except OSError as err:
            raise InputError(f"cannot read: {err.strerror or err}", kind=UNREADABLE) from None
        return _bounded(data, limit)
    return read_file(path, limit=limit, pipes=pipes)


def read_file(path: str, *, limit: int = DEFAULT.max_bytes, pipes: bool = False) -> bytes:
    """The bytes of the file ``path`` (``-`` is a file name here), at most ``limit``.

    Anything but a regular file -- a FIFO, a socket, a device, wherever a chain of symbolic
    links leads -- is refused before it is opened (opening a FIFO blocks until a writer comes,
    and a device may never end); the file is then opened without blocking and checked again,
    in case it was swapped meanwhile.  With ``pipes`` a pipe is read too.
    """
    try:
        kind = _refused_kind(os.stat(path).st_mode, pipes)
        if kind is not None:
            raise _not_regular(kind)
        fd = os.open(path, os.O_RDONLY | _NONBLOCK | _NOCTTY | _CLOEXEC)
    except FileNotFoundError:
        raise InputError("file not found: check the path", kind=UNREADABLE) from None
    except PermissionError:
        raise InputError(
            "permission denied: make the file readable for this user", kind=UNREADABLE
        ) from None
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", kind=UNREADABLE) from None
    try:
        kind = _refused_kind(os.fstat(fd).st_mode, pipes)
        if kind is not None:
            raise _not_regular(kind)
        os.set_blocking(fd, True)
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(limit + 1 - size, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as err:
        raise InputError(f"cannot read: {err.strerror or err}", kind=UNREADABLE) from None
    finally:
        os.close(fd)
    return _bounded(b"".join(chunks), limit)


_NONBLOCK = getattr(os, "O_NONBLOCK", 0)
_NOCTTY = getattr(os, "O_NOCTTY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def _refused_kind(mode: int, pipes: bool) -> str | None:
    """What the file is when it may not be read (``None``: read it)."""
    if stat.S_ISREG(mode) or (pipes and stat.S_ISFIFO(mode)):
        return None
    if stat.S_ISDIR(mode):
        return "directory"
    if stat.S_ISFIFO(mode):
        return "FIFO"
    if stat.S_ISSOCK(mode):
        return "socket"
    return "device"


def _not_regular(kind: str) -> InputError:
    if kind == "directory":
        return InputError("is a directory, not a file", kind=UNREADABLE)
    return InputError(
        f"not a regular file (a {kind}): configgen reads only regular files", kind=UNREADABLE
    )


def _bounded(data: bytes, limit: int) -> bytes:
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


def read(
    path: str,
    *,
    display_name: str | None = None,
    limit: int = DEFAULT.max_bytes,
    pipes: bool = False,
) -> Source:
    """Read ``path`` (``-`` for stdin) as text."""
    name = display_name or ("<stdin>" if path == STDIN else path)
    return Source(name, decode(read_bytes(path, limit=limit, pipes=pipes)))


def _position(data: bytes, offset: int) -> tuple[int, int]:
    before = data[:offset]
    line = before.count(b"\n") + 1
    column = offset - (before.rfind(b"\n") + 1) + 1
    return line, column
