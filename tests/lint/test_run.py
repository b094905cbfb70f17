"""``configgen.lint`` inside: kinds from names, reading limits, options, and internal errors.

A rule that raises must cost only its own file: that file gets one ``internal-error`` finding
(without the exception's text, which could quote the input), and every other file is linted
normally.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pytest

from configgen.cli import Exit
from configgen.findings import Severity
from configgen.lint import run as lint
from configgen.parsing.limits import Limits
from configgen.rules import token
from configgen.rules.base import Context
from testing.cli import invoke

SECRET_MESSAGE = "kaboom-Zx8cV7bN6mL5kJ4h"
WEAK = """\
stackstate:
  authentication:
    serviceToken:
      bootstrap:
        token: "Weak7tok9Qa4x"
        roles: [stackstate-power-user]
"""  # token-weak at 5:16, nothing else
UNKNOWN_ROLE = WEAK.replace("Weak7tok9Qa4x", "kz92R5goCrOmTozG1m-iWMWTZK6CsqrlpBaFtML-CwE").replace(
    "stackstate-power-user", "my-subject"
)  # role-unknown at 6:17, nothing else


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("values.yaml", "helm"),
        ("a/b/values.yml", "helm"),
        ("VALUES.YAML", "helm"),
        ("x.Yml", "helm"),
        ("application_stackstate.conf", "hocon"),
        ("app.CONF", "hocon"),
        ("app.hocon", "hocon"),
        ("APP.HoCoN", "hocon"),
        ("values.yaml.txt", None),
        ("values", None),
        ("<stdin>", None),
        (".yaml", None),  # a hidden file without a suffix
        ("values.json", None),
    ],
)
def test_kind_for(name: str, kind: str | None) -> None:
    assert lint.kind_for(name) == kind


def test_lint_paths_checks_every_path_and_counts_them(tmp_path: Path) -> None:
    weak = tmp_path / "weak.yaml"
    weak.write_text(WEAK, encoding="utf-8")
    missing = tmp_path / "missing.yaml"
    result = lint.lint_paths([str(missing), str(weak)], lint.LintOptions())
    assert result.files_checked == 2
    assert [(f.path, f.line, f.rule) for f in result.findings] == [
        (str(missing), 0, "syntax"),
        (str(weak), 5, "token-weak"),
    ]


def test_size_limit_is_the_limit_rule(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 2000 + "\n", encoding="utf-8")
    findings = lint.lint_file(
        str(path), lint.LintOptions(limits=Limits(max_bytes=1024)), kind=None, name="big.yaml"
    )
    assert [(f.path, f.line, f.column, f.rule) for f in findings] == [("big.yaml", 0, 0, "limit")]
    assert findings[0].message == "larger than 1 KiB: not a config file?"


def test_a_directory_is_a_syntax_finding(tmp_path: Path) -> None:
    directory = tmp_path / "dir.yaml"
    directory.mkdir()
    findings = lint.lint_file(str(directory), lint.LintOptions(), kind=None, name="dir.yaml")
    assert [(f.rule, f.message) for f in findings] == [("syntax", "is a directory, not a file")]


def test_explicit_kind_wins_over_the_name() -> None:
    hocon = 'a = "b"\n'
    as_hocon = lint.lint_text("x.yaml", hocon, "hocon", lint.LintOptions())
    as_helm = lint.lint_text("x.yaml", hocon, "helm", lint.LintOptions())
    assert as_hocon == []
    assert [f.rule for f in as_helm] == ["schema"]  # a YAML string, not a mapping


def test_options_disable_and_rerate_after_the_rules_ran() -> None:
    options = lint.LintOptions(severity={"token-weak": Severity.INFO})
    [found] = lint.lint_text("v.yaml", WEAK, "helm", options)
    assert (found.rule, found.severity) == ("token-weak", Severity.INFO)
    disabled = lint.LintOptions(disable=frozenset({"token-weak"}))
    assert lint.lint_text("v.yaml", WEAK, "helm", disabled) == []


# --- internal errors ------------------------------------------------------------------------


@pytest.fixture
def broken_token_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """``token.check`` raises for files whose name starts with ``broken``."""
    original = token.check

    def check(ctx: Context) -> Iterable[object]:
        if Path(ctx.doc.name).name.startswith("broken"):
            raise RuntimeError(f"{SECRET_MESSAGE}: Weak7tok9Qa4x")
        return original(ctx)

    monkeypatch.setattr(token, "check", check)


def test_internal_error_in_lint_text(broken_token_rule: None) -> None:
    findings = lint.lint_text("broken.yaml", UNKNOWN_ROLE, "helm", lint.LintOptions())
    assert len(findings) == 1  # the other rules' findings for this file are dropped
    [found] = findings
    assert (found.path, found.line, found.column) == ("broken.yaml", 0, 0)
    assert (found.rule, found.severity) == ("internal-error", Severity.ERROR)
    assert found.message == (
        "configgen failed on this file (RuntimeError); the other files were checked. "
        "Please report it (without secrets)"
    )


def test_internal_error_is_never_disabled_or_rerated(broken_token_rule: None) -> None:
    """It says the file's other findings are incomplete, so no setting may hide it."""
    disabled = lint.LintOptions(disable=frozenset({"internal-error"}))
    [found] = lint.lint_text("broken.yaml", WEAK, "helm", disabled)
    assert found.rule == "internal-error"
    rerated = lint.LintOptions(severity={"internal-error": Severity.WARNING})
    [found] = lint.lint_text("broken.yaml", WEAK, "helm", rerated)
    assert found.severity is Severity.ERROR
    [found] = lint.lint_text("broken.yaml", "# configgen: disable-file\n" + WEAK, "helm",
                             lint.LintOptions())  # fmt: skip
    assert found.rule == "internal-error"


