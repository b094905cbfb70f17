"""Write output files atomically, owner-readable only, and never over an existing file by accident.

Each file is written to a temporary file in the target directory (created 0600 by ``mkstemp``),
flushed to disk, then moved into place: with ``os.link`` when overwriting is not allowed (which
fails if the name appeared meanwhile, so there is no check-then-write race), with ``os.replace``
when it is.  On any failure the temporary file is removed and the target is untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

SECRET_MODE = 0o600


class OutputExists(FileExistsError):
    """The target exists and overwriting was not asked for."""


class WriteError(OSError):
    """The file could not be written; the message says why."""


def check_free(paths: Iterable[Path]) -> None:
    """Raise ``OutputExists`` for the first path that already exists."""
    for path in paths:
        if path.exists() or path.is_symlink():
            raise OutputExists(str(path))


def write_atomic(path: Path, text: str, *, overwrite: bool, mode: int = SECRET_MODE) -> None:
    """Write ``text`` to ``path`` atomically with ``mode``."""
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as err:
        raise WriteError(f"{directory}: {err.strerror or err}") from None
    temp = Path(temp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        temp.chmod(mode)
        if overwrite:
            temp.replace(path)
        else:
            try:
                os.link(temp, path)
            except FileExistsError:
                raise OutputExists(str(path)) from None
        _sync_directory(directory)
    except OutputExists:
        raise
    except OSError as err:
        raise WriteError(f"{path}: {err.strerror or err}") from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            temp.unlink()


def _sync_directory(directory: Path) -> None:
    """Make the rename durable; not every platform or file system allows it."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
