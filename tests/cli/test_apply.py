"""``configgen apply`` end to end through the CLI (the core is tested in test_apply_*.py)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from configgen.cli import Exit
from testing.cli import invoke

TOKEN = "Apply7token9Qa4xZ2kM8rT5wB3nL6pV"
VALUES = """\
# Our values: comments stay.
global:
  imageRegistry: quay.io  # the registry
stackstate:
  authentication:
    servicetoken:
      bootstrap:
        token: <token>
        roles: [stackstate-guest]
elasticsearch:
  replicas: 3
"""
HOCON = """\
stackstate {
  api.authentication.authServer.authServerType = "stackstateAuthServer"
  web.port = 7070
}
"""


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("STS_TOKEN", TOKEN)
    (tmp_path / "spec.yaml").write_text("roles: [stackstate-power-user]\nttl: 48h\n")
    (tmp_path / "values.yaml").write_text(VALUES)
    (tmp_path / "application_stackstate.conf").write_text(HOCON)
    return tmp_path


def apply(*args: str) -> object:
    return invoke(["apply", "spec.yaml", "--token-env", "STS_TOKEN", *args])


def test_apply_updates_both_kinds_then_is_idempotent(workdir: Path) -> None:
    first = apply("--to", "values.yaml", "--to", "application_stackstate.conf")
    assert first.exit_code == Exit.OK, first.stderr
    values = (workdir / "values.yaml").read_text()
    assert "# Our values: comments stay." in values
    assert "imageRegistry: quay.io  # the registry" in values
    assert "servicetoken" not in values
    assert f'token: "{TOKEN}"' in values
    assert "values.yaml:" in first.stderr
    assert "servicetoken" in first.stderr
    hocon = (workdir / "application_stackstate.conf").read_text()
    assert hocon.startswith(HOCON)
    assert '["stackstateAuthServer", "serviceTokenAuthServer"]' in hocon
    assert stat.S_IMODE((workdir / "values.yaml").stat().st_mode) == 0o600
    before = {p.name: p.read_bytes() for p in workdir.iterdir()}
    second = apply("--to", "values.yaml", "--to", "application_stackstate.conf")
    assert second.exit_code == Exit.OK
    assert {p.name: p.read_bytes() for p in workdir.iterdir()} == before
    assert TOKEN not in first.stdout + first.stderr + second.stdout + second.stderr


def test_diff_and_check_write_nothing(workdir: Path) -> None:
    before = (workdir / "values.yaml").read_bytes()
    diff = apply("--to", "values.yaml", "--diff")
    assert diff.exit_code == Exit.OK
    assert diff.stdout.startswith("--- values.yaml\n+++ values.yaml\n")
    assert TOKEN not in diff.stdout
    check = apply("--to", "values.yaml", "--check")
    assert check.exit_code == Exit.INVALID_INPUT
    assert "values.yaml: would change" in check.stderr
    assert (workdir / "values.yaml").read_bytes() == before
    assert apply("--to", "values.yaml").exit_code == Exit.OK
    assert apply("--to", "values.yaml", "--check").exit_code == Exit.OK


def test_backup_keeps_the_previous_version(workdir: Path) -> None:
    result = apply("--to", "values.yaml", "--backup")
    assert result.exit_code == Exit.OK
    assert (workdir / "values.yaml.bak").read_text() == VALUES


def test_unparsable_file_is_left_untouched_with_a_position(workdir: Path) -> None:
    (workdir / "values.yaml").write_text("stackstate: [unclosed\n")
    result = apply("--to", "values.yaml")
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stderr.startswith("values.yaml:1:22: error:")
    assert (workdir / "values.yaml").read_text() == "stackstate: [unclosed\n"


def test_missing_file_is_created_and_unknown_kind_needs_kind(workdir: Path) -> None:
    created = apply("--to", "new/authentication.yaml")
    assert created.exit_code == Exit.OK, created.stderr
    assert f'token: "{TOKEN}"' in (workdir / "new" / "authentication.yaml").read_text()
    unknown = apply("--to", "notes.txt")
    assert unknown.exit_code == Exit.INVALID_INPUT
    assert "--kind" in unknown.stderr


def test_usage_errors(workdir: Path) -> None:
    assert apply().exit_code == Exit.USAGE  # --to is required
    assert apply("--to", "values.yaml", "--diff", "--check").exit_code == Exit.USAGE
    assert apply("--to", "values.yaml", "--product", "nope").exit_code == Exit.USAGE


def test_row_13_to_dash_is_a_usage_error_and_stdin_is_not_read(workdir: Path) -> None:
    """``--to -`` used to read stdin as the current content of a file named ``-``; apply edits
    files in place, so ``-`` has no meaning there (``./-`` names such a file)."""
    result = invoke(["apply", "spec.yaml", "--token-env", "STS_TOKEN", "--to", "-"], stdin="a: 1\n")
    assert result.exit_code == Exit.USAGE
    assert "./-" in result.stderr
    assert not (workdir / "-").exists()


def test_a_file_named_dash_is_reached_as_dot_slash_dash(workdir: Path) -> None:
    (workdir / "-").write_text("a: 1\n")
    result = invoke(
        ["apply", "spec.yaml", "--token-env", "STS_TOKEN", "--to", "./-", "--kind", "helm"],
        stdin="stdin: is not read\n",
    )
    assert result.exit_code == Exit.OK, result.stderr
    text = (workdir / "-").read_text()
    assert text.startswith("a: 1\n")
    assert TOKEN in text
    assert "stdin" not in text


def test_row_08_apply_to_a_symlink_to_a_fifo_is_refused_without_hanging(workdir: Path) -> None:
    from testing.guards import deadline

    os.mkfifo(workdir / "pipe")
    (workdir / "v.yaml").symlink_to(workdir / "pipe")
    with deadline(20):
        result = apply("--to", "v.yaml")
    assert result.exit_code == Exit.INVALID_INPUT
    assert "v.yaml: error: not a regular file (a FIFO)" in result.stderr
