"""Shared fixtures: the real consumers configgen is checked against (the oracles)."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest

from testing import hocon_oracle, yaml_oracle
from testing.helm_chart import ChartOracles

T = TypeVar("T")


def _oracle(name: str, build: Callable[[Path], T], workdir: Path) -> T:
    """An oracle built once per session.  When it cannot be built, its tests are skipped
    locally, but fail under ``CI=true``: CI can never go green without having compared
    configgen with the real consumer."""
    try:
        return build(workdir)
    except hocon_oracle.OracleMissing as err:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} oracle missing under CI=true: {err}", pytrace=False)
        pytest.skip(f"{name} oracle not available: {err}")


@pytest.fixture(scope="session")
def lightbend(tmp_path_factory: pytest.TempPathFactory) -> hocon_oracle.Lightbend:
    """The real Lightbend config library (see ``testing/hocon_oracle.py``)."""
    workdir = tmp_path_factory.mktemp("hocon-oracle")
    return _oracle("HOCON", hocon_oracle.Lightbend.build, workdir)


@pytest.fixture(scope="session")
def go_yaml(tmp_path_factory: pytest.TempPathFactory) -> yaml_oracle.HelmYaml:
    """The Go YAML code Helm reads values with (see ``testing/yaml_oracle.py``)."""
    workdir = tmp_path_factory.mktemp("helm-oracle")
    return _oracle("Helm YAML", yaml_oracle.HelmYaml.build, workdir)


@pytest.fixture(scope="session")
def helm_charts(tmp_path_factory: pytest.TempPathFactory) -> ChartOracles:
    """The real server charts through real Helm and Lightbend (see ``testing/helm_chart``):
    ``helm_charts["2.10.3"]`` is that chart's trimmed oracle, ``helm_charts.full("2.10.3")``
    the untrimmed one. Needs helm (``$CONFIGGEN_HELM`` or PATH), the chart packages
    (``../shared/oracles/charts``), java and the Lightbend jar."""
    workdir = tmp_path_factory.mktemp("helm-chart-oracle")
    return _oracle("Helm chart", ChartOracles, workdir)
