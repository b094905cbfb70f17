"""The real server chart packages: which ones we test against, and how they are made ready.

The packages live beside the clone in ``shared/oracles/charts`` (see its README); they are not the
project's, so nothing of them is committed here. At run time each ``.tgz`` is unpacked into a
temporary folder and, by default, trimmed to the templates that build the authentication
configuration. One template of our own, the values probe, is added to full and trimmed charts
alike.

Why trim: a full render of these charts executes 100-200 templates (every Deployment,
StatefulSet and subchart) and costs 0.5-1.2 s; the trimmed chart renders the same server config
and auth Secret in 0.15-0.3 s. Trimming must not change what those documents say, so it never
edits template text:

- a template of the main chart that is not one of ``KEEP_RENDERED`` is renamed to ``_<name>``
  when it holds a ``define`` (the charts define named templates inside ordinary manifests and
  include them elsewhere; Helm parses ``_`` files but does not render them), otherwise deleted;
  ``NOTES.txt`` and ``templates/tests/`` go;
- a subchart whose templates are all helpers (``common``, ``suse-observability-sizing``) stays:
  the kept templates include its named templates;
- every other subchart keeps only ``Chart.yaml`` and ``values.yaml``. The values matter: Helm
  merges a subchart's defaults into the parent's ``.Values.<subchart>`` and the config template
  reads some of them (without the hbase subchart's ``deployment.mode`` the render fails).

That trimming agrees with the full chart is a test (``tests/oracles/test_helm_chart.py``).
"""

from __future__ import annotations

import os
import shutil
import tarfile
from dataclasses import dataclass
from pathlib import Path

from testing.hocon_oracle import OracleMissing
from testing.paths import SHARED

CHARTS_ENV = "CONFIGGEN_ORACLE_CHARTS"  # a folder holding the packages below
DEFAULT_CHARTS = SHARED / "oracles" / "charts"
BASE_VALUES = SHARED / "oracles" / "base" / "minimal.yaml"  # the least every chart renders with


@dataclass(frozen=True)
class Chart:
    """One chart package: the id tests use (the release tag it was packaged at) and its line."""

    id: str  # e.g. "2.10.3"
    line: str  # chart name: stackstate, stackstate-k8s, suse-observability

    @property
    def package(self) -> str:
        """The file name in the charts folder."""
        return f"{self.line}-{self.id}.tgz"

    @property
    def release(self) -> str:
        """Release name = chart name, so ``<fullname>`` is the release name."""
        return self.line

    @property
    def product(self) -> str:
        """The configgen profile (``--product``) this chart corresponds to."""
        return f"{self.line}-{self.id}"


# Oldest first. The packages are pre-release builds: "2.2.0" calls itself 2.1.2-pre.47 in its
# Chart.yaml, "1.12.1" 1.12.1-pre.1; the id is the tag, the facts hold for the package.
CHARTS: dict[str, Chart] = {
    c.id: c
    for c in (
        Chart("5.1.15", "stackstate"),
        Chart("1.12.1", "stackstate-k8s"),
        Chart("2.2.0", "suse-observability"),
        Chart("2.3.6", "suse-observability"),
        Chart("2.10.3", "suse-observability"),
    )
}
CHART_IDS = tuple(CHARTS)

# Rendered in the trimmed chart (matched on the file name, wherever it sits under templates/):
# the server config (a Secret in 5.1 and 1.x, a ConfigMap in 2.x), the auth Secret (2.x),
# secret-common (it reads ldap.ssl and fails when ldap is not a map) and validations (2.10 global
# checks).
KEEP_RENDERED = frozenset(
    {
        "configmap-api.yaml",
        "configmap-server.yaml",
        "secret-api.yaml",
        "secret-server.yaml",
        "secret-auth.yaml",
        "secret-common.yaml",
        "validations.yaml",
    }
)

# Our own template: it shows the oracle ``stackstate.authentication`` exactly as the chart sees
# it (after Helm's YAML 1.1 reading, float64 numbers, null deletion and the merge with the chart
# defaults). Base64 so that no value can change the manifest's YAML.
VALUES_PROBE_NAME = "oracle-values-probe"
VALUES_PROBE = f"""apiVersion: v1
kind: ConfigMap
metadata:
  name: {VALUES_PROBE_NAME}
data:
  authentication: {{{{ .Values.stackstate.authentication | toJson | b64enc | quote }}}}
"""


