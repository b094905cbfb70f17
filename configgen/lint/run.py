"""``configgen lint`` as functions: files in, findings out.  Never prints, never raises for input.

Each file is read with the bounded readers and parsed as its consumer parses it
(``configgen.lint.read``), then every rule module runs over the result.  An unexpected exception
inside one file becomes an ``internal-error`` finding for that file; the other files are still
checked.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, NamedTuple

from configgen.findings import Finding, Severity, sorted_findings
from configgen.lint import read, suppress, together
from configgen.parsing import sources
from configgen.parsing.documents import ConfigDocument
from configgen.parsing.kinds import HELM, kind_for
from configgen.parsing.limits import DEFAULT, Limits
from configgen.product import profiles
from configgen.rules import reading


class LintOptions(NamedTuple):
    """What changes the findings: the product, required token, silenced and re-rated rules,
    and the bounds of the work per file."""

    profile: profiles.Profile = profiles.DEFAULT_PROFILE
    require_token: bool = False
    disable: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = MappingProxyType({})
    limits: Limits = DEFAULT


class LintResult(NamedTuple):
    """Findings of all files, sorted, and how many files were checked."""

    findings: Sequence[Finding]
    files_checked: int


class _Checked(NamedTuple):
    """One file's findings, and what the checks across files need from it (if anything)."""

    findings: list[Finding]
    kept: together.Kept | None = None
    silenced: suppress.Suppressions | None = None


def lint_paths(
    paths: Iterable[str],
    options: LintOptions,
    *,
    kind: str | None = None,
    stdin_name: str = "<stdin>",
) -> LintResult:
    """Lint every path (``-`` is stdin); each file is reported even when others fail.

    Files are checked one by one, then together: values files with ``fromExternalSecret`` and
    the manifests of the Secret they name (``configgen.lint.together``).
    """
    findings: list[Finding] = []
    kept: list[_Checked] = []
    count = 0
    for path in paths:
        count += 1
        if path == sources.STDIN:  # stdin is Helm values unless told or named otherwise
            file_kind = kind or kind_for(stdin_name) or HELM
            checked = _check_file(path, options, kind=file_kind, name=stdin_name)
        else:
            checked = _check_file(path, options, kind=kind, name=path)
        findings.extend(checked.findings)
        if checked.kept is not None:
            kept.append(checked)
    findings.extend(_across(kept, options))
    return LintResult(sorted_findings(together.settle(findings, kept_values(kept))), count)


def kept_values(checked: list[_Checked]) -> list[together.Values]:
    """The values files of the run, in order."""
    return [c.kept for c in checked if isinstance(c.kept, together.Values)]


def lint_file(path: str, options: LintOptions, *, kind: str | None, name: str) -> list[Finding]:
    """Findings for one file; never raises."""
    return _check_file(path, options, kind=kind, name=name).findings


def _check_file(path: str, options: LintOptions, *, kind: str | None, name: str) -> _Checked:
    file_kind = kind or kind_for(name)
    if file_kind is None:
        return _Checked(
            [
                read.finding(
                    name,
                    0,
                    0,
                    reading.SYNTAX,
                    "cannot tell the file's kind from its name: use --kind helm or --kind hocon",
                )
            ]
        )
    try:
        text = sources.decode(sources.read_bytes(path, limit=options.limits.max_bytes))
    except sources.InputError as err:
        return _Checked([read.error_finding(name, err)])
    return _check_text(name, text, file_kind, options)


def lint_text(
    name: str, text: str, kind: str, options: LintOptions, *, parsed: Any = None
) -> list[Finding]:
    """Findings for text already read; never raises.  ``parsed``: the text already parsed
    as lint parses it (``read.read``), so that a caller that parsed it does not parse again."""
    return _check_text(name, text, kind, options, parsed).findings


def _check_text(
    name: str, text: str, kind: str, options: LintOptions, parsed: Any = None
) -> _Checked:
    kept = None
    try:
        findings, kept = _lint(name, text, kind, options, parsed)
    except Exception as err:  # one bad file must not stop the others
        findings = [_internal(name, err)]
    silenced = suppress.parse(text)
    return _Checked(_filtered(findings, silenced, options), kept, silenced)


def _internal(name: str, err: Exception) -> Finding:
    return read.finding(
        name,
        0,
        0,
        reading.INTERNAL,
        f"configgen failed on this file ({type(err).__name__}); the other files were "
        "checked. Please report it (without secrets)",
    )


def _filtered(
    findings: Iterable[Finding], silenced: suppress.Suppressions, options: LintOptions
) -> list[Finding]:
    # syntax, limit, include and internal-error are never silenced or re-rated: they say the
    # file was not (fully) checked (reading.UNCHECKED).
    return [
        f if f.rule in reading.UNCHECKED else _rerate(f, options)
        for f in findings
        if f.rule in reading.UNCHECKED
        or (f.rule not in options.disable and not silenced.silences(f))
    ]


def _lint(
    name: str, text: str, kind: str, options: LintOptions, parsed: Any
) -> tuple[list[Finding], together.Kept | None]:
    findings: list[Finding] = []
    doc = read.read(name, text, kind, options.limits, findings, parsed)
    if doc is None:
        return findings, None
    if not isinstance(doc, ConfigDocument):  # Kubernetes manifests
        from configgen.rules import external_secret

        findings.extend(external_secret.check_manifests(doc))
        return findings, doc if doc.manifests else None
    from configgen.rules import modules
    from configgen.rules.base import Context

    ctx = Context(doc, options.profile, options.require_token)
    for module in modules():
        findings.extend(module.check(ctx))
    return findings, together.keep(doc)


def _across(checked: list[_Checked], options: LintOptions) -> list[Finding]:
    """Findings across files, each filtered by its own file's directives."""
    kept = [c.kept for c in checked if c.kept is not None]
    if not together.worth_checking(kept):
        return []
    try:
        findings = together.check(kept, options.profile)
    except Exception as err:  # as for one file: report, never stop
        return [_internal(together.name_of(kept[0]), err)]
    silenced = {together.name_of(c.kept): c.silenced for c in checked if c.kept is not None}
    return [
        kept_finding
        for finding in findings
        for kept_finding in _filtered(
            [finding], silenced.get(finding.path) or suppress.Suppressions(), options
        )
    ]


def _rerate(finding: Finding, options: LintOptions) -> Finding:
    level = options.severity.get(finding.rule)
    if level is None:
        return finding
    import dataclasses

    return dataclasses.replace(finding, severity=level)