@pytest.mark.parametrize("fmt", ["text", "parsable", "json", "github", "sarif"])
def test_internal_error_through_the_cli(
    broken_token_rule: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("broken.yaml").write_text(WEAK, encoding="utf-8")
    Path("next.yaml").write_text(WEAK, encoding="utf-8")
    result = invoke(["lint", "--no-config", "--format", fmt, "broken.yaml", "next.yaml"])
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stderr == ""
    for text in (result.stdout, result.stderr):
        assert SECRET_MESSAGE not in text
        assert "Weak7tok9Qa4x" not in text
        assert "Traceback" not in text
    if fmt == "parsable":
        assert result.stdout.splitlines() == [
            "broken.yaml: [error] configgen failed on this file (RuntimeError); the other files "
            "were checked. Please report it (without secrets) (internal-error)",
            "next.yaml:5:16: [warning] token is weak (about 77 bits; 13 characters): use at least "
            "32 random characters, e.g. configgen render --generate-token (token-weak)",
        ]
    if fmt == "text":
        assert result.stdout.endswith("1 error, 1 warning in 2 files (2 files checked)\n")


def test_internal_error_on_the_second_file_spares_the_first(
    broken_token_rule: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("a.yaml").write_text(UNKNOWN_ROLE, encoding="utf-8")
    Path("broken.yaml").write_text(UNKNOWN_ROLE, encoding="utf-8")
    Path("c.yaml").write_text(UNKNOWN_ROLE, encoding="utf-8")
    result = invoke(
        ["lint", "--no-config", "--format", "parsable", "a.yaml", "broken.yaml", "c.yaml"]
    )
    assert result.exit_code == Exit.INVALID_INPUT
    rules = [(line.split(":", 1)[0], line.rsplit("(", 1)[1]) for line in result.stdout.splitlines()]
    assert rules == [
        ("a.yaml", "role-unknown)"),
        ("broken.yaml", "internal-error)"),
        ("c.yaml", "role-unknown)"),
    ]
