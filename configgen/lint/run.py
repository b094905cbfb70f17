"""``configgen lint`` as functions: files in, findings out.  Never prints, never raises for input.

Each file is read with the bounded readers, parsed by the format's parser (YAML as Helm reads
it; HOCON with configgen's own Lightbend-faithful parser, includes recorded and never followed),
then every rule module runs over the result.  An unexpected exception inside one file becomes an
``internal-error`` finding for that file; the other files are still checked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import PurePath

from configgen.findings import Finding, RuleInfo, Severity, sorted_findings
from configgen.lint import suppress
from configgen.parsing import documents, sources
from configgen.parsing.documents import HELM, HOCON, ConfigDocument
from configgen.product import profiles
from configgen.rules import reading

EXTENSIONS = {".yaml": HELM, ".yml": HELM, ".conf": HOCON, ".hocon": HOCON}


@dataclass(frozen=True)
class LintOptions:
    """What changes the findings: the product, required token, silenced and re-rated rules."""

    profile: profiles.Profile = profiles.DEFAULT_PROFILE
    require_token: bool = False
    disable: frozenset[str] = frozenset()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    max_bytes: int = 512 * 1024  # values files are far smaller; bounds the work per file
    max_depth: int = 100  # nesting levels (YAML and HOCON); can only be lowered
    max_values: int = 200_000  # values a YAML document may expand to through aliases


@dataclass(frozen=True)
class LintResult:
    """Findings of all files, sorted, and how many files were checked."""

    findings: Sequence[Finding]
    files_checked: int


def kind_for(name: str) -> str | None:
    """The kind a file name implies (``None`` when it says nothing)."""
    return EXTENSIONS.get(PurePath(name).suffix.lower())


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
            _finding(
                name,
                0,
                0,
                reading.SYNTAX,
                "cannot tell the file's kind from its name: use --kind helm or --kind hocon",
            )
        ]
    try:
        text = sources.decode(sources.read_bytes(path, limit=options.max_bytes))
    except sources.InputError as err:
        info = reading.LIMIT if "larger than" in err.message else reading.SYNTAX
        return [_finding(name, err.line, err.column, info, err.message)]
    return lint_text(name, text, file_kind, options)


def lint_text(name: str, text: str, kind: str, options: LintOptions) -> list[Finding]:
    """Findings for text already read; never raises."""
    try:
        findings = _lint(name, text, kind, options)
    except Exception as err:  # one bad file must not stop the others
        findings = [
            _finding(
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
    # internal-error is never silenced: it says the other findings are incomplete.
    return [
        f if f.rule == reading.INTERNAL.id else _rerate(f, options)
        for f in findings
        if f.rule == reading.INTERNAL.id
        or (f.rule not in options.disable and not silenced.silences(f))
    ]


def _lint(name: str, text: str, kind: str, options: LintOptions) -> list[Finding]:
    findings: list[Finding] = []
    doc = _parse(name, text, kind, options, findings)
    if doc is None:
        return findings
    from configgen.rules import modules
    from configgen.rules.base import Context

    ctx = Context(doc, options.profile, options.require_token)
    for module in modules():
        findings.extend(module.check(ctx))
    return findings


def _parse(
    name: str, text: str, kind: str, options: LintOptions, findings: list[Finding]
) -> ConfigDocument | None:
    if kind == HELM:
        return _parse_yaml(name, text, options, findings)
    return _parse_hocon(name, text, options, findings)


def _parse_yaml(
    name: str, text: str, options: LintOptions, findings: list[Finding]
) -> ConfigDocument | None:
    from configgen.parsing import helm_yaml

    try:
        loaded = helm_yaml.load(
            text, allow_multiple=True, max_nodes=options.max_values, max_depth=options.max_depth
        )
    except helm_yaml.YamlError as err:
        info = (
            reading.LIMIT
            if err.message.startswith(("nesting", "the document"))
            else (reading.SYNTAX)
        )
        findings.append(
            _finding(
                name,
                err.position.line,
                err.position.column,
                info,
                f"{err.message}: fix the YAML here",
            )
        )
        return None
    for position, what in loaded.unreadable:
        findings.append(
            _finding(name, position.line, position.column, reading.SYNTAX,
                     f"Helm cannot read this file: {what} (it fails with 'error converting "
                     "YAML to JSON'); quote the value or remove it")
        )  # fmt: skip
    for position in loaded.extra_documents:
        findings.append(
            _finding(
                name,
                position.line,
                position.column,
                reading.MULTI_DOCUMENT,
                "Helm reads only the first document of a values file; this one "
                "is ignored: keep one document per file",
            )
        )
    return documents.from_yaml(name, text, loaded)


def _parse_hocon(
    name: str, text: str, options: LintOptions, findings: list[Finding]
) -> ConfigDocument | None:
    from configgen.parsing import hocon, pyhocon_safe

    for include in pyhocon_safe.find_includes(text):
        findings.append(
            _finding(
                name,
                include.line,
                include.column,
                reading.INCLUDE,
                "include directive: configgen never follows includes, so what it "
                "brings in is not checked; inline the settings or lint that "
                "file separately",
            )
        )
    try:
        parsed = hocon.parse(text, max_depth=options.max_depth)
    except hocon.HoconSyntaxError as err:
        info = reading.LIMIT if err.message.startswith("nesting") else reading.SYNTAX
        findings.append(_finding(name, err.line, err.column, info, err.message))
        return None
    seen = {(f.line, f.column) for f in findings}
    for directive in parsed.includes:
        if (directive.pos.line, directive.pos.column) not in seen:
            findings.append(
                _finding(
                    name,
                    directive.pos.line,
                    directive.pos.column,
                    reading.INCLUDE,
                    "include directive: configgen never follows includes; inline the settings",
                )
            )
    return documents.from_hocon(name, text, hocon.merge(parsed))


def _finding(name: str, line: int, column: int, info: RuleInfo, message: str) -> Finding:
    return Finding(name, line, column, info.id, info.severity, message)


def _rerate(finding: Finding, options: LintOptions) -> Finding:
    level = options.severity.get(finding.rule)
    return finding if level is None else dataclasses.replace(finding, severity=level)
