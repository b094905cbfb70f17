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
from configgen.lint import read, suppress
from configgen.parsing import sources
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


def lint_paths(
    paths: Iterable[str],
    options: LintOptions,
    *,
    kind: str | None = None,
    stdin_name: str = "<stdin>",
) -> LintResult:
    """Lint every path (``-`` is stdin); each file is reported even when others fail."""
    findings: list[Finding] = []
    count = 0
    for path in paths:
        count += 1
        if path == sources.STDIN:  # stdin is Helm values unless told or named otherwise
            file_kind = kind or kind_for(stdin_name) or HELM
            findings.extend(lint_file(path, options, kind=file_kind, name=stdin_name))
        else:
            findings.extend(lint_file(path, options, kind=kind, name=path))
    return LintResult(sorted_findings(findings), count)


def lint_file(path: str, options: LintOptions, *, kind: str | None, name: str) -> list[Finding]:
    """Findings for one file; never raises."""
    file_kind = kind or kind_for(name)
    if file_kind is None:
        return [
            read.finding(
                name,
                0,
                0,
                reading.SYNTAX,
                "cannot tell the file's kind from its name: use --kind helm or --kind hocon",
            )
        ]
    try:
        text = sources.decode(sources.read_bytes(path, limit=options.limits.max_bytes))
    except sources.InputError as err:
        return [read.error_finding(name, err)]
    return lint_text(name, text, file_kind, options)


def lint_text(
    name: str, text: str, kind: str, options: LintOptions, *, parsed: Any = None
) -> list[Finding]:
    """Findings for text already read; never raises.  ``parsed``: the text already parsed
    as lint parses it (``read.read``), so that a caller that parsed it does not parse again."""
    try:
        findings = _lint(name, text, kind, options, parsed)
    except Exception as err:  # one bad file must not stop the others
        findings = [
            read.finding(
                name,
                0,
                0,
                reading.INTERNAL,
                f"configgen failed on this file "
                f"({type(err).__name__}); the other files were checked. Please "
                "report it (without secrets)",
            )
        ]
    silenced = suppress.parse(text)
    # syntax, limit, include and internal-error are never silenced or re-rated: they say the
    # file was not (fully) checked (reading.UNCHECKED).
    return [
        f if f.rule in reading.UNCHECKED else _rerate(f, options)
        for f in findings
        if f.rule in reading.UNCHECKED
        or (f.rule not in options.disable and not silenced.silences(f))
    ]


def _lint(name: str, text: str, kind: str, options: LintOptions, parsed: Any) -> list[Finding]:
    findings: list[Finding] = []
    doc = read.read(name, text, kind, options.limits, findings, parsed)
    if doc is None:
        return findings
    from configgen.rules import modules
    from configgen.rules.base import Context

    ctx = Context(doc, options.profile, options.require_token)
    for module in modules():
        findings.extend(module.check(ctx))
    return findings


def _rerate(finding: Finding, options: LintOptions) -> Finding:
    level = options.severity.get(finding.rule)
    if level is None:
        return finding
    import dataclasses

    return dataclasses.replace(finding, severity=level)
