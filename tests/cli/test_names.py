"""Untrusted names on the way out: every path or user-supplied name that configgen prints -- in
every lint format, in ``apply`` and ``render``, in errors -- has its control characters and
non-UTF-8 bytes escaped the same way (``configgen.messages.printable``).

A file name is attacker-chosen (git allows any byte but NUL and ``/``): a newline in it would
forge a finding line or a GitHub workflow command (``::error ...``), an escape sequence would
steer the terminal, a byte that is not UTF-8 would crash the output.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from configgen.cli import Exit
from configgen.messages import printable
from testing.cli import invoke
from testing.fuzz import hostile_names

TOKEN = "Names7token9Qa4xZ2kM8rT5wB3nL6pV"
INJECTED = "::error file=x.yaml,line=1::forged"
BROKEN = "a: [\n"
# What a line of output may hold: no control character but the tab of a parsable/TSV field.
FORBIDDEN = {chr(c) for c in (*range(0x20), 0x7F, *range(0x80, 0xA0))} - {"\t"}


def lines_are_clean(text: str) -> list[str]:
    """Lines of ``text`` that hold a forbidden character (surrogates included)."""
    return [
        line
        for line in text.split("\n")
        if any(c in FORBIDDEN or "\ud800" <= c <= "\udfff" for c in line)
    ]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STS_TOKEN", TOKEN)
    return tmp_path


@pytest.mark.parametrize("fmt", ["text", "parsable"])
def test_row_07_newline_in_a_file_name_forges_no_line_in_lint_output(
    workdir: Path, fmt: str
) -> None:
    name = f"evil\n{INJECTED}\n.yaml"
    Path(name).write_text(BROKEN)
    result = invoke(["lint", "--no-config", "--format", fmt, name])
    assert result.exit_code == Exit.INVALID_INPUT
    assert not any(line.startswith("::") for line in result.stdout.splitlines())
    assert "evil\\x0a::error" in result.stdout


def test_row_07_stdin_filename_with_a_newline_forges_no_line(workdir: Path) -> None:
    result = invoke(
        ["lint", "--no-config", "--format", "text", "--stdin-filename", f"x\n{INJECTED}", "-"],
        stdin=BROKEN,
    )
    assert result.exit_code == Exit.INVALID_INPUT
    assert not any(line.startswith("::") for line in result.stdout.splitlines())


def test_row_07_apply_prints_file_names_escaped(workdir: Path) -> None:
    name = "v\x1b]0;pwned\x07\n" + INJECTED + ".yaml"
    Path(name).write_text("a: 1\n")
    result = invoke(["apply", "--roles", "stackstate-guest", "--token-env", "STS_TOKEN",
                     "--to", name])  # fmt: skip
    assert result.exit_code == Exit.OK, result.stderr
    assert lines_are_clean(result.stderr) == []
    assert not any(line.startswith("::") for line in result.stderr.splitlines())
    assert "v\\x1b]0;pwned\\x07\\x0a::error" in result.stderr


def test_row_07_apply_diff_headers_escape_the_file_name(workdir: Path) -> None:
    name = f"v\n{INJECTED}.yaml"
    Path(name).write_text("a: 1\n")
    result = invoke(["apply", "--roles", "stackstate-guest", "--token-env", "STS_TOKEN",
                     "--to", name, "--diff"])  # fmt: skip
    assert result.exit_code == Exit.OK, result.stderr
    assert lines_are_clean(result.stdout) == []
    assert not any(line.startswith("::") for line in result.stdout.splitlines())
    assert "--- v\\x0a::error" in result.stdout


def test_row_07_apply_errors_print_file_names_escaped(workdir: Path) -> None:
    name = f"v\n{INJECTED}.yaml"
    Path(name).write_text(BROKEN)
    result = invoke(["apply", "--roles", "stackstate-guest", "--token-env", "STS_TOKEN",
                     "--to", name])  # fmt: skip
    assert result.exit_code == Exit.INVALID_INPUT
    assert lines_are_clean(result.stderr) == []
    assert not any(line.startswith("::") for line in result.stderr.splitlines())


def test_row_07_render_prints_the_output_directory_escaped(workdir: Path) -> None:
    out = f"out\x1b[2J\n{INJECTED}"
    result = invoke(["render", "--roles", "stackstate-guest", "--token-env", "STS_TOKEN",
                     "--out-dir", out])  # fmt: skip
    assert result.exit_code == Exit.OK, result.stderr
    assert lines_are_clean(result.stderr) == []
    assert "out\\x1b[2J\\x0a::error" in result.stderr


def test_row_04_sarif_with_a_file_name_that_is_not_utf8(workdir: Path) -> None:
    raw = os.fsdecode(b"caf\xe9.yaml")  # Latin-1: not UTF-8, arrives as a lone surrogate
    Path(raw).write_text(BROKEN)
    Path("good.yaml").write_text("a: [\n")
    result = invoke(["lint", "--no-config", "--format", "sarif", raw, "good.yaml"])
    assert result.exit_code == Exit.INVALID_INPUT
    sarif = json.loads(result.stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in sarif["runs"][0]["results"]}  # fmt: skip
    assert uris == {"caf%E9.yaml", "good.yaml"}


@pytest.mark.parametrize("fmt", ["text", "parsable", "json", "github", "sarif"])
def test_a_file_name_that_is_not_utf8_is_shown_escaped_in_every_format(
    workdir: Path, fmt: str
) -> None:
    raw = os.fsdecode(b"caf\xe9.yaml")
    Path(raw).write_text(BROKEN)
    result = invoke(["lint", "--no-config", "--format", fmt, raw])
    assert result.exit_code == Exit.INVALID_INPUT
    assert lines_are_clean(result.stdout) == []
    if fmt in ("text", "parsable", "github"):
        assert "caf\\xe9.yaml" in result.stdout
    if fmt == "json":
        assert json.loads(result.stdout)["findings"][0]["path"] == "caf\\xe9.yaml"


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=hostile_names(), fmt=st.sampled_from(["text", "parsable", "json", "github", "sarif"]))
def test_any_file_name_reaches_lint_output_escaped(workdir: Path, name: str, fmt: str) -> None:
    """Generator: names with controls, line breaks, escape sequences, non-UTF-8 bytes,
    bidirectional overrides; given as stdin names, so no file system limits the alphabet."""
    result = invoke(
        ["lint", "--no-config", "--format", fmt, "--stdin-filename", name, "-"], stdin=BROKEN
    )
    assert result.exit_code == Exit.INVALID_INPUT
    assert lines_are_clean(result.stdout) == []
    lines = result.stdout.splitlines()
    if fmt in ("text", "parsable", "github"):  # one finding (and a summary): nothing forged
        assert len(lines) == (1 if fmt == "parsable" else 2), lines
    if fmt in ("text", "parsable"):
        assert lines[0].startswith(printable(name) + ":")


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(name=hostile_names())
def test_any_file_name_reaches_apply_messages_escaped(workdir: Path, name: str) -> None:
    """Generator: a ``--to`` name whose kind apply cannot tell (``.txt``), so every character
    of it goes through the error path."""
    target = name.replace("/", "_").replace("\x00", "_") + ".txt"
    result = invoke(["apply", "--roles", "stackstate-guest", "--token-env", "STS_TOKEN",
                     "--to", target])  # fmt: skip
    assert result.exit_code != Exit.OK
    assert lines_are_clean(result.stderr) == []


def test_only_the_output_helpers_call_click_echo() -> None:
    """Every line configgen prints goes through ``say``/``show`` (escaped) or ``emit`` (text
    configgen escaped itself): a new ``click.echo`` elsewhere in the CLI would bypass them."""
    import ast

    from testing.paths import ROOT

    calls = []
    for path in sorted((ROOT / "configgen" / "cli").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("echo", "secho")
                and path.name != "base.py"
            ):
                calls.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert calls == []
