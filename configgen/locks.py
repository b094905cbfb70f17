"""Who may write which file: the advisory lock writers take, and links that belong to others.

- ``locked`` holds an advisory lock (``flock``) on existing files while a command reads, plans
  and writes them, so that two writers -- ``apply``, ``render --force`` -- take turns instead of
  both succeeding on content one of them has already replaced.  The locks are taken in one
  order (device, inode), so two runs cannot wait for each other, and checked, once held, to be
  on the file each name still points to (a writer that replaced it meanwhile renamed a new
  file over the name): if not, all are released and taken again.  Readers never lock: files
  are replaced by rename, so a reader sees the old or the new content, whole.
- ``foreign_link`` finds a symbolic link, in any component of a path, that belongs to neither
  the user running configgen nor root: ``apply`` does not write through such a link.
"""

from __future__ import annotations

import contextlib
import os
import stat
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from configgen.files import WriteError

LOCK_WAIT = 30.0  # seconds another writer may hold a file before configgen gives up


class Locked(WriteError):
    """Another writer held a file longer than ``LOCK_WAIT``; nothing was changed."""


@contextlib.contextmanager
def locked(paths: Iterable[Path], wait: float | None = None) -> Iterator[None]:
    """Hold an exclusive advisory lock on every existing regular file of ``paths`` (through
    symbolic links) for the block.  Raises ``Locked`` when another writer holds one longer
    than ``wait`` seconds (default ``LOCK_WAIT``).  Without ``fcntl`` (Windows) nothing is
    locked."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    names = list(paths)
    deadline = time.monotonic() + (LOCK_WAIT if wait is None else wait)
    held = None
    while held is None:
        held = _take(names, deadline, fcntl)
    try:
        yield
    finally:
        for fd in held:
            os.close(fd)  # closing the descriptor releases its lock


def _take(paths: list[Path], deadline: float, fcntl: object) -> list[int] | None:
    """The locked descriptors, or ``None`` when a name moved to another file while waiting
    (every lock is then released, so that the next attempt takes them in order again)."""
    opened: dict[tuple[int, int], tuple[int, Path]] = {}
    try:
        for path in paths:
            try:
                fd = os.open(path, os.O_RDONLY | _NONBLOCK | _NOCTTY | _CLOEXEC)
            except OSError:
                continue  # missing (created by link, which fails if it appears) or unreadable
            info = os.fstat(fd)
            key = (info.st_dev, info.st_ino)
            if not stat.S_ISREG(info.st_mode) or key in opened:  # one lock per file
                os.close(fd)
                continue
            opened[key] = (fd, path)
        for key in sorted(opened):  # one order for every run: no deadlock between two
            fd, path = opened[key]
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # type: ignore[attr-defined]
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        message = "another writer holds it locked; nothing was changed"
                        raise Locked(f"{path}: {message}: try again") from None
                    time.sleep(0.02)
        for key, (_fd, path) in opened.items():
            try:
                now = os.stat(path)
            except OSError:
                now = None
            if now is None or (now.st_dev, now.st_ino) != key:  # replaced while we waited
                for fd, _path in opened.values():
                    os.close(fd)
                return None
        return [fd for fd, _path in opened.values()]
    except BaseException:
        for fd, _path in opened.values():
            os.close(fd)
        raise


_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # opening a FIFO must not wait for a writer
_NOCTTY = getattr(os, "O_NOCTTY", 0)
_CLOEXEC = getattr(os, "O_CLOEXEC", 0)


def foreign_link(path: Path) -> Path | None:
    """The first symbolic link on the way to ``path`` (in any component) that belongs to
    neither the user running configgen nor root, or ``None``.  Writing through such a link
    would let its owner choose which file is written -- as root, any file."""
    me = getattr(os, "geteuid", lambda: 0)()
    pending = list(Path(os.path.abspath(path)).parts)
    current = Path(pending.pop(0))
    for _ in range(256):  # links resolved at most (a loop of links ends here)
        if not pending:
            return None
        current = current / pending.pop(0)
        try:
            info = os.lstat(current)
        except OSError:
            return None
        if not stat.S_ISLNK(info.st_mode):
            continue
        if info.st_uid not in (me, 0):
            return current
        target = Path(os.readlink(current))
        start = 1 if target.is_absolute() else 0
        pending[:0] = target.parts[start:]
        current = Path(target.anchor) if start else current.parent
    return None
