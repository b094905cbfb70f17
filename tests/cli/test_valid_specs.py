"""Good specs under data/specs/valid/ render, and the written files read back as the spec.

A spec whose first line is ``# expect: targets=linux`` holds roles the Helm chart cannot carry:
it must render for Linux and be refused (exit 1, nothing written) for Kubernetes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from configgen.cli import Exit
from configgen.parsing import helm_yaml
from testing import paths
from testing.cli import (
    HELM_FILE,
    HOCON_FILE,
    SERVICE_TOKEN_AUTH_SERVER,
    dir_is_empty,
    error_lines,
    file_mode,
    helm_bootstrap,
    hocon_auth_server_type,
    hocon_bootstrap,
    invoke,
)

CORPUS = paths.DATA / "specs" / "valid"
CASES = sorted(p for p in CORPUS.iterdir() if p.suffix in (".yaml", ".json"))


def targets_of(path: Path) -> str:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    return "linux" if first.replace(" ", "") == "#expect:targets=linux" else "all"


def expected_bootstrap(data: dict[str, Any]) -> dict[str, Any]:
    expected = {"token": data["token"], "roles": data["roles"], "ttl": data.get("ttl", "24h")}
    if "dedicatedSubject" in data:
        expected["dedicatedSubject"] = data["dedicatedSubject"]
    return expected


def test_corpus_is_not_empty() -> None:
    assert len(CASES) >= 5
    assert any(p.suffix == ".json" for p in CASES)
    assert any(targets_of(p) == "linux" for p in CASES)


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_valid_spec_renders_and_reads_back(path: Path, tmp_path: Path) -> None:
    data = helm_yaml.load(path.read_text(encoding="utf-8")).data
    expected = expected_bootstrap(data)
    providers = [*data.get("loginProviders", ["stackstateAuthServer"]), SERVICE_TOKEN_AUTH_SERVER]
    out = tmp_path / "out"
    target = targets_of(path)
    result = invoke(["render", path, "--out-dir", out, "--target", target])
    assert result.exit_code == Exit.OK, result.stderr
    assert result.stdout == ""
    assert error_lines(result.stderr) == []
    assert data["token"] not in result.stderr

    hocon = (out / HOCON_FILE).read_text(encoding="utf-8")
    assert hocon_bootstrap(hocon) == expected
    assert hocon_auth_server_type(hocon) == providers
    assert file_mode(out / HOCON_FILE) == 0o600
    if target == "all":
        helm = (out / HELM_FILE).read_text(encoding="utf-8")
        assert helm_bootstrap(helm) == expected
        assert file_mode(out / HELM_FILE) == 0o600
    else:
        assert not (out / HELM_FILE).exists()


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_valid_spec_short_form_reads_back(path: Path) -> None:
    data = helm_yaml.load(path.read_text(encoding="utf-8")).data
    result = invoke(["render", path, "--target", "linux", "--hocon-form", "short"])
    assert result.exit_code == Exit.OK, result.stderr
    assert hocon_bootstrap(result.stdout, "short") == expected_bootstrap(data)


@pytest.mark.parametrize(
    "path", [p for p in CASES if targets_of(p) == "linux"], ids=lambda p: p.name
)
def test_linux_only_spec_is_refused_for_kubernetes(path: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(["render", path, "--out-dir", out])
    assert result.exit_code == Exit.INVALID_INPUT
    assert "the Helm chart writes roles into HOCON without quotes" in result.stderr
    assert dir_is_empty(out)
