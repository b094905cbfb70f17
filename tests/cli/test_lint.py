"""``configgen lint`` end to end: exit codes, files and stdin, kinds, formats, colour, secrets,
and ``configgen rules``.

Which findings each file produces is the corpus's job (``test_lint_corpus.py``); here the files
are small and chosen for what the command does around the rules.  Every test runs in its own
working directory with ``--no-config`` (project configuration: ``test_config.py``) and without
the CI variables that change the format or the colour.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner, Result

from configgen import __version__
from configgen.cli import Exit, main
from configgen.rules import catalogue
from testing import paths
from testing.cli import assert_no_traceback

SARIF_SCHEMA = paths.DATA / "sarif-schema-2.1.0.json"
ANSI = re.compile(r"\x1b\[[0-9;]*m")
QUIET_ENV: Mapping[str, str | None] = {
    "GITHUB_ACTIONS": None,
    "NO_COLOR": None,
    "FORCE_COLOR": None,
    "TERM": None,
}

STRONG = "kz92R5goCrOmTozG1m-iWMWTZK6CsqrlpBaFtML-CwE"
HELM_CLEAN = f"""\
stackstate:
  authentication:
    serviceToken:
      bootstrap:
        token: "{STRONG}"
        roles: ["stackstate-power-user"]
        ttl: "24h"
