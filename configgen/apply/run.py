"""``configgen apply`` as functions: plan every file, then write them, losing nothing.

``run`` loads the spec and plans each file (``configgen.apply.plan``); ``write`` puts one planned
result on disk through ``configgen.files``: atomically, keeping the file's owner and mode --
except that a file other users could access is tightened to owner-only, since it now holds a
token.  ``session`` holds the advisory lock on every existing file (``configgen.locks``) from
before it is read until after it is replaced, so that two writers take turns; ``write_all``
checks every file still holds what was read before it replaces the first.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from configgen import files, locks
from configgen.apply.plan import ApplyError, ApplyOptions, ApplyResult, apply
from configgen.findings import Finding
from configgen.parsing.kinds import kind_for
from configgen.spec.load import load
from configgen.spec.token_source import TokenSource


@dataclass(frozen=True)
class Written:
    """What ``write`` did to one file."""

    path: Path
    written: bool
    backup: Path | None = None
    mode: int | None = None
    notes: tuple[str, ...] = ()  # warnings for the user (mode tightened, links, ...)


def write(result: ApplyResult, *, backup: bool = False) -> Written:
    """Put ``result`` on disk atomically; the original stays intact if anything fails.

    A new file is created with mode 0600.  An existing file keeps its owner and mode, except
    that group/other permissions are removed (it now holds a token); with ``backup`` the
    previous version stays as ``FILE.bak`` (``FILE.bak.1``, ``.2`` ... when that exists).
    Raises ``files.WriteError`` (nothing changed), ``files.OutputExists`` (a new file
    appeared meanwhile) or ``ApplyError`` (the file changed since it was read).
    """
    if not result.changed:
        return Written(result.path, False, notes=files.readable_warning(result.path))
    if result.old_bytes is None:
        files.write_new([(result.path, result.new_text)], overwrite=False)
        return Written(result.path, True, None, files.SECRET_MODE, ("created with mode 0600",))
    try:
        done = files.replace(
            result.path, result.new_text.encode("utf-8"), expected=result.old_bytes, backup=backup
        )
    except files.FileChanged:
        raise ApplyError(
            result.name,
            "the file changed since it was read; nothing was written: run apply again",
        ) from None
    return Written(result.path, True, done.backup, done.mode, done.notes)


class SameFile(ValueError):
    """Two ``--to`` arguments name one file; nothing was read or written."""


@dataclass(frozen=True)
class ApplyRequest:
    """``configgen apply [SPEC] --to FILE...`` as parsed from the command line."""

    spec_path: str | None
    files: tuple[str, ...]
    overrides: dict[str, tuple[Any, str]] = field(default_factory=dict)
    token_source: TokenSource | None = None
    kind: str | None = None  # None: from each file's extension
    options: ApplyOptions = field(default_factory=ApplyOptions)


@dataclass
class ApplyRun:
    """Results for every file that can be updated, errors for the others, spec warnings."""

    results: list[ApplyResult]
    errors: list[ApplyError]
    warnings: list[Finding]
    generated_token: str | None = field(default=None, repr=False)


def run(request: ApplyRequest) -> ApplyRun:
    """Load the spec and compute every file's new text; writes nothing.

    Raises ``SpecError``/``RenderError`` for the spec, as ``configgen render`` does.
    """
    _refuse_same_file(request.files)
    loaded = load(request.spec_path, request.overrides, request.token_source)
    results: list[ApplyResult] = []
    errors: list[ApplyError] = []
    for file in request.files:
        kind = request.kind or kind_for(file)
        try:
            if kind is None:
                raise ApplyError(file, "cannot tell the file's kind from its name: use --kind")
            options = dataclasses.replace(request.options, name=file)
            results.append(apply(loaded.token_spec, file, kind, options))
        except ApplyError as err:
            errors.append(err)
    return ApplyRun(results, errors, loaded.warnings, loaded.generated_token)


@contextlib.contextmanager
def session(request: ApplyRequest, *, lock: bool = True) -> Iterator[ApplyRun]:
    """``run(request)`` with, when ``lock``, the advisory lock held on every existing file from
    before it is read until the block ends (write inside it).  Raises ``locks.Locked`` when
    another writer holds a file too long."""
    paths = [Path(f) for f in request.files] if lock else []
    with locks.locked(paths):
        yield run(request)


def write_all(results: list[ApplyResult], *, backup: bool = False) -> list[Written]:
    """``write`` each result in order; ``WriteError.replaced`` lists files already written.

    Every file is checked to still hold what was read before the first is replaced, so a file
    changed meanwhile (by a writer that does not take the lock) stops the run with nothing
    written.
    """
    for result in results:
        stale = result.old_bytes is not None and not files.holds(result.path, result.old_bytes)
        if result.changed and stale:
            raise ApplyError(
                result.name,
                "the file changed since it was read; nothing was written: run apply again",
            )
    done: list[Written] = []
    for result in results:
        try:
            done.append(write(result, backup=backup))
        except files.WriteError as err:
            replaced = [w.path for w in done if w.written]
            raise files.WriteError(str(err), replaced) from None
        except ApplyError as err:  # changed in the moment between the check and its rename
            replaced = [w.path for w in done if w.written]
            if not replaced:
                raise
            raise files.WriteError(f"{err.name}: it changed since it was read", replaced) from None
    return done


def _refuse_same_file(names: tuple[str, ...]) -> None:
    """``SameFile`` when two names reach one file (the same inode, or the same real path)."""
    seen: dict[tuple[object, ...], str] = {}
    for name in names:
        try:
            info = os.stat(name)
            identity: tuple[object, ...] = (info.st_dev, info.st_ino)
        except OSError:
            identity = (os.path.realpath(name),)
        if identity in seen:
            raise SameFile(
                f"--to {seen[identity]} and --to {name} name the same file: give it once"
            )
        seen[identity] = name
