"""Shared fixtures."""

from __future__ import annotations

import os
from pathlib import Path

import oracle
import pytest


@pytest.fixture(scope="session")
def lightbend(tmp_path_factory: pytest.TempPathFactory) -> oracle.Lightbend:
    """The real Lightbend config library (see ``oracle.py``), compiled once per session.

    Missing jar or JDK: the oracle tests are skipped locally, but fail under ``CI=true`` so CI
    can never go green without having compared the output with the real parser.
    """
    workdir: Path = tmp_path_factory.mktemp("hocon-oracle")
    try:
        return oracle.Lightbend.build(workdir)
    except oracle.OracleMissing as err:
        if os.environ.get("CI") == "true":
            pytest.fail(f"HOCON oracle missing under CI=true: {err}", pytrace=False)
        pytest.skip(f"HOCON oracle not available: {err}")


# Appended with the Helm oracle (the fixtures above are unchanged).
import helm_oracle  # noqa: E402


@pytest.fixture(scope="session")
def go_yaml(tmp_path_factory: pytest.TempPathFactory) -> helm_oracle.HelmYaml:
    """The Go YAML code Helm reads values with (see ``helm_oracle.py``), built once per session.

    Missing Go toolchain or packages: the oracle tests are skipped locally, but fail under
    ``CI=true``, like ``lightbend``.
    """
    workdir: Path = tmp_path_factory.mktemp("helm-oracle")
    try:
        return helm_oracle.HelmYaml.build(workdir)
    except oracle.OracleMissing as err:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Helm YAML oracle missing under CI=true: {err}", pytrace=False)
        pytest.skip(f"Helm YAML oracle not available: {err}")
