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
  permissions and the set-user/group-ID bits are removed (the file now holds a token); a
  backup is a copy of the previous content, owner-only like the new file (never a hard link,
  whose mode would be the other names' mode too), and never replaces an older backup.

Writers of existing files take turns through ``configgen.locks``.
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
    """``mode`` without group and other permissions when it has any, and without the set-user-
    and set-group-ID bits (a configuration file does not need them; writing drops them too)."""
    mode &= ~0o6000
    return mode & 0o700 if mode & 0o077 else mode


def _access(mode: int) -> str:
    """What group and other permissions of ``mode`` allow: ``the group write it``."""
    parts = []
    for shift, who in ((3, "the group"), (0, "other users")):
        bits = (mode >> shift) & 7
        if bits:
            verbs = [
                verb for bit, verb in ((4, "read"), (2, "write"), (1, "execute")) if bits & bit
            ]
            parts.append((who, " and ".join(verbs)))
    if len(parts) == 2 and parts[0][1] == parts[1][1]:
        return f"the group and other users {parts[0][1]} it"
    return " and ".join(f"{who} {verbs} it" for who, verbs in parts)


_ID_BITS = ((0o4000, "set-user-ID"), (0o2000, "set-group-ID"))


def _mode_notes(mode: int, new_mode: int) -> list[str]:
    notes = []
    if mode & 0o6000:
        bits = " and ".join(name for bit, name in _ID_BITS if mode & bit)
        notes.append(f"mode {mode:04o} had the {bits} bit, which a configuration file does not "
                     f"need: dropped")  # fmt: skip
    if mode & 0o077:
        notes.append(f"mode {mode:04o} let {_access(mode)}, and it now holds a token: tightened "
                     f"to {new_mode:04o}")  # fmt: skip
    return notes


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
    notes += _mode_notes(mode, new_mode)
    if info.st_nlink > 1:
        notes.append("the file had other hard links: they keep the previous content")
    temp = _stage(target, data, new_mode, info, notes)
    saved = None
    try:
        if backup:
            saved = _backup(target, expected, new_mode, info)
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
    return Replaced(target, saved, new_mode, tuple(notes))


def holds(path: Path, expected: bytes) -> bool:
    """True when the file ``path`` names still holds ``expected``."""
    try:
        return path.read_bytes() == expected
    except OSError:
        return False


def readable_warning(path: Path) -> tuple[str, ...]:
    """A warning when group or others have any access to ``path`` (it holds a token)."""
    with contextlib.suppress(OSError):
        mode = stat.S_IMODE(os.stat(path).st_mode)
        if mode & 0o077:
            return (
                f"{path} (mode {mode:04o}) lets {_access(mode)}, and it holds a token: "
                f"chmod {mode & 0o700:o} {path}",
            )
    return ()


def _backup(target: Path, data: bytes, mode: int, owner: os.stat_result) -> Path:
    """A copy of the previous content as FILE.bak (or .bak.N), with ``mode`` and the file's
    owner; never replaces a backup.  A copy, not a hard link: a link shares the inode, so
    tightening the backup's mode would tighten every other name of the file too."""
    temp = _stage(target, data, mode, owner)
    try:
        for number in range(MAX_BACKUPS):
            suffix = ".bak" if number == 0 else f".bak.{number}"
            candidate = target.with_name(target.name + suffix)
            try:
                os.link(temp, candidate)
            except FileExistsError:
                continue
            return candidate
    finally:
        temp.unlink(missing_ok=True)
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
