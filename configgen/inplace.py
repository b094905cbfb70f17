"""Replace an existing file atomically, keeping its owner and mode, optionally with a backup.

The new content goes to a temporary file next to the target (created 0600 by ``mkstemp``), gets
the target's owner, group and mode, and is flushed to disk; only then is it renamed over the
target (``os.replace``), and the directory is synced.  A backup is a hard link to the current
file made just before the rename, so it is the previous file exactly (content, owner, mode),
and an existing backup is never replaced.  If anything fails -- including an interruption --
the temporary file and a backup made by this call are removed and the target is untouched.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from configgen.writer import WriteError, sync_directory

MAX_BACKUPS = 1000


class FileChanged(RuntimeError):
    """The file on disk is no longer what the new content was computed from."""


@dataclass(frozen=True)
class Replaced:
    """What ``replace`` did: the backup made, the mode written, warnings for the user."""

    path: Path
    backup: Path | None
    mode: int
    notes: tuple[str, ...]


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


def _stage(target: Path, data: bytes, mode: int, info: os.stat_result, notes: list[str]) -> Path:
    """A flushed temporary file next to ``target`` with ``data``, ``mode`` and its owner."""
    try:
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as err:
        raise WriteError(f"{target.parent}: {err.strerror or err}; nothing was changed") from None
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            _keep_owner(handle.fileno(), info, notes)
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
    except BaseException as err:
        temp.unlink(missing_ok=True)
        if isinstance(err, OSError):
            raise WriteError(f"{target}: {err.strerror or err}; nothing was changed") from None
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
