"""The pre-commit hooks, run by pre-commit itself in a temporary git repository.

pre-commit clones this repository at its current commit, installs configgen into its own
virtual environment (from the package registry), and runs the hooks on ``git commit``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from testing.paths import ROOT

BAD_VALUES = """\
stackstate:
  authentication:
    servicetoken:
      bootstrap:
        token: "3f9a1c2b7d4e6f8091a2b3c4d5e6f708"
        roles: [stackstate-power-user]
"""
GOOD_VALUES = BAD_VALUES.replace("servicetoken", "serviceToken")
BAD_HOCON = """\
authentication {
  authServer {
    authServerType = ["stackstateAuthServer"]
    serviceTokenAuthServer.bootstrap {
      token = "3f9a1c2b7d4e6f8091a2b3c4d5e6f708"
      roles = ["stackstate-power-user"]
    }
  }
}
"""


def git(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}  # fmt: skip
    return subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True)


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    head = git(ROOT, "rev-parse", "HEAD")
    if head.returncode != 0 or shutil.which("git") is None:
        pytest.skip("not a git checkout")
    if git(ROOT, "cat-file", "-e", f"{head.stdout.strip()}:.pre-commit-hooks.yaml").returncode:
        pytest.skip("the hook manifest is not committed yet")
    path = tmp_path_factory.mktemp("hooked")
    git(path, "init", "-q")
    (path / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {ROOT}\n    rev: {head.stdout.strip()}\n"
        "    hooks:\n      - id: configgen-helm\n      - id: configgen-hocon\n"
    )
    os.environ.setdefault("PRE_COMMIT_HOME", str(tmp_path_factory.mktemp("pre-commit-home")))
    install = subprocess.run([sys.executable, "-m", "pre_commit", "install"], cwd=path,
                             capture_output=True, text=True)  # fmt: skip
    assert install.returncode == 0, install.stdout + install.stderr
    git(path, "add", ".pre-commit-config.yaml")
    assert git(path, "commit", "-q", "--no-verify", "-m", "config").returncode == 0
    return path


def commit(repo: Path, name: str, text: str) -> subprocess.CompletedProcess[str]:
    (repo / name).write_text(text)
    git(repo, "add", name)
    return git(repo, "commit", "-m", f"add {name}")


def test_bad_values_file_fails_the_commit_with_its_position(repo: Path) -> None:
    result = commit(repo, "values.yaml", BAD_VALUES)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "values.yaml:3:5: error:" in output
    assert "[misspelled-key]" in output
    assert "3f9a1c2b7d4e6f8091a2b3c4d5e6f708" not in output


def test_good_values_file_passes(repo: Path) -> None:
    result = commit(repo, "values.yaml", GOOD_VALUES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_bad_hocon_file_fails_the_commit(repo: Path) -> None:
    result = commit(repo, "application_stackstate.conf", BAD_HOCON)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "application_stackstate.conf:3:22: error:" in output
    assert "[auth-server-missing]" in output


def test_readme_names_every_hook_in_the_manifest() -> None:
    from configgen.parsing import helm_yaml

    hooks = helm_yaml.load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8")).data
    readme = (ROOT / "README.md").read_text("utf-8")
    assert [h["id"] for h in hooks] == ["configgen-helm", "configgen-hocon"]
    for hook in hooks:
        assert f"id: {hook['id']}" in readme
        assert hook["entry"].startswith("configgen lint --kind ")
