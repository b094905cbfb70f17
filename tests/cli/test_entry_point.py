"""The installed entry points, as a user runs them: ``configgen`` and ``python -m configgen``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from configgen import __version__
from testing.cli import HELM_FILE, HOCON_FILE, TOKEN, file_mode, helm_bootstrap, spec_text

SCRIPT = Path(sys.executable).parent / "configgen"


def run(args: list[str], **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=False, **kwargs)


@pytest.mark.parametrize(
    "command", [[str(SCRIPT)], [sys.executable, "-m", "configgen"]], ids=["script", "module"]
)
def test_version(command: list[str]) -> None:
    result = run([*command, "--version"])
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"configgen, version {__version__}\n"
    assert result.stderr == ""


def test_render_through_the_script(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(spec_text(token=None))
    out = tmp_path / "out"
    env = {**os.environ, "STS_TOKEN": TOKEN}
    result = run(
        [str(SCRIPT), "render", str(spec), "--token-env", "STS_TOKEN", "--out-dir", str(out)],
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert TOKEN not in result.stderr
    assert file_mode(out / HELM_FILE) == file_mode(out / HOCON_FILE) == 0o600
    assert helm_bootstrap((out / HELM_FILE).read_text())["token"] == TOKEN


def test_bad_spec_through_the_module(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(spec_text(ttl="24H"))
    result = run(
        [sys.executable, "-m", "configgen", "render", "-", "--target", "linux"],
        input=spec.read_text(),
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert "Traceback" not in result.stderr
    assert result.stderr == (
        '<stdin>:3:6: error: ttl: "24H" is not a duration the server accepts: units are lower '
        "case: write 24h [spec]\nconfiggen: nothing was written\n"
    )