"""
HELM_WEAK = HELM_CLEAN.replace(STRONG, "Weak7tok9Qa4x")  # token-weak at 5:16
HELM_ERROR = HELM_CLEAN.replace('"24h"', "24H")  # ttl-invalid at 7:14
HOCON_CLEAN = f"""\
stackstate.api.authentication.authServer {{
  authServerType = ["stackstateAuthServer", "serviceTokenAuthServer"]
  serviceTokenAuthServer.bootstrap {{
    token = "{STRONG}"
    roles = ["stackstate-power-user"]
    ttl = "24h"
  }}
}}
"""
HOCON_WEAK = HOCON_CLEAN.replace(STRONG, "Weak7tok9Qa4x")  # token-weak at 4:13
HOCON_INFO = HOCON_CLEAN.replace(f'"{STRONG}"', "${bootstrap_token}")  # substitution at 4:13

WEAK_MESSAGE = (
    "token is weak (about 77 bits; 13 characters): use at least 32 random characters, "
    "e.g. configgen render --generate-token"
)
TTL_MESSAGE = 'ttl "24H" is not a duration the server accepts: units are lower case: write 24h'
INFO_MESSAGE = (
    "the token comes from ${bootstrap_token}, filled in by the server at start-up, from the "
    "environment when the file does not define it (the suse-observability chart's form, and "
    "that of configgen render --token-env-var); configgen does not check it"
)
UNKNOWN_KIND = "cannot tell the file's kind from its name: use --kind helm or --kind hocon"


@pytest.fixture(autouse=True)
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(
    args: Sequence[Any],
    *,
    stdin: str | bytes | None = None,
    env: Mapping[str, str] | None = None,
    terminal: bool = False,
    command: str = "lint",
) -> Result:
    """``configgen lint --no-config ARGS``; ``terminal``: click keeps ANSI codes, as on a tty."""
    prefix = [command, "--no-config"] if command == "lint" else [command]
    result = CliRunner().invoke(
        main,
        [*prefix, *map(str, args)],
        input=stdin,
        env={**QUIET_ENV, **(env or {})},
        prog_name="configgen",
        color=terminal,
    )
    assert_no_traceback(result)
    return result


def write(name: str, text: str | bytes) -> str:
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return name


def rule_ids_from_rules_command() -> list[str]:
    result = run([], command="rules")
    assert result.exit_code == Exit.OK
    return [line.split()[0] for line in result.stdout.splitlines()]


# --- exit codes -------------------------------------------------------------------------------


def test_clean_file_exits_0() -> None:
    result = run(["--format", "text", write("values.yaml", HELM_CLEAN)])
    assert result.exit_code == Exit.OK
    assert result.stdout == "no problems in 1 file\n"
    assert result.stderr == ""


def test_warnings_only_exit_0_and_1_with_strict() -> None:
    write("values.yaml", HELM_WEAK)
    expected = f"values.yaml:5:16: warning: {WEAK_MESSAGE} [token-weak]\n"
    expected += "1 warning in 1 file (1 file checked)\n"
    result = run(["--format", "text", "values.yaml"])
    assert (result.exit_code, result.stdout, result.stderr) == (Exit.OK, expected, "")
    strict = run(["--format", "text", "--strict", "values.yaml"])
    assert (strict.exit_code, strict.stdout, strict.stderr) == (Exit.INVALID_INPUT, expected, "")


def test_infos_never_fail_even_with_strict() -> None:
    write("app.conf", HOCON_INFO)
    for extra in ([], ["--strict"]):
        result = run(["--format", "text", *extra, "app.conf"])
        assert result.exit_code == Exit.OK
        assert result.stdout == (
            f"app.conf:4:13: info: {INFO_MESSAGE} [substitution]\n"
            "1 info in 1 file (1 file checked)\n"
        )


def test_an_error_exits_1() -> None:
    result = run(["--format", "text", write("values.yaml", HELM_ERROR)])
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout == (
        f"values.yaml:7:14: error: {TTL_MESSAGE} [ttl-invalid]\n"
        "1 error in 1 file (1 file checked)\n"
    )
    assert result.stderr == ""


def test_one_error_among_clean_files_exits_1() -> None:
    write("a.yaml", HELM_CLEAN)
    write("b.yaml", HELM_ERROR)
    write("c.conf", HOCON_CLEAN)
    result = run(["--format", "text", "a.yaml", "b.yaml", "c.conf"])
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout.splitlines()[-1] == "1 error in 1 file (3 files checked)"


def test_disabled_error_no_longer_fails() -> None:
    result = run(["--format", "text", "--disable", "ttl-invalid", write("v.yaml", HELM_ERROR)])
    assert result.exit_code == Exit.OK
    assert result.stdout == "no problems in 1 file\n"


def test_disable_takes_lists_and_repeats() -> None:
    write("v.yaml", HELM_ERROR.replace(STRONG, "Weak7tok9Qa4x"))
    both = run(["--format", "text", "--strict", "--disable", "ttl-invalid, token-weak", "v.yaml"])
    assert (both.exit_code, both.stdout) == (Exit.OK, "no problems in 1 file\n")
    repeated = run(["--format", "text", "--strict", "--disable", "ttl-invalid", "--disable",
                    "token-weak", "v.yaml"])  # fmt: skip
    assert (repeated.exit_code, repeated.stdout) == (Exit.OK, "no problems in 1 file\n")


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["--kind", "xml", "v.yaml"], ["Invalid value for '--kind'", "'xml' is not one of"]),
        (["--disable", "nope", "v.yaml"], ["Invalid value for '--disable'", "unknown rule 'nope'"]),
        (["--disable", "token-weak,ttl-invalidd", "v.yaml"], ["unknown rule 'ttl-invalidd'"]),
        (
            ["--product", "sts", "v.yaml"],
            ["Invalid value for '--product'", "unknown product 'sts'"],
        ),
        (["--product", "stackstate-6", "v.yaml"], ["stackstate has only major version 5"]),
        (["--format", "xml", "v.yaml"], ["Invalid value for '--format'"]),
        (["--color", "sometimes", "v.yaml"], ["Invalid value for '--color'"]),
        ([], ["Missing argument 'FILE...'"]),
        (["--config", "absent.yaml", "v.yaml"], ["Invalid value for '--config'"]),
        (["--bogus", "v.yaml"], ["No such option", "--bogus"]),
    ],
)
def test_usage_errors_exit_2(args: list[str], fragments: list[str]) -> None:
    write("v.yaml", HELM_ERROR)  # would exit 1 if it were linted
    result = run(args)
    assert result.exit_code == Exit.USAGE
    assert result.stdout == ""
    assert result.stderr.startswith("Usage: configgen lint [OPTIONS] FILE...")
    for fragment in fragments:
        assert fragment in result.stderr


def test_invalid_project_configuration_exits_2() -> None:
    write(".configgen.yaml", "disable: [nope]\n")
    result = CliRunner().invoke(main, ["lint", "v.yaml"], env=dict(QUIET_ENV))
    assert_no_traceback(result)
    assert result.exit_code == Exit.USAGE
    assert result.stdout == ""
    assert ".configgen.yaml: unknown rule 'nope'" in result.stderr


def test_every_file_is_checked_after_unreadable_ones() -> None:
    # Named so that argument order and path order agree: see the next test for the order.
    Path("8-dir.yaml").mkdir()
    files = [
        "1-missing.yaml",
        write("2-binary.yaml", b"a: 1\n\x00\x01\x02"),
        write("3-latin1.yaml", "stackstate:\n  a: caf\xe9\n".encode("latin-1")),
        write("4-syntax.yaml", "stackstate: [\n"),
        write("5-syntax.conf", "stackstate {\n  a = 1\n"),
        write("6-unknown.txt", HELM_ERROR),
        write("7-weak.yaml", HELM_WEAK),
        "8-dir.yaml",
        write("9-error.conf", HOCON_CLEAN.replace('"24h"', '"2w"')),
    ]
    result = run(["--format", "parsable", *files])
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stderr == ""
    located = [
        (line.split(" [")[0], line.split("] ")[0].split(" [")[1], line.rsplit(" (", 1)[1])
        for line in result.stdout.splitlines()
    ]
    assert located == [
        ("1-missing.yaml:", "error", "syntax)"),
        ("2-binary.yaml:2:1:", "error", "syntax)"),
        ("3-latin1.yaml:2:9:", "error", "syntax)"),
        ("4-syntax.yaml:1:14:", "error", "syntax)"),
        ("5-syntax.conf:3:1:", "error", "syntax)"),
        ("6-unknown.txt:", "error", "syntax)"),
        ("7-weak.yaml:5:16:", "warning", "token-weak)"),
        ("8-dir.yaml:", "error", "syntax)"),
        ("9-error.conf:6:11:", "error", "ttl-invalid)"),
    ]
    lines = result.stdout.splitlines()
    assert lines[0] == "1-missing.yaml: [error] file not found: check the path (syntax)"
    assert "binary file (NUL byte)" in lines[1]
    assert "not UTF-8 text" in lines[2]
    assert lines[5] == f"6-unknown.txt: [error] {UNKNOWN_KIND} (syntax)"
    assert "is a directory" in lines[7]
    text = run(["--format", "text", *files])
    assert text.stdout.splitlines()[-1] == "8 errors, 1 warning in 9 files (9 files checked)"


def test_report_is_sorted_by_path_not_by_argument_order() -> None:
    """Current behaviour (``LintResult``: "findings of all files, sorted")."""
    write("b.yaml", HELM_ERROR)
    write("a.yaml", HELM_WEAK)
    result = run(["--format", "parsable", "b.yaml", "missing.yaml", "a.yaml"])
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "a.yaml",
        "b.yaml",
        "missing.yaml",
    ]


# --- stdin ------------------------------------------------------------------------------------


def test_stdin_is_helm_by_default() -> None:
    result = run(["--format", "parsable", "-"], stdin=HELM_WEAK)
    assert result.exit_code == Exit.OK
    assert result.stdout == f"<stdin>:5:16: [warning] {WEAK_MESSAGE} (token-weak)\n"


def test_stdin_as_hocon() -> None:
    result = run(["--format", "parsable", "--kind", "hocon", "-"], stdin=HOCON_WEAK)
    assert result.exit_code == Exit.OK
    assert result.stdout == f"<stdin>:4:13: [warning] {WEAK_MESSAGE} (token-weak)\n"


def test_stdin_hocon_read_as_helm_fails() -> None:
    result = run(["--format", "parsable", "-"], stdin=HOCON_WEAK)
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout.startswith("<stdin>:")
    assert "(token-weak)" not in result.stdout


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        ("app.conf", HOCON_WEAK, "4:13"),
        ("deploy/APP.HOCON", HOCON_WEAK, "4:13"),
        ("deploy/values.yaml", HELM_WEAK, "5:16"),
        ("notes.txt", HELM_WEAK, "5:16"),  # a name without a kind: stdin stays Helm values
    ],
)
def test_stdin_filename_names_the_report_and_picks_the_kind(
    name: str, text: str, where: str
) -> None:
    result = run(["--format", "parsable", "--stdin-filename", name, "-"], stdin=text)
    assert result.exit_code == Exit.OK
    assert result.stdout == f"{name}:{where}: [warning] {WEAK_MESSAGE} (token-weak)\n"


def test_kind_wins_over_stdin_filename() -> None:
    args = ["--format", "parsable", "--stdin-filename", "app.conf", "--kind", "helm", "-"]
    result = run(args, stdin=HELM_WEAK)
    assert result.stdout == f"app.conf:5:16: [warning] {WEAK_MESSAGE} (token-weak)\n"


def test_stdin_filename_in_machine_formats() -> None:
    args = ["--stdin-filename", "from-pipe.yaml", "-"]
    github = run(["--format", "github", *args], stdin=HELM_WEAK)
    assert github.stdout.startswith(
        "::warning file=from-pipe.yaml,line=5,col=16,title=token-weak::"
    )
    document = json.loads(run(["--format", "json", *args], stdin=HELM_WEAK).stdout)
    assert document["findings"][0]["path"] == "from-pipe.yaml"
    sarif = json.loads(run(["--format", "sarif", *args], stdin=HELM_WEAK).stdout)
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "from-pipe.yaml"


def test_binary_stdin() -> None:
    result = run(["--format", "parsable", "-"], stdin=b"\x00\x01")
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout == (
        "<stdin>:1:1: [error] binary file (NUL byte): expected a UTF-8 text file (syntax)\n"
    )


def test_stdin_together_with_files_keeps_their_kinds() -> None:
    """BUG: with ``-`` and no --kind, the CLI sets kind=helm for *every* file, so app.conf is
    read as Helm values (a schema error) and notes.txt as Helm instead of "cannot tell"."""
    write("app.conf", HOCON_CLEAN)
    write("notes.txt", HELM_CLEAN)
    result = run(["--format", "parsable", "-", "app.conf", "notes.txt"], stdin=HELM_CLEAN)
    assert result.stdout == f"notes.txt: [error] {UNKNOWN_KIND} (syntax)\n"
    assert result.exit_code == Exit.INVALID_INPUT


# --- kinds ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["values.yaml", "values.yml", "VALUES.YAML", "v.Yml", "a/b.yaml"])
def test_helm_extensions(name: str) -> None:
    result = run(["--format", "parsable", write(name, HELM_WEAK)])
    assert result.stdout == f"{name}:5:16: [warning] {WEAK_MESSAGE} (token-weak)\n"


@pytest.mark.parametrize("name", ["app.conf", "app.hocon", "APP.CONF", "a.HoCoN", "a/b.conf"])
def test_hocon_extensions(name: str) -> None:
    result = run(["--format", "parsable", write(name, HOCON_WEAK)])
    assert result.stdout == f"{name}:4:13: [warning] {WEAK_MESSAGE} (token-weak)\n"


@pytest.mark.parametrize("name", ["values.txt", "values", "values.json", "values.yaml.bak"])
def test_unknown_extension_is_a_finding(name: str) -> None:
    write(name, HELM_CLEAN)
    result = run(["--format", "text", name, write("ok.yaml", HELM_CLEAN)])
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout == (
        f"{name}: error: {UNKNOWN_KIND} [syntax]\n1 error in 1 file (2 files checked)\n"
    )


def test_missing_file_with_unknown_extension_is_reported_once() -> None:
    result = run(["--format", "parsable", "nowhere.txt"])
    assert result.stdout == f"nowhere.txt: [error] {UNKNOWN_KIND} (syntax)\n"


@pytest.mark.parametrize(
    ("name", "kind", "text", "where"),
    [
        ("values.yaml", "hocon", HOCON_WEAK, "4:13"),
        ("app.conf", "helm", HELM_WEAK, "5:16"),
        ("values.txt", "helm", HELM_WEAK, "5:16"),
        ("values", "hocon", HOCON_WEAK, "4:13"),
    ],
)
def test_kind_overrides_the_extension(name: str, kind: str, text: str, where: str) -> None:
    write(name, text)
    without = run(["--format", "parsable", name])
    assert without.exit_code == Exit.INVALID_INPUT  # the name's kind (or none) does not fit
    result = run(["--format", "parsable", "--kind", kind, name])
    assert result.exit_code == Exit.OK
    assert result.stdout == f"{name}:{where}: [warning] {WEAK_MESSAGE} (token-weak)\n"


# --- formats ----------------------------------------------------------------------------------


@pytest.fixture
def mixed() -> list[str]:
    """Three files: an error with a position, a whole-file error, a warning and an info."""
    return [
        write("app.conf", HOCON_INFO),
        "missing.yaml",
        write("values.yaml", HELM_ERROR.replace(STRONG, "Weak7tok9Qa4x")),
    ]


MIXED_PARSABLE = [
    f"app.conf:4:13: [info] {INFO_MESSAGE} (substitution)",
    "missing.yaml: [error] file not found: check the path (syntax)",
    f"values.yaml:5:16: [warning] {WEAK_MESSAGE} (token-weak)",
    f"values.yaml:7:14: [error] {TTL_MESSAGE} (ttl-invalid)",
]
MIXED_SUMMARY = "2 errors, 1 warning, 1 info in 3 files (3 files checked)"


def test_text_format(mixed: list[str]) -> None:
    result = run(["--format", "text", *mixed])
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout.splitlines() == [
        f"app.conf:4:13: info: {INFO_MESSAGE} [substitution]",
        "missing.yaml: error: file not found: check the path [syntax]",
        f"values.yaml:5:16: warning: {WEAK_MESSAGE} [token-weak]",
        f"values.yaml:7:14: error: {TTL_MESSAGE} [ttl-invalid]",
        MIXED_SUMMARY,
    ]
    assert result.stderr == ""


def test_parsable_format(mixed: list[str]) -> None:
    result = run(["--format", "parsable", *mixed])
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout == "".join(f"{line}\n" for line in MIXED_PARSABLE)
    assert result.stderr == ""


def test_parsable_format_without_findings_prints_nothing() -> None:
    """BUG: the formatter returns "" for a clean parsable report, but the CLI echoes it with a
    newline (``nl=not report.endswith("\\n")`` is True for ""), so stdout is one empty line."""
    result = run(["--format", "parsable", write("values.yaml", HELM_CLEAN)])
    assert result.exit_code == Exit.OK
    assert result.stdout == ""


def test_json_format(mixed: list[str]) -> None:
    result = run(["--format", "json", *mixed])
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stderr == ""
    document = json.loads(result.stdout)
    assert set(document) == {"version", "files_checked", "summary", "findings"}
    assert document["version"] == 1
    assert document["files_checked"] == 3
    assert document["summary"] == {"error": 2, "warning": 1, "info": 1}
    for item in document["findings"]:
        assert set(item) == {"path", "line", "column", "severity", "rule", "message", "json_path"}
    assert [
        (f["path"], f["line"], f["column"], f["severity"], f["rule"]) for f in document["findings"]
    ] == [
        ("app.conf", 4, 13, "info", "substitution"),
        ("missing.yaml", None, None, "error", "syntax"),
        ("values.yaml", 5, 16, "warning", "token-weak"),
        ("values.yaml", 7, 14, "error", "ttl-invalid"),
    ]
    assert document["findings"][2]["message"] == WEAK_MESSAGE
    assert document["findings"][3]["json_path"] == (
        "$.stackstate.authentication.serviceToken.bootstrap.ttl"
    )


def test_json_format_without_findings() -> None:
    result = run(["--format", "json", write("values.yaml", HELM_CLEAN)])
    assert result.exit_code == Exit.OK
    assert json.loads(result.stdout) == {
        "version": 1,
        "files_checked": 1,
        "summary": {"error": 0, "warning": 0, "info": 0},
        "findings": [],
    }


def test_github_format(mixed: list[str]) -> None:
    result = run(["--format", "github", *mixed])
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout.splitlines() == [
        "::notice file=app.conf,line=4,col=13,title=substitution::" + INFO_MESSAGE,
        "::error file=missing.yaml,title=syntax::file not found: check the path",
        "::warning file=values.yaml,line=5,col=16,title=token-weak::" + WEAK_MESSAGE,
        "::error file=values.yaml,line=7,col=14,title=ttl-invalid::" + TTL_MESSAGE,
        MIXED_SUMMARY,
    ]


def test_github_format_without_findings() -> None:
    result = run(["--format", "github", write("values.yaml", HELM_CLEAN)])
    assert (result.exit_code, result.stdout) == (Exit.OK, "no problems in 1 file\n")


def test_sarif_format(mixed: list[str]) -> None:
    result = run(["--format", "sarif", *mixed])
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stderr == ""
    log = json.loads(result.stdout)
    schema = json.loads(SARIF_SCHEMA.read_text("utf-8"))
    jsonschema.Draft7Validator(schema).validate(log)
    assert log["version"] == "2.1.0"
    [sarif_run] = log["runs"]
    driver = sarif_run["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("configgen", __version__)
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert rule_ids == rule_ids_from_rules_command()
    results = sarif_run["results"]
    assert [(r["ruleId"], r["level"]) for r in results] == [
        ("substitution", "note"),
        ("syntax", "error"),
        ("token-weak", "warning"),
        ("ttl-invalid", "error"),
    ]
    for item in results:
        assert rule_ids[item["ruleIndex"]] == item["ruleId"]
    physical = [r["locations"][0]["physicalLocation"] for r in results]
    assert [p["artifactLocation"]["uri"] for p in physical] == [
        "app.conf",
        "missing.yaml",
        "values.yaml",
        "values.yaml",
    ]
    assert "region" not in physical[1]
    assert physical[3]["region"] == {"startLine": 7, "startColumn": 14}
    assert results[3]["message"]["text"] == TTL_MESSAGE


def test_sarif_lists_every_rule_even_without_findings() -> None:
    result = run(["--format", "sarif", write("values.yaml", HELM_CLEAN)])
    assert result.exit_code == Exit.OK
    [sarif_run] = json.loads(result.stdout)["runs"]
    assert sarif_run["results"] == []
    levels = {
        r["id"]: r["defaultConfiguration"]["level"] for r in sarif_run["tool"]["driver"]["rules"]
    }
    assert set(levels) == set(catalogue())
    assert levels["token-weak"] == "warning"
    assert levels["substitution"] == "note"
    assert levels["syntax"] == "error"


@pytest.mark.parametrize(
    ("env", "github"),
    [({"GITHUB_ACTIONS": "true"}, True), ({}, False), ({"GITHUB_ACTIONS": "false"}, False)],
)
def test_auto_format(env: dict[str, str], github: bool) -> None:
    write("values.yaml", HELM_WEAK)
    for args in (["values.yaml"], ["--format", "auto", "values.yaml"]):
        result = run(args, env=env)
        first = result.stdout.splitlines()[0]
        if github:
            assert (
                first
                == f"::warning file=values.yaml,line=5,col=16,title=token-weak::{WEAK_MESSAGE}"
            )
        else:
            assert first == f"values.yaml:5:16: warning: {WEAK_MESSAGE} [token-weak]"
        assert result.stdout.splitlines()[1] == "1 warning in 1 file (1 file checked)"


def test_explicit_format_wins_over_github_actions() -> None:
    result = run(
        ["--format", "text", write("values.yaml", HELM_WEAK)], env={"GITHUB_ACTIONS": "true"}
    )
    assert result.stdout.startswith("values.yaml:5:16: warning: ")


# --- colour -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "colored"),
    [
        (["--color", "always"], {}, True),
        (["--color", "always"], {"NO_COLOR": "1"}, True),  # the command line outranks NO_COLOR
        (["--color", "never"], {"FORCE_COLOR": "1"}, False),
        (["--color", "never"], {}, False),
        (["--color", "auto"], {"FORCE_COLOR": "1"}, True),
        (["--color", "auto"], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        ([], {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),  # auto is the default
        (["--color", "auto"], {}, False),  # CliRunner's stdout is not a tty
        (["--color", "always", "--format", "parsable"], {}, False),  # only text is coloured
        (["--color", "always", "--format", "json"], {}, False),
    ],
)
def test_color_on_a_terminal(args: list[str], env: dict[str, str], colored: bool) -> None:
    write("values.yaml", HELM_WEAK)
    result = run([*args, "values.yaml"], env=env, terminal=True)
    assert ("\x1b[" in result.stdout) is colored
    if colored:
        assert "\x1b[33mwarning\x1b[0m" in result.stdout
        plain = run(["--color", "never", "values.yaml"])
        assert ANSI.sub("", result.stdout) == plain.stdout


@pytest.mark.parametrize(
    ("args", "env"), [(["--color", "always"], {}), (["--color", "auto"], {"FORCE_COLOR": "1"})]
)
def test_color_is_kept_through_a_pipe_when_asked_for(args: list[str], env: dict[str, str]) -> None:
    """BUG: ``click.echo`` strips ANSI codes whenever stdout is not a terminal, so
    ``--color always`` (and FORCE_COLOR) give no colour in a pipe or a CI log. Fix: pass
    ``color=use_color`` to ``click.echo``."""
    result = run([*args, write("values.yaml", HELM_WEAK)], env=env, terminal=False)
    assert "\x1b[33mwarning\x1b[0m" in result.stdout


def test_colored_text_escapes_control_characters_in_file_names() -> None:
    """BUG: the coloured text line does not go through ``printable``, so an escape sequence in
    a file name (here: set the terminal title) reaches the terminal; the plain line escapes it."""
    name = write("evil\x1b]0;pwned\x07.yaml", HELM_WEAK)
    plain = run(["--color", "never", name], terminal=True)
    assert plain.stdout.startswith("evil\\x1b]0;pwned\\x07.yaml:5:16: warning: ")
    colored = run(["--color", "always", name], terminal=True)
    assert "\x07" not in colored.stdout
    assert "\x1b]" not in colored.stdout
    assert "evil\\x1b]0;pwned\\x07.yaml:5:16" in colored.stdout


# --- secrets --------------------------------------------------------------------------------


def helm_bootstrap(body: str) -> str:
    return "stackstate:\n  authentication:\n    serviceToken:\n      bootstrap:\n" + body


def hocon_bootstrap(body: str) -> str:
    return (
        "stackstate.api.authentication.authServer {\n"
        '  authServerType = ["stackstateAuthServer", "serviceTokenAuthServer"]\n'
        "  serviceTokenAuthServer.bootstrap {\n" + body + "  }\n}\n"
    )


T1 = "Hk3vQz7pL9mN2rT8wZ5yB1cXq4Wd6Fs0jR"
T2 = "Pm4nRt8xVb2cLq9wZs6yHd3kJf7gTa5e"
DIGITS = "80417395620481735092"
# name -> (file name, text, extra options, secrets that must not be printed, rules expected)
SECRET_CASES: dict[str, tuple[str, str, list[str], list[str], set[str]]] = {
    "strong token, other findings": (
        "v.yaml",
        helm_bootstrap(f'        token: "{T1}"\n        roles: [my-subject]\n        ttl: 24H\n'),
        [],
        [T1],
        {"role-unknown", "ttl-invalid"},
    ),
    "weak": (
        "v.yaml",
        helm_bootstrap('        token: "Qz7wk2Lp"\n        roles: [stackstate-power-user]\n'),
        [],
        ["Qz7wk2Lp"],
        {"token-weak"},
    ),
    "digits, unquoted": (
        "v.yaml",
        helm_bootstrap(f"        token: {DIGITS}\n        roles: [stackstate-power-user]\n"),
        [],
        [DIGITS, "8.04174e+19"],
        {"yaml11-scalar"},
    ),
    "digits, quoted": (
        "v.yaml",
        helm_bootstrap(f'        token: "{DIGITS}"\n        roles: [stackstate-power-user]\n'),
        [],
        [DIGITS],
        {"token-weak"},
    ),
    "digits in a list": (
        "v.yaml",
        helm_bootstrap(f"        token: [{DIGITS}]\n        roles: [stackstate-power-user]\n"),
        [],
        [DIGITS],
        {"token-invalid", "yaml11-scalar"},
    ),
    "duplicated bootstrap blocks": (
        "v.yaml",
        helm_bootstrap(
            f'        token: "{T1}"\n        roles: [stackstate-power-user]\n'
            f'      bootstrap:\n        token: "{T2}"\n        roles: [stackstate-power-user]\n'
        ),
        [],
        [T1, T2],
        {"duplicate-key"},
    ),
    "duplicated token key": (
        "v.yaml",
        helm_bootstrap(f'        token: "{T1}"\n        token: "Qz7wk2Lp"\n        roles: [a]\n'),
        [],
        [T1, "Qz7wk2Lp"],
        {"duplicate-key", "token-weak", "role-unknown"},
    ),
    "quote in the token for the 5.1 chart": (
        "v.yaml",
        helm_bootstrap(f'        token: "Hk3v\\"{T2}"\n        roles: [stackstate-power-user]\n'),
        ["--product", "stackstate-5.1"],
        [T2],
        {"token-invalid"},
    ),
    "syntax error on the token line": (
        "v.yaml",
        helm_bootstrap(f"        token: {T1}: y\n"),
        [],
        [T1],
        {"syntax"},
    ),
    "hocon, weak": (
        "app.conf",
        hocon_bootstrap('    token = "Qz7wk2LpHc"\n    roles = [stackstate-power-user]\n'),
        [],
        ["Qz7wk2LpHc"],
        {"token-weak"},
    ),
    "hocon, unquoted and overridden": (
        "app.conf",
        hocon_bootstrap(
            '    token = "Qz7wk2LpHc"\n'
            f"    token = {T1}Q\n    roles = [stackstate-power-user]\n    ttl = 24h\n"
        ),
        [],
        ["Qz7wk2LpHc", T1],
        {"ttl-unquoted"},
    ),
    "hocon, overridden by a substitution": (
        "app.conf",
        hocon_bootstrap(
            f'    token = "{T1}"\n'
            "    token = ${?BOOTSTRAP_TOKEN}\n"
            "    roles = [stackstate-power-user]\n"
        ),
        [],
        [T1],
        {"substitution"},
    ),
    "hocon, syntax error in the token": (
        "app.conf",
        hocon_bootstrap(f'    token = "{T1}\\q"\n'),
        [],
        [T1],
        {"syntax"},
    ),
    "hocon, unterminated token": (
        "app.conf",
        hocon_bootstrap(f'    token = "{T1}\n'),
        [],
        [T1],
        {"syntax"},
    ),
}
FORMATS = ["text", "parsable", "json", "github", "sarif"]


def assert_secrets_not_printed(case: tuple[str, str, list[str], list[str], set[str]]) -> None:
    name, text, extra, secrets, _ = case
    write(name, text)
    for fmt in FORMATS:
        result = run(["--format", fmt, "--color", "always", *extra, name], terminal=True)
        for secret in secrets:
            assert secret not in result.stdout, fmt
            assert secret not in result.stderr, fmt


@pytest.mark.parametrize("case", SECRET_CASES)
def test_token_is_never_printed(case: str) -> None:
    assert_secrets_not_printed(SECRET_CASES[case])


@pytest.mark.parametrize("case", SECRET_CASES)
def test_secret_cases_reach_their_rules(case: str) -> None:
    """Each case above produces the findings it is about (so the check is not vacuous)."""
    name, text, extra, _, rules = SECRET_CASES[case]
    result = run(["--format", "json", *extra, write(name, text)])
    assert {finding["rule"] for finding in json.loads(result.stdout)["findings"]} == rules


KNOWN_LEAKS: dict[str, tuple[str, str, list[str], list[str], set[str]]] = {
    "hocon, concatenated with a substitution": (
        "app.conf",
        hocon_bootstrap(f'    token = ${{?PREFIX}}"-{T1}"\n    roles = [stackstate-power-user]\n'),
        [],
        [T1],
        {"substitution"},
    ),
    "digits inside a token mapping": (
        "v.yaml",
        helm_bootstrap(
            f"        token: {{value: {DIGITS}}}\n        roles: [stackstate-power-user]\n"
        ),
        [],
        [DIGITS],
        {"token-invalid", "yaml11-scalar"},
    ),
}


def test_token_concatenated_with_a_substitution_is_never_printed() -> None:
    """BUG: the substitution rule prints ``value.expression`` whole; for a token that joins a
    substitution and literal text (``${?PREFIX}"-secret"``) that is the literal part of the
    token, in every format."""
    assert_secrets_not_printed(KNOWN_LEAKS["hocon, concatenated with a substitution"])


def test_digits_in_a_token_mapping_are_never_printed() -> None:
    """BUG: yaml11-scalar asks ``validation.is_secret`` about the *last* key of the path, so a
    digit-only value under ``token: {value: ...}`` is quoted in full, in every format."""
    assert_secrets_not_printed(KNOWN_LEAKS["digits inside a token mapping"])


@pytest.mark.parametrize("case", KNOWN_LEAKS)
def test_known_leak_cases_reach_their_rules(case: str) -> None:
    name, text, extra, _, rules = KNOWN_LEAKS[case]
    result = run(["--format", "json", *extra, write(name, text)])
    assert {finding["rule"] for finding in json.loads(result.stdout)["findings"]} == rules


# --- configgen rules --------------------------------------------------------------------------


def test_rules_lists_every_rule_with_its_severity() -> None:
    result = run([], command="rules")
    assert result.exit_code == Exit.OK
    assert result.stderr == ""
    listed = [line.split(None, 2) for line in result.stdout.splitlines()]
    assert [(rule_id, severity) for rule_id, severity, _ in listed] == [
        (info.id, str(info.severity)) for info in catalogue().values()
    ]
    assert [summary for _, _, summary in listed] == [i.summary for i in catalogue().values()]
    assert ("token-weak", "warning") in [(r, s) for r, s, _ in listed]
    assert ("substitution", "info") in [(r, s) for r, s, _ in listed]
    assert ("syntax", "error") in [(r, s) for r, s, _ in listed]
    assert len(listed) == len(set(rule_ids_from_rules_command())) >= 28


def test_rules_id_prints_its_documentation() -> None:
    result = run(["ttl-invalid"], command="rules")
    assert result.exit_code == Exit.OK
    assert result.stderr == ""
    info = catalogue()["ttl-invalid"]
    assert result.stdout == f"ttl-invalid (error): The server cannot read the ttl.\n\n{info.doc}\n"
    assert "Example: ``ttl: 24H``." in result.stdout


@pytest.mark.parametrize("rule_id", list(catalogue()))
def test_every_rule_has_a_documentation_page(rule_id: str) -> None:
    result = run([rule_id], command="rules")
    assert result.exit_code == Exit.OK
    info = catalogue()[rule_id]
    assert result.stdout.startswith(f"{rule_id} ({info.severity}): {info.summary}\n\n")


@pytest.mark.parametrize(
    ("rule_id", "hint"),
    [
        ("tokn-weak", " (did you mean 'token-weak'?)"),
        ("TTL-INVALID", " (did you mean 'ttl-invalid'?)"),
        ("zzzz", ""),
    ],
)
def test_rules_unknown_id(rule_id: str, hint: str) -> None:
    result = run([rule_id], command="rules")
    assert result.exit_code == Exit.USAGE
    assert result.stdout == ""
    assert f"Error: Invalid value for RULE: unknown rule {rule_id!r}{hint}\n" in result.stderr
    if not hint:
        assert "did you mean" not in result.stderr
