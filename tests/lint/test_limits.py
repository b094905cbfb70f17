"""The caps on size, nesting and alias expansion are findings, and configurable."""

from __future__ import annotations

from pathlib import Path

import pytest

from configgen.lint import run as lint
from configgen.parsing.limits import Limits
from testing.cli import invoke

NESTED_YAML = "a:\n" + "".join("  " * i + "  b:\n" for i in range(1, 12)) + "  " * 12 + "  c: 1\n"
NESTED_HOCON = "a " + "{ b " * 12 + "= 1" + " }" * 12 + "\n"


@pytest.mark.parametrize(("kind", "text"), [("helm", NESTED_YAML), ("hocon", NESTED_HOCON)])
def test_max_depth_is_a_limit_finding(kind: str, text: str) -> None:
    assert lint.lint_text("f", text, kind, lint.LintOptions()) == []
    [finding] = lint.lint_text("f", text, kind, lint.LintOptions(limits=Limits(max_depth=5)))
    assert finding.rule == "limit"
    assert "nesting deeper than 5 levels" in finding.message


def test_max_values_caps_alias_expansion() -> None:
    text = "a: &a [1, 2, 3, 4]\nb: [*a, *a, *a, *a]\n"
    assert lint.lint_text("f.yaml", text, "helm", lint.LintOptions()) == []
    [finding] = lint.lint_text(
        "f.yaml", text, "helm", lint.LintOptions(limits=Limits(max_values=10))
    )
    assert finding.rule == "limit"
    assert "more than 10 values" in finding.message


def test_limits_come_from_the_project_configuration(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "deep.conf").write_text(NESTED_HOCON)
    (tmp_path / "big.yaml").write_text("a: " + "x" * 3000 + "\n")
    assert invoke(["lint", "deep.conf", "big.yaml"]).exit_code == 0
    (tmp_path / ".configgen.yaml").write_text("max-depth: 5\nmax-file-size: 2048\n")
    result = invoke(["lint", "--format", "parsable", "deep.conf", "big.yaml"])
    assert result.exit_code == 1
    assert [line.rsplit("(", 1)[1] for line in result.stdout.splitlines()] == ["limit)", "limit)"]
    assert "larger than 2 KiB" in result.stdout


@pytest.mark.parametrize("value", ["0", "-1", "true", "'10'"])
def test_limits_must_be_positive_numbers(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".configgen.yaml").write_text(f"max-depth: {value}\n")
    (tmp_path / "a.yaml").write_text("a: 1\n")
    result = invoke(["lint", "a.yaml"])
    assert result.exit_code == 2
    assert "max-depth must be a positive whole number" in result.stderr
