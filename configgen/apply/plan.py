"""``configgen apply`` as functions: set the bootstrap token in existing files, losing nothing.

``apply`` computes the new text of one file (never writes): Helm values are edited by text
surgery (``yaml_edit``), HOCON files get one configgen-managed block (``hocon_edit``).  Before a
result is returned, the new text is parsed back: the managed values must read exactly as the
spec, every other value must read exactly as before, and linting must find no error that was
not already there.  Otherwise ``ApplyError`` is raised and nothing is to be written.  A missing
file gets what ``configgen render`` would write.

``write`` replaces a file atomically, keeping its owner and mode -- except that a file other
users could read is tightened to owner-only, since it now holds a token.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from configgen import files
from configgen.apply import hocon_edit, yaml_edit
from configgen.apply.spans import EditError, same, unified_diff
from configgen.findings import Finding, Severity
from configgen.lint import run as lint
from configgen.parsing import sources
from configgen.parsing.documents import HELM, HOCON
from configgen.render import run as generate
from configgen.render.run import TokenSource
from configgen.render.templates import TARGETS, RenderError, check_target, render
from configgen.render.verify import expected_bootstrap, verify
from configgen.spec.load import TokenSpec

KINDS = (HELM, HOCON)
BOM = "\ufeff"
_TARGETS = {HELM: TARGETS["kubernetes"], HOCON: TARGETS["linux"]}


class ApplyError(ValueError):
    """A file cannot be updated; nothing was (or will be) written to it.

    ``line``/``column`` are 1-based (0: the whole file); ``findings`` holds new lint errors.
    Messages are configgen's own and never hold a token.
    """

    def __init__(
        self,
        name: str,
        message: str,
        line: int = 0,
        column: int = 0,
        findings: tuple[Finding, ...] = (),
    ) -> None:
        self.name = name
        self.message = message
        self.line = line
        self.column = column
        self.findings = findings
        super().__init__(f"{self.location}: {message}")

    @property
    def location(self) -> str:
        """``file:line:col`` (or just the file)."""
        if self.line <= 0:
            return self.name
        return f"{self.name}:{self.line}:{max(self.column, 1)}"


@dataclass(frozen=True)
class ApplyOptions:
    """How to apply: lint options for the before/after check, the HOCON form of a new file,
    and the name to show for the file (default: its path)."""

    lint: lint.LintOptions = field(default_factory=lint.LintOptions)
    hocon_form: str = "full"
    name: str | None = None


@dataclass(frozen=True)
class ApplyResult:
    """The new text of one file and what changed; nothing has been written yet.

    Texts include a leading BOM when the file has one.  ``old_ranges``/``new_ranges`` are the
    managed part (character ranges of ``old_text``/``new_text``): everything outside them is
    identical.  ``findings`` are lint findings of the new text that were not there before
    (warnings and infos only: errors raise).
    """

    path: Path
    name: str
    kind: str
    old_text: str | None = field(repr=False)  # None: the file does not exist
    new_text: str = field(repr=False)
    notes: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    old_ranges: tuple[tuple[int, int], ...] = ()
    new_ranges: tuple[tuple[int, int], ...] = ()
    old_bytes: bytes | None = field(default=None, repr=False)
    secrets: tuple[str, ...] = field(default=(), repr=False)

    @property
    def changed(self) -> bool:
        """True when writing would change (or create) the file."""
        return self.old_text != self.new_text

    @property
    def created(self) -> bool:
        """True when the file does not exist yet."""
        return self.old_text is None

    def diff(self, *, redact: bool = True) -> str:
        """A unified diff; with ``redact`` token values (old and new) show as ``<redacted>``."""
        before = "/dev/null" if self.created else self.name
        secrets = self.secrets if redact else None
        return unified_diff(self.old_text or "", self.new_text, before, self.name, secrets)


@dataclass(frozen=True)
class Written:
    """What ``write`` did to one file."""

    path: Path
    written: bool
    backup: Path | None = None
    mode: int | None = None
    notes: tuple[str, ...] = ()  # warnings for the user (mode tightened, links, ...)


def apply(
    spec: TokenSpec,
    target_path: str | os.PathLike[str],
    kind: str,
    options: ApplyOptions | None = None,
) -> ApplyResult:
    """The new text of ``target_path`` (``kind`` ``"helm"`` or ``"hocon"``) holding ``spec``."""
    options = options or ApplyOptions()
    path = Path(target_path)
    name = options.name or str(path)
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    try:
        check_target(spec, _TARGETS[kind], name)
    except RenderError as err:
        raise ApplyError(
            name, "the spec cannot be written into this file", findings=tuple(err.findings)
        ) from None
    data = _read(path, name, options.lint.max_bytes)
    if data is None:
        rendered = render(spec, _TARGETS[kind], hocon_form=options.hocon_form)
        verify(rendered, spec)
        findings = _lint_check(name, kind, None, rendered.text, options)
        note = "the file does not exist: it is created as configgen render writes it (mode 0600)"
        return ApplyResult(
            path,
            name,
            kind,
            old_text=None,
            new_text=rendered.text,
            notes=(note,),
            findings=findings,
            old_ranges=((0, 0),),
            new_ranges=((0, len(rendered.text)),),
            secrets=(spec.token,),
        )
    bom = BOM if data.startswith(BOM.encode("utf-8")) else ""
    try:
        text = sources.decode(data)
    except sources.InputError as err:
        raise ApplyError(name, err.message, err.line, err.column) from None
    editor: Any = yaml_edit if kind == HELM else hocon_edit
    try:
        edit = editor.edit(text, spec)
    except EditError as err:
        raise ApplyError(name, err.message, err.line, err.column) from None
    if edit.text == text:
        return ApplyResult(path, name, kind, bom + text, bom + text, edit.notes, old_bytes=data)
    problems = _read_back(kind, text, edit.text, spec)
    if problems:
        raise ApplyError(
            name,
            f"configgen cannot edit this file safely ({'; '.join(problems)}); nothing was "
            "changed: add the token by hand, or report this if the file looks ordinary",
        )
    findings = _lint_check(name, kind, text, edit.text, options)
    shift = len(bom)
    return ApplyResult(
        path,
        name,
        kind,
        old_text=bom + text,
        new_text=bom + edit.text,
        notes=edit.notes,
        findings=findings,
        old_ranges=tuple((a + shift, b + shift) for a, b in edit.old_ranges),
        new_ranges=tuple((a + shift, b + shift) for a, b in edit.new_ranges),
        old_bytes=data,
        secrets=(spec.token, *_old_tokens(editor, text)),
    )


def _read(path: Path, name: str, limit: int) -> bytes | None:
    """The file's bytes; ``None`` when it does not exist."""
    if not path.exists() and not path.is_symlink():
        return None
    if path.exists() and not path.is_file():
        raise ApplyError(name, "not a regular file")
    try:
        return sources.read_bytes(str(path), limit=limit)
    except sources.InputError as err:
        raise ApplyError(name, err.message) from None


