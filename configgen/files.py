"""The one place configgen writes files: atomically, owner-readable, never over a file by accident.

Every write goes the same way.  The content goes to a temporary file next to its target (created
0600 by ``mkstemp``), gets its final mode (and, when it replaces a file, that file's owner), and
is flushed to disk; only then is it moved into place and the directory synced.  If anything fails
-- an interruption included -- the temporary file is removed and the target is as it was.

- ``write_new`` places new files (``render``): with ``os.link`` when overwriting is not allowed,
  which fails if the name appeared meanwhile (no check-then-write race), with ``os.replace`` when
  it is.  A run writes all of its files or, as far as possible, none: files it created are
  removed again when a later one fails; files it *replaced* cannot be restored, and the error
  says which.
- ``replace`` updates one existing file (``apply``) that must still hold what the new content
  was computed from.  It keeps the file's owner and mode, except that group and other
  permissions are removed (the file now holds a token); a backup is a hard link to the previous
  file, made just before the rename, and never replaces an older backup.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

SECRET_MODE = 0o600
MAX_BACKUPS = 1000


class OutputExists(FileExistsError):
    """The target exists and overwriting was not asked for."""


class WriteError(OSError):
    """A file could not be written; ``replaced`` lists files already replaced before it."""

    def __init__(self, message: str, replaced: Sequence[Path] = ()) -> None:
        super().__init__(message)
        self.replaced = list(replaced)


class FileChanged(RuntimeError):
    """The file on disk is no longer what the new content was computed from."""


@dataclass(frozen=True)
class Replaced:
    """What ``replace`` did: the backup made, the mode written, warnings for the user."""

    path: Path
    backup: Path | None
    mode: int
    notes: tuple[str, ...]


# -- new files (render) ----------------------------------------------------------------------


def check_free(paths: Iterable[Path]) -> None:
    """Raise ``OutputExists`` for the first path that already exists."""
    for path in paths:
        if path.exists() or path.is_symlink():
            raise OutputExists(str(path))


def write_new(
    files: Sequence[tuple[Path, str]], *, overwrite: bool, mode: int = SECRET_MODE
) -> None:
    """Write every ``(path, text)`` or, as far as possible, none of them."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in files:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                data = text.encode("utf-8")
            except OSError as err:
                raise WriteError(f"{path.parent}: {err.strerror or err}") from None
            except UnicodeError:
                raise WriteError(f"{path}: text cannot be encoded as UTF-8") from None
            staged.append((_stage(path, data, mode), path))
        _place(staged, overwrite)
    finally:
        for temp, _path in staged:
            temp.unlink(missing_ok=True)


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


# -- an existing file (apply) ----------------------------------------------------------------


def secure_mode(mode: int) -> int:
    """``mode`` without group and other permissions when it has any (else unchanged)."""
    return mode & 0o700 if mode & 0o077 else mode


def replace(path: Path, data: bytes, *, expected: bytes, backup: bool = False) -> Replaced:
    """Replace ``path`` (which must still hold ``expected``) by ``data``.

    Group/other permissions are removed (the content is a secret); a symbolic link is followed
    and the file it points to is replaced.  Raises ``WriteError`` or ``FileChanged``; in either
    case nothing changed.
    """
    notes: list[str] = []
    target = path.resolve() if path.is_symlink() else path
    if target != path:
        notes.append(f"{path} is a symbolic link: wrote {target}, the file it points to")
    try:
        info = os.stat(target)
        current = target.read_bytes() if stat.S_ISREG(info.st_mode) else None
    except OSError as err:
        raise WriteError(f"{path}: {err.strerror or err}; nothing was changed") from None
    if current != expected:
        raise FileChanged(str(path))
    mode = stat.S_IMODE(info.st_mode)
    new_mode = secure_mode(mode)
    if new_mode != mode:
        notes.append(f"mode {mode:04o} let other users read the token: tightened to {new_mode:04o}")
    if info.st_nlink > 1:
        notes.append("the file had other hard links: they keep the previous content")
    temp = _stage(target, data, new_mode, info, notes)
    saved = None
    try:
        if backup:
            saved = _backup(target)
        os.replace(temp, target)
    except BaseException as err:
        temp.unlink(missing_ok=True)
        if saved is not None:
            saved.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise WriteError(f"{path}: {err.strerror or err}; nothing was changed") from None
        raise
    sync_directory(target.parent)
    if saved is not None:
        notes.append(f"the previous version is in {saved}")
        if new_mode != mode:
            with contextlib.suppress(OSError):
                os.chmod(saved, new_mode)
    return Replaced(target, saved, new_mode, tuple(notes))


def readable_warning(path: Path) -> tuple[str, ...]:
    """A warning when ``path`` is readable by group or others (it holds a token)."""
    with contextlib.suppress(OSError):
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode & 0o077:
            return (
                f"{path} (mode {mode:04o}) is readable by other users and holds a token: "
                f"chmod {mode & 0o700:o} {path}",
            )
    return ()


def _backup(target: Path) -> Path:
    """A hard link to the current file as FILE.bak (or .bak.N): never replaces a backup."""
    for number in range(MAX_BACKUPS):
        suffix = ".bak" if number == 0 else f".bak.{number}"
        candidate = target.with_name(target.name + suffix)
        try:
            os.link(target, candidate)
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(f"{target}.bak ... .bak.{MAX_BACKUPS - 1} all exist: remove old backups")


# -- shared ----------------------------------------------------------------------------------


def _stage(
    target: Path,
    data: bytes,
    mode: int,
    owner: os.stat_result | None = None,
    notes: list[str] | None = None,
) -> Path:
    """A flushed temporary file next to ``target`` holding ``data`` with ``mode`` (and the owner
    and group of ``owner``, the file it will replace)."""
    suffix = "; nothing was changed" if owner is not None else ""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as err:
        raise WriteError(f"{target.parent}: {err.strerror or err}{suffix}") from None
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if owner is not None:
                _keep_owner(handle.fileno(), owner, notes if notes is not None else [])
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
    except BaseException as err:
        temp.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise WriteError(f"{target}: {err.strerror or err}{suffix}") from None
        raise
    return temp


def _keep_owner(fd: int, info: os.stat_result, notes: list[str]) -> None:
    """Give the new file the old one's owner and group (root can; others only their groups)."""
    mine = os.fstat(fd)
    if (mine.st_uid, mine.st_gid) == (info.st_uid, info.st_gid):
        return
    try:
        os.fchown(fd, info.st_uid, info.st_gid)
    except PermissionError:
        if mine.st_uid != info.st_uid:
            raise PermissionError(
                f"cannot keep the file's owner (uid {info.st_uid}): run as root or as the owner"
            ) from None
        notes.append(f"could not keep the file's group (gid {info.st_gid})")


def sync_directory(directory: Path) -> None:
    """Make the rename durable; not every platform or file system allows it."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
