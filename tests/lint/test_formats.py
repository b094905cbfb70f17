"""The lint report formats: exact strings for small cases, golden files for a full report.

Golden files in ``tests/golden/`` come from ``scripts/update_golden.py`` (never edit them by
hand).  SARIF is validated against the official schema, stored offline in ``tests/data`` (see
``sarif-schema-2.1.0.ORIGIN.md``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

from configgen.findings import Finding, JsonPath, RuleInfo, Severity
from configgen.lint.formats import (
    FORMATS,
    artifact_uri,
    format_report,
    github_line,
    json_path_expression,
    parsable_line,
    resolve_format,
    summary_line,
    text_line,
    use_color,
)
from configgen.messages import printable
from testing import paths
from testing.golden import golden_files

ROOT = paths.ROOT
GOLDEN = ROOT / "tests" / "golden"
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text("utf-8"))
SARIF_VALIDATOR = jsonschema.Draft7Validator(
    SARIF_SCHEMA, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER
)
ANSI = re.compile(r"\x1b\[[0-9;]*m")

ERROR = Finding("values.yaml", 3, 5, "unknown-role", Severity.ERROR, "role x is not defined")
WARNING = Finding("values.yaml", 7, 1, "ttl-format", Severity.WARNING, "ttl is not a duration")
INFO = Finding("app.conf", 2, 4, "unused-key", Severity.INFO, "key is not read")
WHOLE_FILE = Finding("values.yaml", 0, 0, "empty-file", Severity.ERROR, "the file is empty")
RULE = RuleInfo("unknown-role", Severity.ERROR, "A role does not exist.", "Use a defined role.")


GOLDEN_FILES: Mapping[str, str] = golden_files()


def report(*findings: Finding, fmt: str, files_checked: int = 1, **kwargs: Any) -> str:
    return format_report(findings, fmt=fmt, rules=[RULE], files_checked=files_checked, **kwargs)


# --- choosing the format and the colour ------------------------------------------------------


def test_formats_are_the_documented_five() -> None:
    assert FORMATS == ("text", "parsable", "json", "github", "sarif")


@pytest.mark.parametrize(
    ("name", "environ", "expected"),
    [
        ("auto", {}, "text"),
        ("auto", {"GITHUB_ACTIONS": "true"}, "github"),
        ("auto", {"GITHUB_ACTIONS": "false"}, "text"),
        ("auto", {"GITHUB_ACTIONS": "1"}, "text"),
        ("auto", {"CI": "true"}, "text"),
        ("json", {"GITHUB_ACTIONS": "true"}, "json"),
        ("text", {"GITHUB_ACTIONS": "true"}, "text"),
        ("sarif", {}, "sarif"),
    ],
)
def test_resolve_format(name: str, environ: dict[str, str], expected: str) -> None:
    assert resolve_format(name, environ) == expected


def test_resolve_format_passes_every_format_through() -> None:
    assert [resolve_format(name, {}) for name in FORMATS] == list(FORMATS)


def test_resolve_format_rejects_unknown_names() -> None:
    with pytest.raises(ValueError, match="unknown report format 'xml'"):
        resolve_format("xml", {})


@pytest.mark.parametrize(
    ("choice", "is_tty", "environ", "expected"),
    [
        ("auto", True, {}, True),
        ("auto", False, {}, False),
        ("auto", True, {"NO_COLOR": "1"}, False),
        ("auto", True, {"NO_COLOR": "0"}, False),  # any non-empty value counts
        ("auto", True, {"NO_COLOR": ""}, True),  # set but empty: ignored (no-color.org)
        ("auto", False, {"FORCE_COLOR": "1"}, True),
        ("auto", False, {"FORCE_COLOR": ""}, False),
        ("auto", True, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
        ("auto", True, {"TERM": "dumb"}, False),
        ("always", False, {}, True),
        ("always", False, {"NO_COLOR": "1"}, True),  # an explicit choice outranks NO_COLOR
        ("never", True, {}, False),
        ("never", True, {"FORCE_COLOR": "1"}, False),
    ],
)
def test_use_color(choice: str, is_tty: bool, environ: dict[str, str], expected: bool) -> None:
    assert use_color(choice, is_tty=is_tty, environ=environ) is expected


def test_use_color_rejects_unknown_choices() -> None:
    with pytest.raises(ValueError, match="unknown colour choice 'yes'"):
        use_color("yes", is_tty=True, environ={})


@pytest.mark.parametrize("fmt", ["auto", "xml", ""])
def test_format_report_rejects_unresolved_or_unknown_formats(fmt: str) -> None:
    with pytest.raises(ValueError, match="unknown report format"):
        report(ERROR, fmt=fmt)


# --- text and parsable ------------------------------------------------------------------------


def test_text_line_keeps_its_form() -> None:
    assert text_line(ERROR) == "values.yaml:3:5: error: role x is not defined [unknown-role]"
    assert text_line(WHOLE_FILE) == "values.yaml: error: the file is empty [empty-file]"
    no_column = Finding("a.yaml", 4, 0, "r", Severity.INFO, "m")
    assert text_line(no_column) == "a.yaml:4:1: info: m [r]"


def test_text_report() -> None:
    assert report(ERROR, WARNING, WHOLE_FILE, fmt="text", files_checked=3) == (
        "values.yaml:3:5: error: role x is not defined [unknown-role]\n"
        "values.yaml:7:1: warning: ttl is not a duration [ttl-format]\n"
        "values.yaml: error: the file is empty [empty-file]\n"
        "2 errors, 1 warning in 1 file (3 files checked)\n"
    )


def test_text_report_in_color() -> None:
    assert report(ERROR, fmt="text", color=True) == (
        "\x1b[1mvalues.yaml:3:5\x1b[0m: \x1b[31merror\x1b[0m: role x is not defined"
        " \x1b[2m[unknown-role]\x1b[0m\n"
        "1 error in 1 file (1 file checked)\n"
    )


@pytest.mark.parametrize(("finding", "color"), [(WARNING, "\x1b[33m"), (INFO, "\x1b[36m")])
def test_each_severity_has_its_color(finding: Finding, color: str) -> None:
    assert f"{color}{finding.severity}\x1b[0m" in report(finding, fmt="text", color=True)


@pytest.mark.parametrize("fmt", [fmt for fmt in FORMATS if fmt != "text"])
def test_only_text_is_ever_colored(fmt: str) -> None:
    assert "\x1b" not in report(ERROR, WARNING, INFO, WHOLE_FILE, fmt=fmt, color=True)


def test_colored_text_is_the_plain_text_with_ansi_codes() -> None:
    for case in ("mixed", "clean"):
        plain, colored = GOLDEN_FILES[f"{case}.text.txt"], GOLDEN_FILES[f"{case}.text-color.txt"]
        assert ANSI.sub("", colored) == plain


@pytest.mark.parametrize(
    ("findings", "files_checked", "expected"),
    [
        ((), 3, "no problems in 3 files"),
        ((), 1, "no problems in 1 file"),
        ((), 0, "no files checked"),
        ((ERROR,), 1, "1 error in 1 file (1 file checked)"),
        ((ERROR, WHOLE_FILE), 2, "2 errors in 1 file (2 files checked)"),
        ((WARNING,), 5, "1 warning in 1 file (5 files checked)"),
        ((WARNING, WARNING), 5, "2 warnings in 1 file (5 files checked)"),
        ((INFO,), 1, "1 info in 1 file (1 file checked)"),
        ((INFO, ERROR, WARNING), 2, "1 error, 1 warning, 1 info in 2 files (2 files checked)"),
    ],
)
def test_summary_line(findings: tuple[Finding, ...], files_checked: int, expected: str) -> None:
    assert summary_line(findings, files_checked) == expected


def test_parsable_report() -> None:
    assert report(ERROR, WHOLE_FILE, INFO, fmt="parsable") == (
        "values.yaml:3:5: [error] role x is not defined (unknown-role)\n"
        "values.yaml: [error] the file is empty (empty-file)\n"
        "app.conf:2:4: [info] key is not read (unused-key)\n"
    )


def test_parsable_report_without_findings_is_empty() -> None:
    assert report(fmt="parsable", files_checked=9) == ""


def test_parsable_keeps_a_multiline_message_on_one_line() -> None:
    finding = Finding("a.yaml", 1, 1, "r", Severity.ERROR, "first\nsecond\r\nthird\rfourth")
    assert parsable_line(finding) == (
        r"a.yaml:1:1: [error] first\x0asecond\x0d\x0athird\x0dfourth (r)"
    )


# --- json -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("json_path", "expected"),
    [
        ((), "$"),
        (
            ("stackstate", "authentication", "serviceToken", "bootstrap", "roles", 0),
            "$.stackstate.authentication.serviceToken.bootstrap.roles[0]",
        ),
        (("a.b",), "$['a.b']"),
        (("service-token",), "$['service-token']"),
        (("9lives", "_ok", "ok9"), "$['9lives']._ok.ok9"),
        (("",), "$['']"),
        (("it's",), r"$['it\'s']"),
        (("back\\slash",), r"$['back\\slash']"),
        (("line\nbreak\ttab\x01",), r"$['line\nbreak\ttab\u0001']"),
        (("clé", "ключ"), "$.clé.ключ"),
        (("a b", 2, 10), "$['a b'][2][10]"),
    ],
)
def test_json_path_expression(json_path: JsonPath, expected: str) -> None:
    assert json_path_expression(json_path) == expected


def test_json_report() -> None:
    finding = Finding("v.yaml", 4, 0, "unknown-role", Severity.ERROR, "é", ("roles", 0))
    document = json.loads(report(finding, WHOLE_FILE, fmt="json", files_checked=2))
    assert document == {
        "version": 1,
        "files_checked": 2,
        "summary": {"error": 2, "warning": 0, "info": 0},
        "findings": [
            {
                "path": "v.yaml",
                "line": 4,
                "column": 1,
                "severity": "error",
                "rule": "unknown-role",
                "message": "é",
                "json_path": "$.roles[0]",
            },
            {
                "path": "values.yaml",
                "line": None,
                "column": None,
                "severity": "error",
                "rule": "empty-file",
                "message": "the file is empty",
                "json_path": "$",
            },
        ],
    }


def test_json_report_is_ascii_with_a_trailing_newline() -> None:
    text = GOLDEN_FILES["mixed.json"]
    assert text.isascii()
    assert text.endswith("}\n")
    assert not text.endswith("\n\n")


# --- github -----------------------------------------------------------------------------------


def test_github_line() -> None:
    assert github_line(ERROR) == (
        "::error file=values.yaml,line=3,col=5,title=unknown-role::role x is not defined"
    )
    assert github_line(WARNING).startswith("::warning file=values.yaml,line=7,col=1,")
    assert github_line(INFO).startswith("::notice file=app.conf,line=2,col=4,")


def test_github_line_for_a_whole_file_has_no_position() -> None:
    assert github_line(WHOLE_FILE) == (
        "::error file=values.yaml,title=empty-file::the file is empty"
    )


def test_github_escaping() -> None:
    finding = Finding("a,b: c%.yaml", 1, 2, "x:y,z", Severity.ERROR, "50% off:\r\nnow, a:b")
    assert github_line(finding) == (
        "::error file=a%2Cb%3A c%25.yaml,line=1,col=2,title=x%3Ay%2Cz::50%25 off:%0D%0Anow, a:b"
    )


def test_github_report_ends_with_the_summary() -> None:
    assert report(ERROR, WHOLE_FILE, fmt="github", files_checked=4) == (
        "::error file=values.yaml,line=3,col=5,title=unknown-role::role x is not defined\n"
        "::error file=values.yaml,title=empty-file::the file is empty\n"
        "2 errors in 1 file (4 files checked)\n"
    )
    assert report(fmt="github", files_checked=4) == "no problems in 4 files\n"


@pytest.mark.parametrize(
    ("errors", "warnings", "noted"), [(10, 10, False), (11, 0, True), (0, 11, True)]
)
def test_github_summary_says_when_annotations_are_dropped(
    errors: int, warnings: int, noted: bool
) -> None:
    findings = [Finding("v.yaml", n + 1, 1, "r", Severity.ERROR, "e") for n in range(errors)] + [
        Finding("v.yaml", 100 + n, 1, "r", Severity.WARNING, "w") for n in range(warnings)
    ]
    lines = report(*findings, fmt="github").splitlines()
    assert len(lines) == errors + warnings + 1
    note = "; GitHub shows at most 10 error and 10 warning annotations per step"
    assert lines[-1].endswith(note) is noted
    assert lines[-1].startswith(summary_line(findings, 1))


# --- sarif ------------------------------------------------------------------------------------


def sarif(*findings: Finding, rules: tuple[RuleInfo, ...] = (RULE,)) -> dict[str, Any]:
    text = format_report(findings, fmt="sarif", rules=rules, files_checked=1, tool_version="9.9")
    document: dict[str, Any] = json.loads(text)
    return document


def test_sarif_report() -> None:
    document = sarif(ERROR, WHOLE_FILE)
    assert document["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert document["version"] == "2.1.0"
    (run,) = document["runs"]
    assert run["tool"]["driver"] == {
        "name": "configgen",
        "version": "9.9",
        "informationUri": "https://github.com/configgen/configgen",
        "rules": [
            {
                "id": "unknown-role",
                "name": "UnknownRole",
                "shortDescription": {"text": "A role does not exist."},
                "fullDescription": {"text": "Use a defined role."},
                "defaultConfiguration": {"level": "error"},
            }
        ],
    }
    assert run["results"] == [
        {
            "ruleId": "unknown-role",
            "ruleIndex": 0,
            "level": "error",
            "message": {"text": "role x is not defined"},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": "values.yaml"},
                        "region": {"startLine": 3, "startColumn": 5},
                    }
                }
            ],
        },
        {  # a rule that is not described: ruleId only; a whole-file finding: no region
            "ruleId": "empty-file",
            "level": "error",
            "message": {"text": "the file is empty"},
            "locations": [{"physicalLocation": {"artifactLocation": {"uri": "values.yaml"}}}],
        },
    ]


def test_sarif_levels_and_rule_indexes() -> None:
    rules = (
        RuleInfo("ttl-format", Severity.WARNING, "s", "d"),
        RuleInfo("unused-key", Severity.INFO, "s", ""),
        RuleInfo("ttl-format", Severity.ERROR, "duplicate", "ignored"),
    )
    (run,) = sarif(WARNING, INFO, rules=rules)["runs"]
    descriptors = run["tool"]["driver"]["rules"]
    assert [rule["id"] for rule in descriptors] == ["ttl-format", "unused-key"]
    assert [rule["defaultConfiguration"]["level"] for rule in descriptors] == ["warning", "note"]
    assert descriptors[1]["fullDescription"] == {"text": "s"}  # no doc: the summary
    assert [(r["ruleIndex"], r["level"]) for r in run["results"]] == [(0, "warning"), (1, "note")]


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("values.yaml", "values.yaml"),
        ("./charts/values.yaml", "charts/values.yaml"),
        ("charts\\prod\\values.yaml", "charts/prod/values.yaml"),
        ("my values, v2: prod.yaml", "my%20values%2C%20v2%3A%20prod.yaml"),
        ("100%.yaml", "100%25.yaml"),
        ("régions/a#b?.conf", "r%C3%A9gions/a%23b%3F.conf"),
        ("/etc/configgen/values.yaml", "file:///etc/configgen/values.yaml"),
        ("C:\\work\\my values.yaml", "file:///C:/work/my%20values.yaml"),
    ],
)
def test_artifact_uri(path: str, uri: str) -> None:
    assert artifact_uri(path) == uri


URI_REFERENCE = re.compile(r"[A-Za-z0-9\-._~%!$&'()*+,;=:@/]*")


@given(st.text(st.characters(exclude_categories=["Cs"]), min_size=1))
def test_artifact_uri_is_a_uri_reference_that_decodes_to_the_path(path: str) -> None:
    uri = artifact_uri(path)
    assert URI_REFERENCE.fullmatch(uri)
    relative = path.replace("\\", "/")
    if not relative.startswith(("/", "./")) and not re.match(r"[A-Za-z]:/", relative):
        assert unquote(uri) == relative
        assert ":" not in uri  # a colon would make the first segment look like a scheme


@pytest.mark.parametrize("name", ["mixed.sarif.json", "clean.sarif.json"])
def test_golden_sarif_is_valid_sarif(name: str) -> None:
    SARIF_VALIDATOR.validate(json.loads(GOLDEN_FILES[name]))


def test_the_schema_is_draft_07_and_rejects_invalid_sarif() -> None:
    assert SARIF_SCHEMA["$schema"] == "http://json-schema.org/draft-07/schema#"
    document = sarif(ERROR)
    document["runs"][0]["results"][0]["level"] = "info"
    with pytest.raises(jsonschema.ValidationError):
        SARIF_VALIDATOR.validate(document)


def test_golden_sarif_rule_indexes_point_at_their_rules() -> None:
    (run,) = json.loads(GOLDEN_FILES["mixed.sarif.json"])["runs"]
    rules = run["tool"]["driver"]["rules"]
    unindexed = [result["ruleId"] for result in run["results"] if "ruleIndex" not in result]
    assert unindexed == ["legacy-key"]
    for result in run["results"]:
        if "ruleIndex" in result:
            assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


# --- every format, for any input --------------------------------------------------------------

texts = st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=30)
findings = st.builds(
    Finding,
    path=texts,
    line=st.integers(0, 10_000),
    column=st.integers(0, 500),
    rule=texts,
    severity=st.sampled_from(Severity),
    message=texts,
    json_path=st.lists(st.one_of(texts, st.integers(0, 99)), max_size=4).map(tuple),
)


def unescape_github(text: str) -> str:
    codes = {"%25": "%", "%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ","}
    return re.sub("%25|%0D|%0A|%3A|%2C", lambda match: codes[match.group()], text)


@given(st.lists(findings, max_size=5))
def test_github_annotations_stay_on_one_line_and_round_trip(items: list[Finding]) -> None:
    lines = report(*items, fmt="github").split("\n")
    assert lines[-1] == ""
    assert len(lines) == len(items) + 2  # one per finding, the summary, the final newline
    for finding, line in zip(items, lines, strict=False):
        head, message = line.split("::", 2)[1:]
        assert printable(unescape_github(message)) == printable(finding.message)
        properties = dict(item.split("=", 1) for item in head.split(" ", 1)[1].split(","))
        # Control characters are escaped for the log (file names come from pull requests).
        assert printable(unescape_github(properties["file"])) == printable(finding.path)
        assert printable(unescape_github(properties["title"])) == printable(finding.rule)


@given(st.lists(findings, max_size=5))
def test_json_and_sarif_carry_every_finding_unchanged(items: list[Finding]) -> None:
    document = json.loads(report(*items, fmt="json"))
    assert [(f["path"], f["message"], f["rule"]) for f in document["findings"]] == [
        (f.path, f.message, f.rule) for f in items
    ]
    log = sarif(*items)
    SARIF_VALIDATOR.validate(log)
    assert [r["message"]["text"] for r in log["runs"][0]["results"]] == [f.message for f in items]


one_line = texts.filter(lambda text: "\n" not in text and "\r" not in text)


@given(st.lists(st.builds(Finding, path=one_line, rule=one_line, message=texts), max_size=5))
def test_parsable_has_one_line_per_finding(items: list[Finding]) -> None:
    # Only messages are escaped: paths and rule ids never hold line breaks in practice.
    assert report(*items, fmt="parsable").count("\n") == len(items)


# --- golden files -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(GOLDEN_FILES))
def test_golden_file(name: str) -> None:
    path = GOLDEN / name
    assert path.exists(), f"run scripts/update_golden.py to create tests/golden/{name}"
    assert path.read_bytes().decode("utf-8") == GOLDEN_FILES[name], (
        f"tests/golden/{name} is out of date: run scripts/update_golden.py and review the diff"
    )


def test_every_golden_file_is_generated() -> None:
    assert sorted(path.name for path in GOLDEN.iterdir()) == sorted(GOLDEN_FILES)


def test_golden_files_cover_every_format() -> None:
    assert {name.split(".")[1] for name in GOLDEN_FILES} == {*FORMATS, "text-color"}


# --- a key written under a secret key (issue #13, seen items) --------------------------------


@pytest.mark.parametrize(
    ("json_path", "shown"),
    [
        (("a", "token", "Sup3rSecretKey"), "$.a.token"),
        (("a", "Password", 0, "x"), "$.a.Password"),
        (("a", "serviceToken", "bootstrap", "roles", 0), "$.a.serviceToken.bootstrap.roles[0]"),
    ],
)
def test_json_path_stops_at_a_secret_key(json_path: tuple[str | int, ...], shown: str) -> None:
    """Decision: what lies below a token, password or secret key -- a mapping's key written
    there, say -- may be the secret itself; the json report's path ends at that key."""
    finding = Finding("v.yaml", 5, 9, "yaml11-scalar", Severity.ERROR, "m", json_path)
    [reported] = json.loads(report(finding, fmt="json"))["findings"]
    assert reported["json_path"] == shown
