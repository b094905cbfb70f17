"""``configgen apply`` as functions: plan every file, then write them, losing nothing.

``run`` loads the spec and plans each file (``configgen.apply.plan``); ``write`` puts one planned
result on disk through ``configgen.files``: atomically, keeping the file's owner and mode --
except that a file other users could read is tightened to owner-only, since it now holds a
token.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from configgen import files
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


def write_all(results: list[ApplyResult], *, backup: bool = False) -> list[Written]:
    """``write`` each result in order; ``WriteError.replaced`` lists files already written."""
    done: list[Written] = []
    for result in results:
        try:
            done.append(write(result, backup=backup))
        except files.WriteError as err:
            replaced = [w.path for w in done if w.written]
            raise files.WriteError(str(err), replaced) from None
    return done