class ChartsMissing(OracleMissing):
    """The chart packages or the base values are not where the oracle looks."""


def charts_dir() -> Path:
    """Where the packages are: ``$CONFIGGEN_ORACLE_CHARTS`` or ``../shared/oracles/charts``."""
    return Path(os.environ.get(CHARTS_ENV) or DEFAULT_CHARTS)


def locate(chart_id: str) -> Path:
    """The package of ``chart_id``; ``ChartsMissing`` (skip or fail) when it is not there."""
    if chart_id not in CHARTS:
        raise KeyError(f"unknown chart id {chart_id!r}: one of {', '.join(CHART_IDS)}")
    package = charts_dir() / CHARTS[chart_id].package
    if not package.is_file():
        raise ChartsMissing(f"chart package {package} not found (set {CHARTS_ENV})")
    if not BASE_VALUES.is_file():
        raise ChartsMissing(f"base values {BASE_VALUES} not found")
    return package


def prepare(chart_id: str, dest: Path, *, trimmed: bool) -> Path:
    """A ready-to-render chart directory under ``dest`` (full or trimmed), with the probe."""
    package = locate(chart_id)
    if dest.exists():
        shutil.rmtree(dest)
    chart_dir = unpack(package, dest)
    if trimmed:
        trim(chart_dir)
    (chart_dir / "templates" / f"{VALUES_PROBE_NAME}.yaml").write_text(VALUES_PROBE)
    return chart_dir


def unpack(package: Path, dest: Path) -> Path:
    """Extract ``package`` under ``dest``; return the chart directory (its one top folder)."""
    dest.mkdir(parents=True, exist_ok=True)
    with tarfile.open(package) as archive:
        members = archive.getmembers()
        tops = {m.name.split("/", 1)[0] for m in members}
        if len(tops) != 1:
            raise ValueError(f"{package}: expected one top-level folder, found {sorted(tops)}")
        _extract(archive, members, dest)
    return dest / tops.pop()


def _extract(archive: tarfile.TarFile, members: list[tarfile.TarInfo], dest: Path) -> None:
    """Extract regular files and folders only, never outside ``dest``.

    ``filter="data"`` does exactly this where Python has it (3.10.12+, 3.11.4+); older 3.10
    releases get the same check by hand."""
    if hasattr(tarfile, "data_filter"):
        archive.extractall(dest, filter="data")
        return
    root = dest.resolve()
    for member in members:
        target = (dest / member.name).resolve()
        if not (member.isfile() or member.isdir()) or not target.is_relative_to(root):
            raise ValueError(f"refusing archive member {member.name!r}")
    archive.extractall(dest)  # every member checked above


def trim(chart_dir: Path) -> None:
    """Trim an unpacked chart in place (see the module docstring)."""
    _trim_main_templates(chart_dir / "templates")
    for sub in _subcharts(chart_dir):
        if not _helpers_only(sub):
            _strip_to_values(sub)


def _subcharts(chart_dir: Path) -> list[Path]:
    charts = chart_dir / "charts"
    if not charts.is_dir():
        return []
    return [sub for sub in sorted(charts.iterdir()) if (sub / "Chart.yaml").is_file()]


def _trim_main_templates(templates: Path) -> None:
    for path in sorted(templates.rglob("*")):
        if not path.is_file():
            continue
        if path.relative_to(templates).parts[0] == "tests" or path.name == "NOTES.txt":
            path.unlink()
        elif path.name.startswith("_") or path.name in KEEP_RENDERED:
            continue
        elif "define" in path.read_text(encoding="utf-8", errors="replace"):
            parked = path.with_name("_" + path.name)
            if parked.exists():
                raise FileExistsError(f"cannot park {path}: {parked} exists")
            path.rename(parked)
        else:
            path.unlink()


def _helpers_only(chart_dir: Path) -> bool:
    templates = chart_dir / "templates"
    files = [p for p in templates.rglob("*") if p.is_file()] if templates.is_dir() else []
    return all(p.name.startswith("_") for p in files)


def _strip_to_values(chart_dir: Path) -> None:
    for path in chart_dir.iterdir():
        if path.name in ("Chart.yaml", "values.yaml"):
            continue
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
