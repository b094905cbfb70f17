"""Reading one file for lint: text in, a ``ConfigDocument`` and the reading findings out.

YAML is read as Helm reads values files; HOCON with configgen's own Lightbend-faithful parser,
includes recorded and never followed.  Whatever stops a file from being read becomes a finding
whose rule follows from the error's ``kind`` -- never from its wording.
"""

from __future__ import annotations

from typing import Any

from configgen.findings import ErrorKind, Finding, LocatedError, RuleInfo
from configgen.parsing import documents
from configgen.parsing.documents import ConfigDocument
from configgen.parsing.kinds import HELM
from configgen.parsing.limits import Limits
from configgen.rules import reading

RULE_OF_KIND: dict[ErrorKind, RuleInfo] = {
    ErrorKind.UNREADABLE: reading.SYNTAX,
    ErrorKind.ENCODING: reading.SYNTAX,
    ErrorKind.SYNTAX: reading.SYNTAX,
    ErrorKind.UNSAFE: reading.SYNTAX,
    ErrorKind.LIMIT: reading.LIMIT,
    ErrorKind.INCLUDE: reading.INCLUDE,
}


def error_finding(name: str, err: LocatedError, message: str | None = None) -> Finding:
    """The finding for an error that stopped ``name`` from being read."""
    return finding(name, err.line, err.column, RULE_OF_KIND[err.kind], message or err.message)


def finding(name: str, line: int, column: int, info: RuleInfo, message: str) -> Finding:
    """A finding of rule ``info`` with its default severity."""
    return Finding(name, line, column, info.id, info.severity, message)


def read(
    name: str,
    text: str,
    kind: str,
    limits: Limits,
    findings: list[Finding],
    parsed: Any = None,
) -> ConfigDocument | None:
    """The parsed document (``None`` when it cannot be read); reading findings go to
    ``findings``.  ``parsed`` is ``text`` already parsed with ``limits`` (apply parses a file
    once): the ``YamlDocument``, or the ``HoconDocument`` and its merge."""
    if kind == HELM:
        return _read_yaml(name, text, limits, findings, parsed)
    return _read_hocon(name, text, limits, findings, parsed)


def _read_yaml(
    name: str, text: str, limits: Limits, findings: list[Finding], loaded: Any
) -> ConfigDocument | None:
    from configgen.parsing import helm_yaml

    try:
        loaded = loaded or helm_yaml.load(
            text, allow_multiple=True, max_nodes=limits.max_values, max_depth=limits.max_depth
        )
    except helm_yaml.YamlError as err:
        findings.append(error_finding(name, err, f"{err.message}: fix the YAML here"))
        return None
    for position, what in loaded.unreadable:
        findings.append(
            finding(name, position.line, position.column, reading.SYNTAX,
                    f"Helm cannot read this file: {what} (it fails with 'error converting "
                    "YAML to JSON'); quote the value or remove it")
        )  # fmt: skip
    for position in loaded.extra_documents:
        findings.append(
            finding(
                name,
                position.line,
                position.column,
                reading.MULTI_DOCUMENT,
                "Helm reads only the first document of a values file; this one "
                "is ignored: keep one document per file",
            )
        )
    return documents.from_yaml(name, text, loaded)


def _read_hocon(
    name: str, text: str, limits: Limits, findings: list[Finding], parsed: Any
) -> ConfigDocument | None:
    from configgen.parsing import hocon
    from configgen.parsing.hocon import includes

    for include in includes.find_includes(text):
        findings.append(
            finding(
                name,
                include.line,
                include.column,
                reading.INCLUDE,
                "include directive: configgen never follows includes, so what it "
                "brings in is not checked; inline the settings or lint that "
                "file separately",
            )
        )
    merged = None
    if parsed is not None:
        parsed, merged = parsed
    try:
        parsed = parsed or hocon.parse(text, max_depth=limits.max_depth)
    except hocon.HoconSyntaxError as err:
        findings.append(error_finding(name, err))
        return None
    seen = {(f.line, f.column) for f in findings}
    for directive in parsed.includes:
        if (directive.pos.line, directive.pos.column) not in seen:
            findings.append(
                finding(
                    name,
                    directive.pos.line,
                    directive.pos.column,
                    reading.INCLUDE,
                    "include directive: configgen never follows includes; inline the settings",
                )
            )
    return documents.from_hocon(name, text, merged or hocon.merge(parsed))