def _old_tokens(editor: Any, text: str) -> list[str]:
    """Token values in the file before the edit (to keep them out of diffs)."""
    with contextlib.suppress(EditError):
        managed, _rest = editor.managed_view(text)
        bootstrap = managed.get("bootstrap") if editor is hocon_edit else managed
        if isinstance(bootstrap, dict) and isinstance(bootstrap.get("token"), str):
            return [bootstrap["token"]]
    return []


def _read_back(kind: str, old: str, new: str, spec: TokenSpec) -> list[str]:
    """What does not read back as intended in ``new`` (parsed with configgen's parsers)."""
    try:
        if kind == HELM:
            expected: Any = expected_bootstrap(spec)
            managed, rest = yaml_edit.managed_view(new)
            _, rest_before = yaml_edit.managed_view(old)
        else:
            providers = hocon_edit.plan(old, spec).providers
            expected = {"bootstrap": expected_bootstrap(spec), "authServerType": providers}
            managed, rest = hocon_edit.managed_view(new)
            _, rest_before = hocon_edit.managed_view(old)
    except EditError as err:
        return [f"it does not parse ({err.line}:{err.column}: {err.message})"]
    problems = []
    if not same(managed, expected):
        problems.append("the managed values read back differently")
    if not same(rest, rest_before):
        problems.append("values outside the managed part would change")
    return problems


def _lint_check(
    name: str, kind: str, old: str | None, new: str, options: ApplyOptions
) -> tuple[Finding, ...]:
    """New findings of ``new``; ``ApplyError`` when any of them is an error."""
    before: set[tuple[str, Any]] = set()
    if old is not None:
        before = {(f.rule, f.json_path) for f in lint.lint_text(name, old, kind, options.lint)}
    fresh = [
        f
        for f in lint.lint_text(name, new, kind, options.lint)
        if (f.rule, f.json_path) not in before
    ]
    errors = tuple(f for f in fresh if f.severity is Severity.ERROR)
    if errors:
        raise ApplyError(
            name,
            "the updated file would have lint errors it does not have now; nothing was changed",
            findings=errors,
        )
    return tuple(fresh)


# -- writing ---------------------------------------------------------------------------------


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


# -- the whole command -------------------------------------------------------------------------


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
    loaded = generate.load_spec(
        generate.RenderRequest(
            spec_path=request.spec_path,
            overrides=request.overrides,
            token_source=request.token_source,
        )
    )
    results: list[ApplyResult] = []
    errors: list[ApplyError] = []
    for file in request.files:
        kind = request.kind or lint.kind_for(file)
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
