"""The token is a secret: it reaches the output files (or stdout, when that is the output) only.

Failing cases never print it, whatever the source; a generated token is printed only with
--show-token.  (Spec files with a bad token are in data/specs/invalid/, with ``secret=``.)
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from configgen.cli import Exit
from testing.cli import (
    HELM_FILE,
    HOCON_FILE,
    ROLE,
    TOKEN,
    dir_is_empty,
    error_lines,
    helm_bootstrap,
    hocon_bootstrap,
    invoke,
    spec_text,
    write_spec,
)

GENERATED = re.compile(r"[A-Za-z0-9_-]{43}")  # 32 bytes, URL-safe base64 without padding

BAD_TOKENS = {
    "too-short": ("Sh0rtS3cret", "token: shorter than 16 characters"),
    "space": ("kQ3vX9pL2m N8rT5wZ7yB", "token: has characters outside"),
    "dollar": ("kQ3vX9pL2m${N8rT5wZ7yB}", "token: has characters outside"),
    "quote": ('kQ3vX9pL2m"N8rT5wZ7yB', "token: has characters outside"),
    "newline-inside": ("kQ3vX9pL2m\nN8rT5wZ7yB", "token: has characters outside"),
    "unicode": ("kQ3vX9pL2mN8rT5wZ7yBé", "token: has characters outside"),
    "too-long": ("x" * 513, "token: longer than 512 characters"),
    "placeholder": ("<random token>", "token: is a placeholder, not a secret"),
}


@pytest.mark.parametrize("name", BAD_TOKENS)
@pytest.mark.parametrize("source", ["spec", "token", "token-file", "token-env", "stdin"])
def test_bad_token_is_never_printed(tmp_path: Path, name: str, source: str) -> None:
    token, message = BAD_TOKENS[name]
    out = tmp_path / "out"
    env = {}
    stdin = None
    if source == "spec":
        args = [write_spec(tmp_path, spec_text(token=token))]
    elif source == "stdin":
        args = ["-"]
        stdin = spec_text(token=token)
    else:
        args = [write_spec(tmp_path, spec_text(token=None))]
        if source == "token":
            args += ["--token", token]
        elif source == "token-env":
            args += ["--token-env", "STS_TOKEN"]
            env["STS_TOKEN"] = token
        else:
            token_file = tmp_path / "token.txt"
            token_file.write_text(token + "\n", encoding="utf-8")
            args += ["--token-file", token_file]
    result = invoke(["render", *args, "--out-dir", out], stdin=stdin, env=env)
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout == ""
    assert any(message in line for line in error_lines(result.stderr)), result.stderr
    # Neither the token nor a recognisable piece of it (e.g. the first line) is printed.
    for piece in {token, *token.splitlines()} - {""}:
        assert piece not in result.stderr
    assert dir_is_empty(out)


@pytest.mark.parametrize(
    "token_yaml",
    [
        "1234567890123456789012",  # an int for YAML: the text must not come back as a number
        "1234567890.123456789012",
        "0x1234567890ABCDEF",
        "12345678901234567890123456789",  # too large for int64: a float
        "true",
        "~",
        "[kQ3vX9pL2mN8rT5wZ7yB, kQ3vX9pL2mN8rT5wZ7yB]",
    ],
)
def test_token_of_the_wrong_type_is_never_printed(tmp_path: Path, token_yaml: str) -> None:
    spec = write_spec(tmp_path, f"token: {token_yaml}\nroles: [{ROLE}]\n")
    result = invoke(["render", spec, "--target", "linux"])
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout == ""
    (line,) = error_lines(result.stderr)
    assert line.startswith(f"{spec}:1:8: error: token: ")
    for piece in re.findall(r"[0-9A-Za-z]{4,}", token_yaml):
        if piece not in ("true",):
            assert piece not in result.stderr
    # Nor its value as YAML read it (e.g. 1.2345678901234568e+21).
    assert "e+" not in line
    assert "number 1" not in line


def test_token_is_not_printed_with_other_errors(tmp_path: Path) -> None:
    """Several problems at once: the token is valid but still appears nowhere in the report."""
    spec = write_spec(tmp_path, f"token: {TOKEN}\nrole: [{ROLE}]\nttl: 1y\nextra: {TOKEN}\n")
    result = invoke(["render", spec, "--target", "linux"])
    assert result.exit_code == Exit.INVALID_INPUT
    assert len(error_lines(result.stderr)) >= 3
    assert TOKEN not in result.stderr


def test_generate_token_writes_it_to_the_files_only(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, spec_text(token=None))
    out = tmp_path / "out"
    result = invoke(["render", spec, "--generate-token", "--out-dir", out])
    assert result.exit_code == Exit.OK, result.stderr
    helm_token = helm_bootstrap((out / HELM_FILE).read_text())["token"]
    hocon_token = hocon_bootstrap((out / HOCON_FILE).read_text())["token"]
    assert helm_token == hocon_token
    assert GENERATED.fullmatch(helm_token)
    assert result.stdout == ""
    assert helm_token not in result.stderr
    assert "generated token" not in result.stderr


def test_generate_token_replaces_the_spec_token(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, spec_text())
    result = invoke(["render", spec, "--generate-token", "--target", "kubernetes"])
    assert result.exit_code == Exit.OK, result.stderr
    token = helm_bootstrap(result.stdout)["token"]
    assert token != TOKEN
    assert GENERATED.fullmatch(token)
    assert token not in result.stderr


def test_generated_tokens_differ(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, spec_text(token=None))
    tokens = set()
    for _ in range(3):
        result = invoke(["render", spec, "--generate-token", "--target", "linux"])
        assert result.exit_code == Exit.OK
        tokens.add(hocon_bootstrap(result.stdout)["token"])
    assert len(tokens) == 3


def test_show_token_prints_it_on_stderr_only(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, spec_text(token=None))
    out = tmp_path / "out"
    result = invoke(["render", spec, "--generate-token", "--show-token", "--out-dir", out])
    assert result.exit_code == Exit.OK, result.stderr
    token = helm_bootstrap((out / HELM_FILE).read_text())["token"]
    assert result.stdout == ""
    assert f"generated token: {token}" in result.stderr.splitlines()
    assert result.stderr.count(token) == 1


@pytest.mark.parametrize("source", ["spec", "token-file", "token-env"])
def test_valid_token_not_printed_when_writing_files(tmp_path: Path, source: str) -> None:
    out = tmp_path / "out"
    env = {}
    if source == "spec":
        args = [write_spec(tmp_path, spec_text())]
    elif source == "token-env":
        args = [write_spec(tmp_path, spec_text(token=None)), "--token-env", "STS_TOKEN"]
        env["STS_TOKEN"] = TOKEN
    else:
        token_file = tmp_path / "token"
        token_file.write_text(TOKEN + "\n")
        args = [write_spec(tmp_path, spec_text(token=None)), "--token-file", token_file]
    result = invoke(["render", *args, "--out-dir", out], env=env)
    assert result.exit_code == Exit.OK, result.stderr
    assert result.stdout == ""
    assert TOKEN not in result.stderr
    assert TOKEN in (out / HELM_FILE).read_text()
    assert TOKEN in (out / HOCON_FILE).read_text()


def test_token_from_env_not_printed_with_spec_errors(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The variable is read, never echoed, when the rest of the spec has errors."""
    monkeypatch.setenv("STS_TOKEN", TOKEN)
    spec = write_spec(tmp_path, spec_text(token=None, roles=[]))
    result = invoke(["render", spec, "--token-env", "STS_TOKEN", "--target", "linux"])
    assert result.exit_code == Exit.INVALID_INPUT
    assert TOKEN not in result.stderr
