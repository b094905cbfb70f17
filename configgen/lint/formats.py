"""Lint reports in the forms people and CI systems read: pure functions, no I/O.

``FORMATS``: ``text`` (for people, optionally coloured, with a summary line), ``parsable``
(yamllint's one-line form for editors), ``json`` (a stable object for scripts), ``github``
(GitHub Actions annotations plus a summary line) and ``sarif`` (SARIF 2.1.0 for code scanning).

A finding on line 0 is about the whole file: it is reported without a position.  A report is the
complete text to write: every line ends in ``\\n``; ``""`` when there is nothing to say.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from configgen.findings import Finding, JsonPath, RuleInfo, Severity
from configgen.messages import printable, shown_path

AUTO = "auto"
COLOR_CHOICES = (AUTO, "always", "never")
JSON_REPORT_VERSION = 1
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/configgen/configgen"
GITHUB_ANNOTATION_LIMIT = 10  # per step, for errors and for warnings (the rest are dropped)


def text_line(finding: Finding) -> str:
    """``path:line:col: severity: message [rule]``, the form editors and terminals link."""
    return printable(f"{finding.location}: {finding.severity}: {finding.message} [{finding.rule}]")


def resolve_format(name: str, environ: Mapping[str, str]) -> str:
    """The format that ``--format name`` stands for.

    ``auto`` is ``github`` inside GitHub Actions (``GITHUB_ACTIONS=true``) and ``text`` elsewhere.
    """
    if name == AUTO:
        return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"
    if name not in FORMATS:
        raise ValueError(f"unknown report format {name!r}; expected auto or one of {FORMATS}")
    return name


def use_color(choice: str, *, is_tty: bool, environ: Mapping[str, str]) -> bool:
    """Whether ``--color choice`` colours the text report.

    ``always`` and ``never`` are obeyed as given: a per-run command-line choice outranks the
    environment, as no-color.org asks.  ``auto`` colours a terminal, except that ``NO_COLOR``
    (set and non-empty) turns colour off, ``FORCE_COLOR`` (set and non-empty) turns it on even
    through a pipe, ``NO_COLOR`` wins over ``FORCE_COLOR``, and ``TERM=dumb`` turns it off.
    """
    if choice not in COLOR_CHOICES:
        raise ValueError(f"unknown colour choice {choice!r}; expected one of {COLOR_CHOICES}")
    if choice != AUTO:
        return choice == "always"
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR"):
        return True
    return is_tty and environ.get("TERM") != "dumb"


# RFC 9535 member-name shorthand: what may follow a dot without quoting.
_NAME_FIRST = r"A-Za-z_\u0080-\ud7ff\ue000-\U0010ffff"
_SHORTHAND = f"[{_NAME_FIRST}][{_NAME_FIRST}0-9]*"
# RFC 9535 single-quoted names: these escapes, \uXXXX for other control characters.
_QUOTE_ESCAPES = {char: "\\" + code for char, code in zip("\\'\b\f\n\r\t", "\\'bfnrt", strict=True)}


def json_path_expression(json_path: JsonPath) -> str:
    """A JSONPath (RFC 9535) for a parsed location: ``$.a.b.roles[0]``, ``$.a['b.c']``."""
    text = "$"
    for part in json_path:
        if isinstance(part, int):
            text += f"[{part}]"
        elif re.fullmatch(_SHORTHAND, part):
            text += f".{part}"
        else:
            quoted = "".join(
                _QUOTE_ESCAPES.get(ch, f"\\u{ord(ch):04x}" if ch < " " else ch) for ch in part
            )
            text += f"['{quoted}']"
    return text


_NOUNS = {"error": "errors", "warning": "warnings", "info": "info", "file": "files"}


def _count(number: int, noun: str) -> str:
    return f"{number} {noun if number == 1 else _NOUNS[noun]}"


def severity_counts(findings: Sequence[Finding]) -> dict[str, int]:
    """``{"error": n, "warning": n, "info": n}``, worst first."""
    counts = Counter(finding.severity for finding in findings)
    return {str(severity): counts[severity] for severity in sorted(Severity, reverse=True)}


def summary_line(findings: Sequence[Finding], files_checked: int) -> str:
    """``2 errors, 1 warning in 1 file (3 files checked)`` or ``no problems in 3 files``."""
    checked = _count(files_checked, "file")
    if not findings:
        return f"no problems in {checked}" if files_checked else "no files checked"
    counts = ", ".join(_count(n, noun) for noun, n in severity_counts(findings).items() if n)
    files = _count(len({finding.path for finding in findings}), "file")
    return f"{counts} in {files} ({checked} checked)"


class _Report(NamedTuple):
    findings: Sequence[Finding]
    rules: Sequence[RuleInfo]
    files_checked: int
    color: bool
    tool_version: str


def _lines(lines: Sequence[str]) -> str:
    return "".join(f"{line}\n" for line in lines)


_RESET, _BOLD, _DIM = "\x1b[0m", "\x1b[1m", "\x1b[2m"
_COLORS = {Severity.ERROR: "\x1b[31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}


def _colored_text_line(finding: Finding) -> str:
    """``text_line`` with the location bold, the severity coloured and the rule dim."""
    return (
        f"{_BOLD}{printable(finding.location)}{_RESET}: "
        f"{_COLORS[finding.severity]}{finding.severity}{_RESET}: "
        f"{printable(finding.message)} {_DIM}[{printable(finding.rule)}]{_RESET}"
    )


def _text(report: _Report) -> str:
    line = _colored_text_line if report.color else text_line
    return _lines(
        [*map(line, report.findings), summary_line(report.findings, report.files_checked)]
    )


def parsable_line(finding: Finding) -> str:
    """``path:line:col: [severity] message (rule)``, yamllint's ``parsable`` form; one line
    whatever the name or message holds (``printable``)."""
    return printable(f"{finding.location}: [{finding.severity}] {finding.message} ({finding.rule})")


def _parsable(report: _Report) -> str:
    return _lines([parsable_line(finding) for finding in report.findings])


def _position(finding: Finding) -> tuple[int, int] | None:
    return (finding.line, max(finding.column, 1)) if finding.line > 0 else None


def _json(report: _Report) -> str:
    findings = []
    for finding in report.findings:
        line, column = _position(finding) or (None, None)
        findings.append(
            {
                "path": _json_name(finding.path),
                "line": line,
                "column": column,
                "severity": str(finding.severity),
                "rule": finding.rule,
                "message": finding.message,
                "json_path": json_path_expression(shown_path(finding.json_path)),
            }
        )
    document = {
        "version": JSON_REPORT_VERSION,
        "files_checked": report.files_checked,
        "summary": severity_counts(report.findings),
        "findings": findings,
    }
    return _dump(document)


def _json_name(name: str) -> str:
    """``name`` exactly, unless it holds bytes that are not UTF-8 (lone surrogates), which JSON
    cannot carry: then escaped as every other format shows it."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return printable(name)
    return name


