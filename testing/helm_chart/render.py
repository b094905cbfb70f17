"""Render values through a real chart with the real ``helm template``, many at a time.

Helm has no batch mode, so each values document is one ``helm template`` process; a thread pool
runs as many as there are CPUs. The document under test is overlaid on the base values, exactly
as ``helm template <release> <chart> -f base/minimal.yaml -f <document>`` would.

Of the rendered stream only what the server's authentication depends on is kept: the server
configuration (``application_stackstate.conf`` of ``<fullname>-api``, else ``<fullname>-server``;
a Secret's ``stringData`` in 5.1 and 1.x, a ConfigMap in 2.x), the decoded auth Secret
``<fullname>-auth`` (2.x), and the values probe (see ``charts.py``).

Helm runs with an empty private ``HOME`` and Helm folders and nothing else from the environment
but ``PATH``: no user plugin, repository or registry setting can change what it renders.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from testing.helm_chart.charts import VALUES_PROBE_NAME
from testing.hocon_oracle import OracleError, OracleMissing

HELM_ENV = "CONFIGGEN_HELM"
CONFIG_KEY = "application_stackstate.conf"
NAMESPACE = "oracle"
# A render takes well under two seconds; this only stops a hung process from hanging the run.
TIMEOUT_SECONDS = 120
# libyaml when PyYAML has it: a full 2.10.3 render is ~0.5 MB of YAML, 0.8 s in pure Python.
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

Values = str | Mapping[str, Any]  # YAML text as a user writes it, or data to dump as YAML


class HelmMissing(OracleMissing):
    """No helm binary: the chart oracle cannot run."""


@dataclass(frozen=True)
class Rendered:
    """What one ``helm template`` run produced, reduced to what the server reads for auth."""

    ok: bool
    error: str = ""  # Helm's message when the render failed (coalesce warnings removed)
    config: str | None = None  # application_stackstate.conf of <fullname>-api (or -server)
    config_source: str = ""  # where it came from, e.g. "ConfigMap/suse-observability-api"
    auth_secret: dict[str, str] | None = field(default=None, repr=False)  # None: not rendered
    auth_values: Any = None  # stackstate.authentication as the chart saw it (the probe)
    # The charts build some manifests with fromYaml, which does not fail on invalid YAML: it
    # returns {"Error": "..."} and the manifest goes out without its data. These are those.
    silent_errors: tuple[str, ...] = ()
    manifests: tuple[str, ...] = ()  # "Kind/name" of every rendered document, probe excluded
    seconds: float = 0.0


def find_helm() -> str:
    """``$CONFIGGEN_HELM`` or ``helm`` on PATH; ``HelmMissing`` (skip or fail) otherwise."""
    helm = os.environ.get(HELM_ENV) or shutil.which("helm")
    if not helm or not Path(helm).is_file():
        raise HelmMissing(f"helm not found on PATH (or set {HELM_ENV}): see CONTRIBUTING.md")
    return helm


def helm_version(helm: str) -> str:
    """``helm version --short``, e.g. ``v3.17.3+ge4da497``."""
    proc = subprocess.run(
        [helm, "version", "--short"],
        capture_output=True,
        text=True,
        env=_helm_environment(Path(tempfile.gettempdir()) / "no-such-helm-home"),
        timeout=TIMEOUT_SECONDS,
        check=False,
    )
    if proc.returncode != 0:
        raise OracleError(f"{helm} version failed: {proc.stderr.strip()}")
    return proc.stdout.strip()


def as_text(values: Values) -> str:
    """A values document as YAML text (data is dumped in its own key order)."""
    return values if isinstance(values, str) else yaml.safe_dump(dict(values), sort_keys=False)


class Renderer:
    """Renders values documents through one prepared chart directory."""

    def __init__(
        self,
        helm: str,
        chart_dir: Path,
        release: str,
        base_values: Path,
        workdir: Path,
        *,
        jobs: int | None = None,
    ) -> None:
        self.helm = helm
        self.chart_dir = chart_dir
        self.release = release
        self.base_values = base_values
        self.workdir = workdir
        self.jobs = jobs or os.cpu_count() or 1
        self._env = _helm_environment(workdir / "helm-home")

    def render_many(self, texts: Sequence[str]) -> list[Rendered]:
        """Render every values text, in parallel; the results in the same order."""
        with ThreadPoolExecutor(max_workers=self.jobs) as pool:
            return list(pool.map(self.render, texts))

    def render(self, text: str) -> Rendered:
        """Render one values text."""
        start = time.perf_counter()
        proc = self._template(text)
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            return Rendered(ok=False, error=_helm_error(proc.stderr), seconds=seconds)
        return extract(proc.stdout, seconds)

    def manifests(self, text: str) -> str:
        """Every manifest Helm prints for one values text (``RuntimeError`` if it fails)."""
        proc = self._template(text)
        if proc.returncode != 0:
            raise RuntimeError(_helm_error(proc.stderr))
        return proc.stdout

    def _template(self, text: str) -> subprocess.CompletedProcess[str]:
        fd, name = tempfile.mkstemp(prefix="values-", suffix=".yaml", dir=self.workdir)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        command = [
            self.helm, "template", self.release, str(self.chart_dir), "--namespace", NAMESPACE,
            "-f", str(self.base_values), "-f", name,
        ]  # fmt: skip
        try:
            return subprocess.run(
                command,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="surrogateescape",
                env=self._env,
                timeout=TIMEOUT_SECONDS,
                check=False,
            )
        finally:
            Path(name).unlink()


def _helm_environment(home: Path) -> dict[str, str]:
    """Helm reads its config, cache and plugins from HOME: give it an empty private one."""
    env = {"PATH": os.environ.get("PATH", ""), "HOME": str(home)}
    for name in ("HELM_CACHE_HOME", "HELM_CONFIG_HOME", "HELM_DATA_HOME"):
        env[name] = str(home / name.lower())
    return env


def _helm_error(stderr: str) -> str:
    """Helm's own error line(s), without coalesce warnings and the --debug hint."""
    return "\n".join(
        line
        for line in stderr.splitlines()
        if line.strip() and not line.startswith("coalesce.go") and "Use --debug flag" not in line
    )


