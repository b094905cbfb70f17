"""Reading one file for lint: text in, a ``ConfigDocument`` and the reading findings out.

YAML is read as Helm reads values files; HOCON with configgen's own Lightbend-faithful parser,
includes recorded and never followed.  Whatever stops a file from being read becomes a finding
whose rule follows from the error's ``kind`` -- never from its wording.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from configgen.findings import ErrorKind, Finding, LocatedError, Position, RuleInfo
from configgen.parsing import documents
from configgen.parsing.documents import ConfigDocument
from configgen.parsing.kinds import HELM
from configgen.parsing.limits import Limits
from configgen.rules import reading

if TYPE_CHECKING:
    from configgen.parsing.helm_yaml import YamlDocument
    from configgen.parsing.manifests import ManifestFile

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
) -> ConfigDocument | ManifestFile | None:
    """The parsed document (``None`` when it cannot be read); reading findings go to
    ``findings``.  A YAML file of Kubernetes manifests is read as such (``ManifestFile``).
    ``parsed`` is ``text`` already parsed with ``limits`` (apply parses a file once): the
    ``YamlDocument``, or the ``HoconDocument`` and its merge."""
    if kind == HELM:
        return _read_yaml(name, text, limits, findings, parsed)
    return _read_hocon(name, text, limits, findings, parsed)


def _read_yaml(
    name: str, text: str, limits: Limits, findings: list[Finding], loaded: Any
) -> ConfigDocument | ManifestFile | None:
    from configgen.parsing import helm_yaml

    try:
        loaded = loaded or helm_yaml.load(
            text, allow_multiple=True, max_nodes=limits.max_values, max_depth=limits.max_depth
        )
    except helm_yaml.YamlError as err:
        findings.append(error_finding(name, err, f"{err.message}: fix the YAML here"))
        return None
    if _may_be_manifests(loaded.data, loaded.extra_documents):
        try:
            every = helm_yaml.load_all(
                text, max_nodes=limits.max_values, max_depth=limits.max_depth
            )
        except helm_yaml.YamlError as err:
            findings.append(error_finding(name, err, f"{err.message}: fix the YAML here"))
            return None
        manifests = _as_manifests(name, every, findings)
        if manifests is not None:
            return manifests
    _unreadable(name, loaded.unreadable, "Helm", findings)
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


def _unreadable(
    name: str, unreadable: list[tuple[Position, str]], reader: str, findings: list[Finding]
) -> None:
    for position, what in unreadable:
        findings.append(
            finding(name, position.line, position.column, reading.SYNTAX,
                    f"{reader} cannot read this file: {what} (it fails with 'error converting "
                    "YAML to JSON'); quote the value or remove it")
        )  # fmt: skip


def _may_be_manifests(first: object, others: list[Position]) -> bool:
    """Kubernetes manifests start with ``apiVersion`` and ``kind`` (an empty first document
    may come before them)."""
    if first is None:
        return bool(others)
    return isinstance(first, dict) and "apiVersion" in first and "kind" in first


def _as_manifests(
    name: str, loaded: list[YamlDocument], findings: list[Finding]
) -> ManifestFile | None:
    """The file as Kubernetes manifests when its first document is one; several documents are
    normal there.  ``None``: it is a values file after all."""
    from configgen.parsing import manifests

    first = next((d.data for d in loaded if d.data is not None), None)
    if not manifests.is_manifest(first):
        return None
    for document in loaded:
        _unreadable(name, document.unreadable, "Kubernetes", findings)
    return manifests.read(name, loaded)


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