def _dump(document: Mapping[str, Any]) -> str:
    # ASCII only: the output is read back by programs, and an ASCII stream survives any locale
    # encoding of a redirected stdout (cp1252 on Windows) where raw UTF-8 would not.
    import json  # only for json and sarif: kept off the start-up of text reports

    return json.dumps(document, indent=2, ensure_ascii=True) + "\n"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


_GITHUB_COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def github_line(finding: Finding) -> str:
    """A GitHub Actions workflow command that annotates the finding's file and position."""
    properties = [f"file={_escape_property(finding.path)}"]
    position = _position(finding)
    if position:
        properties += [f"line={position[0]}", f"col={position[1]}"]
    properties.append(f"title={_escape_property(finding.rule)}")
    command = _GITHUB_COMMANDS[finding.severity]
    # printable(): a file name from a pull request must not carry escape sequences into the log.
    return printable(f"::{command} {','.join(properties)}::{_escape_data(finding.message)}")


def _github(report: _Report) -> str:
    summary = summary_line(report.findings, report.files_checked)
    counts = severity_counts(report.findings)
    if max(counts["error"], counts["warning"]) > GITHUB_ANNOTATION_LIMIT:
        summary += (
            f"; GitHub shows at most {GITHUB_ANNOTATION_LIMIT} error and"
            f" {GITHUB_ANNOTATION_LIMIT} warning annotations per step"
        )
    return _lines([*map(github_line, report.findings), summary])


_SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_WINDOWS_ABSOLUTE = re.compile(r"[A-Za-z]:[\\/]")


def artifact_uri(path: str) -> str:
    """A report path as a SARIF ``artifactLocation.uri``: a percent-encoded URI reference.

    Relative paths stay relative (code scanning resolves them against the repository root);
    absolute paths become ``file://`` URIs.  A name that is not UTF-8 (its bytes arrive as lone
    surrogates) is percent-encoded byte for byte, so the URI still names the file.
    """
    from urllib.parse import quote  # SARIF only: not on every lint run's import path

    def encoded(text: str) -> str:
        return quote(text.encode("utf-8", "surrogateescape"), safe="/")

    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    if _WINDOWS_ABSOLUTE.match(path):
        return f"file:///{path[:2]}{encoded(path[2:])}"
    if path.startswith("/"):
        return f"file://{encoded(path)}"
    return encoded(path)


def _camel_case(rule_id: str) -> str:
    return "".join(word[:1].upper() + word[1:] for word in re.split(r"[^A-Za-z0-9]+", rule_id))


def _sarif(report: _Report) -> str:
    index: dict[str, int] = {}
    descriptors: list[dict[str, Any]] = []
    for rule in report.rules:
        if rule.id in index:
            continue
        index[rule.id] = len(descriptors)
        descriptors.append(
            {
                "id": rule.id,
                "name": _camel_case(rule.id),
                "shortDescription": {"text": rule.summary},
                "fullDescription": {"text": rule.doc.strip() or rule.summary},
                "defaultConfiguration": {"level": _SARIF_LEVELS[rule.severity]},
            }
        )
    results = []
    for finding in report.findings:
        physical: dict[str, Any] = {"artifactLocation": {"uri": artifact_uri(finding.path)}}
        position = _position(finding)
        if position:
            physical["region"] = {"startLine": position[0], "startColumn": position[1]}
        result: dict[str, Any] = {"ruleId": finding.rule}
        if finding.rule in index:
            result["ruleIndex"] = index[finding.rule]
        result["level"] = _SARIF_LEVELS[finding.severity]
        result["message"] = {"text": finding.message}
        result["locations"] = [{"physicalLocation": physical}]
        results.append(result)
    driver = {
        "name": "configgen",
        "version": report.tool_version,
        "informationUri": INFORMATION_URI,
        "rules": descriptors,
    }
    run = {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}
    return _dump({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]})


_FORMATTERS: Mapping[str, Callable[[_Report], str]] = {
    "text": _text,
    "parsable": _parsable,
    "json": _json,
    "github": _github,
    "sarif": _sarif,
}
FORMATS = tuple(_FORMATTERS)
FORMAT_CHOICES = (AUTO, *FORMATS)  # --format


def format_report(
    findings: Sequence[Finding],
    *,
    fmt: str,
    rules: Sequence[RuleInfo],
    files_checked: int,
    color: bool = False,
    tool_version: str = "0.0.0",
) -> str:
    """The whole report in format ``fmt`` (one of ``FORMATS``; resolve ``auto`` first).

    ``findings`` are reported in the order given (callers sort them); ``rules`` are the rules
    that ran, described in SARIF; ``color`` applies to ``text`` only.
    """
    try:
        formatter = _FORMATTERS[fmt]
    except KeyError:
        raise ValueError(f"unknown report format {fmt!r}; expected one of {FORMATS}") from None
    return formatter(_Report(findings, rules, files_checked, color, tool_version))