_LOCATION = re.compile(r"template: [^:]*?([^/:]+:\d+):\d+: executing")


def error_gist(error: str) -> str:
    """The innermost cause of a Helm template error, with the template file and line where it
    happened (``_helper-server-and-api-configmap.tpl:237: error calling compact: ...``): Helm's
    first line nests every ``include`` it went through, which buries the cause."""
    first = error.splitlines()[0] if error else ""
    if "execution error at (" in first:  # required / fail: the chart's own message
        where, _, message = first.partition("execution error at (")[2].partition("): ")
        return f"{where.rsplit('/', 1)[-1]}: {message}"
    locations = _LOCATION.findall(first)
    cause = first.rsplit(">: ", 1)[-1]
    return f"{locations[-1]}: {cause}" if locations else cause


def extract(manifest: str, seconds: float = 0.0) -> Rendered:
    """Pick the server config, the auth Secret and the probe out of a rendered stream."""
    configs: dict[str, tuple[str, str]] = {}
    auth: dict[str, str] | None = None
    seen: Any = None
    silent: list[str] = []
    names: list[str] = []
    for doc in yaml.load_all(manifest, Loader=_LOADER):
        if not isinstance(doc, dict):
            continue
        kind, name = doc.get("kind"), str((doc.get("metadata") or {}).get("name", ""))
        if kind == "ConfigMap" and name == VALUES_PROBE_NAME:
            seen = json.loads(base64.b64decode(doc["data"]["authentication"]))
            continue
        names.append(f"{kind}/{name}")
        if "Error" in doc:
            silent.append(f"{kind}/{name}: {doc['Error']}")
        if kind not in ("ConfigMap", "Secret"):
            continue
        data = _decoded_data(doc)
        if CONFIG_KEY in data:
            configs[name] = (data[CONFIG_KEY], f"{kind}/{name}")
        if kind == "Secret" and name.endswith("-auth"):
            auth = data
    # The API pod's config: <fullname>-api when the server is split (the default in every chart
    # here), <fullname>-server otherwise. The other services' configs carry no authentication.
    chosen = next((configs[n] for n in configs if n.endswith("-api")), None) or next(
        (configs[n] for n in configs if n.endswith("-server")), None
    )
    return Rendered(
        ok=True,
        config=chosen[0] if chosen else None,
        config_source=chosen[1] if chosen else "",
        auth_secret=auth,
        auth_values=seen,
        silent_errors=tuple(silent),
        manifests=tuple(names),
        seconds=seconds,
    )


def _decoded_data(doc: dict[str, Any]) -> dict[str, str]:
    """A ConfigMap's or Secret's data as text: a Secret's base64 ``data`` decoded,
    ``stringData`` (where 5.1 and 1.x put the server config) taken as is."""
    out: dict[str, str] = {}
    for key, value in (doc.get("data") or {}).items():
        if doc.get("kind") == "Secret" and isinstance(value, str):
            out[str(key)] = base64.b64decode(value).decode("utf-8", errors="surrogateescape")
        else:
            out[str(key)] = "" if value is None else str(value)
    for key, value in (doc.get("stringData") or {}).items():
        out[str(key)] = "" if value is None else str(value)
    return out
