"""Write output files atomically, owner-readable only, and never over an existing file by accident.

All files of one run are first written to temporary files in their target directories (created
0600 by ``mkstemp``) and flushed to disk.  Only then are they moved into place: with ``os.link``
when overwriting is not allowed (which fails if the name appeared meanwhile, so there is no
check-then-write race), with ``os.replace`` when it is.  If placing one fails, the files this
run created are removed again, so a run writes all of its files or none of them; files that
were *replaced* cannot be restored, and the error says which were.  Temporary files never stay.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

SECRET_MODE = 0o600


class OutputExists(FileExistsError):
    """The target exists and overwriting was not asked for."""


class WriteError(OSError):
    """A file could not be written; ``replaced`` lists files already replaced before it."""

    def __init__(self, message: str, replaced: Sequence[Path] = ()) -> None:
        super().__init__(message)
        self.replaced = list(replaced)


def check_free(paths: Iterable[Path]) -> None:
    """Raise ``OutputExists`` for the first path that already exists."""
    for path in paths:
        if path.exists() or path.is_symlink():
            raise OutputExists(str(path))


def write_atomic(path: Path, text: str, *, overwrite: bool, mode: int = SECRET_MODE) -> None:
    """Write ``text`` to ``path`` atomically with ``mode``."""
    write_all([(path, text)], overwrite=overwrite, mode=mode)


def write_all(
    files: Sequence[tuple[Path, str]], *, overwrite: bool, mode: int = SECRET_MODE
) -> None:
    """Write every ``(path, text)`` or, as far as possible, none of them."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in files:
            staged.append((_stage(path, text, mode), path))
        _place(staged, overwrite)
    finally:
        for temp, _path in staged:
            with contextlib.suppress(FileNotFoundError):
                temp.unlink()


def _stage(path: Path, text: str, mode: int) -> Path:
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as err:
        raise WriteError(f"{directory}: {err.strerror or err}") from None
    temp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        temp.chmod(mode)
    except (OSError, UnicodeError) as err:
        temp.unlink(missing_ok=True)
        reason = err.strerror if isinstance(err, OSError) else "text cannot be encoded as UTF-8"
        raise WriteError(f"{path}: {reason or err}") from None
    return temp


def _place(staged: Sequence[tuple[Path, Path]], overwrite: bool) -> None:
    created: list[Path] = []  # new names: removed again if a later file fails
    replaced: list[Path] = []  # files that existed: cannot be restored
    failed = Path()
    try:
        for temp, path in staged:
            failed = path
            if overwrite:
                existed = path.exists() or path.is_symlink()
                temp.replace(path)
                (replaced if existed else created).append(path)
            else:
                os.link(temp, path)
                created.append(path)
            sync_directory(path.parent)
    except OSError as err:
        for path in created:
            path.unlink(missing_ok=True)
        if isinstance(err, FileExistsError) and not overwrite:
            raise OutputExists(str(failed)) from None
        raise WriteError(f"{failed}: {err.strerror or err}", replaced) from None


def sync_directory(directory: Path) -> None:
    """Make the rename durable; not every platform or file system allows it."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
