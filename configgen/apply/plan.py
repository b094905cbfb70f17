"""Planning ``configgen apply`` for one file: its new text, computed and checked, never written.

``apply`` computes the new text of one file: Helm values are edited by text
surgery (``yaml_edit``), HOCON files get one configgen-managed block (``hocon_edit``).  Before a
result is returned, the new text is parsed back: the managed values must read exactly as the
spec, every other value must read exactly as before, and linting must find no error that was
not already there.  Otherwise ``ApplyError`` is raised and nothing is to be written.  A missing
file gets what ``configgen render`` would write.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from configgen import locks
from configgen.apply.diff import Range, Redaction, unified_diff
from configgen.apply.spans import EditError, same
from configgen.findings import Finding, FindingsError, Severity
from configgen.lint import run as lint
from configgen.messages import printable
from configgen.parsing import sources
from configgen.parsing.kinds import HELM, KINDS
from configgen.render import targets
from configgen.render.templates import RenderError, check_target, render
from configgen.render.verify import verify
from configgen.spec.model import TokenSpec

BOM = "\ufeff"


class ApplyError(FindingsError):
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
        findings: Sequence[Finding] = (),
    ) -> None:
        self.name = name
        self.message = message
        self.line = line
        self.column = column
        super().__init__(findings, f"{self.location}: {message}")

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
    (warnings and infos only: errors raise).  ``secret_ranges`` are the character ranges of
    every secret value in the old and the new text, ``secrets`` the token values (for diffs).
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
    secret_ranges: tuple[tuple[Range, ...], tuple[Range, ...]] = field(default=((), ()), repr=False)

    @property
    def changed(self) -> bool:
        """True when writing would change (or create) the file."""
        return self.old_text != self.new_text

    @property
    def created(self) -> bool:
        """True when the file does not exist yet."""
        return self.old_text is None

    def diff(self, *, redact: bool = True) -> str:
        """A unified diff; with ``redact`` every secret value (old and new, whatever its style
        or line span) shows as ``<redacted>``."""
        name = printable(self.name)  # the headers must not carry a line break or an escape
        before = "/dev/null" if self.created else name
        changes = tuple(zip(self.old_ranges, self.new_ranges, strict=True))
        redaction = Redaction(*self.secret_ranges, self.secrets) if redact else None
        return unified_diff(self.old_text or "", self.new_text, before, name, changes, redaction)


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
        check_target(spec, targets.for_kind(kind), name)
    except RenderError as err:
        raise ApplyError(
            name, "the spec cannot be written into this file", findings=err.findings
        ) from None
    data = _read(path, name, options.lint.limits.max_bytes)
    if data is None:
        rendered = render(spec, targets.for_kind(kind), hocon_form=options.hocon_form)
        verify(rendered, spec)
        findings = _lint_check(name, kind, None, (rendered.text, None), options)
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
    editor: Any = _editor(kind)
    limits = options.lint.limits
    try:
        before = editor.read(text, limits)  # the one parse of the file
        edit = editor.edit(text, spec, before)
    except EditError as err:
        raise ApplyError(name, err.message, err.line, err.column) from None
    if edit.text == text:
        return ApplyResult(path, name, kind, bom + text, bom + text, edit.notes, old_bytes=data)
    try:
        after = editor.read(edit.text, limits)  # the one parse of the result
    except EditError as err:
        after, problems = None, [f"it does not parse ({err.line}:{err.column}: {err.message})"]
    else:
        problems = _read_back(editor, before, after, edit.wrote)
    if problems or after is None:
        raise ApplyError(
            name,
            f"configgen cannot edit this file safely ({'; '.join(problems)}); nothing was "
            "changed: add the token by hand, or report this if the file looks ordinary",
        )
    findings = _lint_check(name, kind, (text, _lint_view(before)), (edit.text, _lint_view(after)),
                           options)  # fmt: skip
    shift = len(bom)
    secret_ranges = tuple(
        tuple((a + shift, b + shift) for a, b in editor.secret_ranges(t, p))
        for t, p in ((text, before), (edit.text, after))
    )
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
        secrets=(spec.token, *_old_tokens(editor, before)),
        secret_ranges=(secret_ranges[0], secret_ranges[1]),
    )


def _read(path: Path, name: str, limit: int) -> bytes | None:
    """The file's bytes; ``None`` when it does not exist."""
    foreign = locks.foreign_link(path)
    if foreign is not None:
        raise ApplyError(
            name,
            f"{foreign} is a symbolic link that belongs to another user (uid "
            f"{os.lstat(foreign).st_uid}): configgen does not write through it; give the path "
            "of the file itself",
        )
    if not path.exists() and not path.is_symlink():
        return None
    try:
        return sources.read_file(str(path), limit=limit)  # "-" is a file name here
    except sources.InputError as err:
        raise ApplyError(name, err.message) from None


def _old_tokens(editor: Any, before: Any) -> list[str]:
    """Token values in the file before the edit (to keep them out of diffs)."""
    bootstrap = editor.bootstrap_of(editor.managed_view(before)[0])
    if isinstance(bootstrap, dict) and isinstance(bootstrap.get("token"), str):
        return [bootstrap["token"]]
    return []


def _lint_view(parsed: Any) -> Any:
    """What ``lint_text`` takes as already parsed: the YAML document, or the HOCON document
    with its merge."""
    merged = getattr(parsed, "merged", None)
    return parsed.document if merged is None else (parsed.document, merged)


def _editor(kind: str) -> Any:
    """The editor module of ``kind``, imported only when a file of that kind is edited."""
    import importlib

    return importlib.import_module(f"configgen.apply.{'yaml' if kind == HELM else 'hocon'}_edit")


def _read_back(editor: Any, before: Any, after: Any, expected: Any) -> list[str]:
    """What does not read back as intended in the new text (``after``, parsed with configgen's
    parsers) compared with the old one (``before``)."""
    managed, rest = editor.managed_view(after)
    _, rest_before = editor.managed_view(before)
    problems = []
    if not same(managed, expected):
        problems.append("the managed values read back differently")
    if not same(rest, rest_before):
        problems.append("values outside the managed part would change")
    return problems


def _lint_check(
    name: str,
    kind: str,
    old: tuple[str, Any] | None,
    new: tuple[str, Any],
    options: ApplyOptions,
) -> tuple[Finding, ...]:
    """New findings of ``new`` (its text, and its parse when there is one);
    ``ApplyError`` when any of them is an error."""
    before: set[tuple[str, Any]] = set()
    if old is not None:
        found = lint.lint_text(name, old[0], kind, options.lint, parsed=old[1])
        before = {(f.rule, f.json_path) for f in found}
    fresh = [
        f
        for f in lint.lint_text(name, new[0], kind, options.lint, parsed=new[1])
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
