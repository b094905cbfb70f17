"""The chart oracle: values in, verdicts out, through real Helm and real Lightbend config.

``ChartOracle.evaluate`` renders every values document (parallel ``helm template`` processes),
reads all the rendered configs in one JVM, then judges each (``verdict.py``). Batch: a JVM start
costs about as much as two trimmed renders.

``ChartOracles`` is the session's set: one trimmed ``ChartOracle`` per chart id, sharing one
compiled reader, and the full (untrimmed) chart on demand.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from testing.helm_chart import charts, mapping, verdict
from testing.helm_chart.reader import VALUE, Answer, ConfigRead, Query, ReadRequest
from testing.helm_chart.reader import ServerConfigReader as Reader
from testing.helm_chart.render import Rendered, Renderer, Values, as_text, find_helm

# What a substitution resolves to when an external Secret is assumed to hold every key.
EXTERNAL_PLACEHOLDER = "<from external Secret: {}>"


@dataclass(frozen=True)
class Outcome:
    """One values document through one chart: the render, Lightbend's reading, the verdict."""

    chart: str
    values: str
    rendered: Rendered
    read: ConfigRead | None  # None when there was no config to read
    verdict: verdict.Verdict

    @property
    def broken(self) -> bool:
        return self.verdict.broken

    def answer(self, path: str, kind: str = VALUE) -> Answer:
        """Lightbend's answer for a path asked in ``evaluate(..., queries=...)`` (or one the
        verdict itself asks); ``KeyError`` when the config was not read or not asked."""
        if self.read is None or not self.read.ok:
            raise KeyError(f"{self.chart}: no resolved config ({self.verdict.explain()})")
        return self.read.answers[(kind, path)]

    def value(self, path: str, kind: str = VALUE) -> Any:
        """The resolved value at ``path``; ``KeyError`` when absent or refused."""
        found = self.answer(path, kind)
        if not found.ok:
            raise KeyError(f"{self.chart}: {path} {'absent' if found.missing else found.error}")
        return found.value


class ChartOracle:
    """One prepared chart (trimmed or full) and the reader; judges values documents."""

    def __init__(self, chart: str, renderer: Renderer, reader: Reader, *, trimmed: bool) -> None:
        self.chart = chart
        self.renderer = renderer
        self.reader = reader
        self.trimmed = trimmed

    @classmethod
    def open(
        cls,
        chart: str,
        workdir: Path,
        *,
        trimmed: bool = True,
        reader: Reader | None = None,
        helm: str | None = None,
        jobs: int | None = None,
    ) -> ChartOracle:
        """Unpack (and trim) ``chart`` under ``workdir``; ``OracleMissing`` when helm, the
        package or java is missing."""
        helm = helm or find_helm()
        reader = reader or Reader.build(workdir / "reader")
        mode = "trimmed" if trimmed else "full"
        chart_dir = charts.prepare(chart, workdir / mode / chart, trimmed=trimmed)
        renderer = Renderer(
            helm, chart_dir, charts.CHARTS[chart].release, charts.BASE_VALUES, chart_dir.parent,
            jobs=jobs,
        )  # fmt: skip
        return cls(chart, renderer, reader, trimmed=trimmed)

    def check(
        self,
        values: Values,
        *,
        external_secret: Mapping[str, str] | None = None,
        queries: Sequence[Query] = (),
    ) -> Outcome:
        """``evaluate`` for one document."""
        return self.evaluate([values], external_secrets=[external_secret], queries=queries)[0]

    def evaluate(
        self,
        values: Sequence[Values],
        *,
        external_secrets: Sequence[Mapping[str, str] | None] | None = None,
        queries: Sequence[Query] = (),
    ) -> list[Outcome]:
        """Judge every values document (YAML text, or data dumped as YAML).

        ``external_secrets[i]`` is the data of the Secret that document i names with
        ``fromExternalSecret`` (2.x charts): its keys resolve the config's ``${...}``, so a
        missing key is a ``resolve`` finding. ``None`` assumes that Secret holds every key the
        config names (``Verdict.external_keys`` then lists them). Without ``fromExternalSecret``
        (or on a chart that does not read it) the rendered auth Secret is used.

        ``queries``: extra ``(kind, HOCON path)`` pairs to read from every resolved config, for
        ``Outcome.value`` (e.g. ``(VALUE, mapping.BOOTSTRAP)``).
        """
        texts = [as_text(v) for v in values]
        externals = list(external_secrets) if external_secrets is not None else [None] * len(texts)
        if len(externals) != len(texts):
            raise ValueError("one external Secret (or None) per values document")
        rendered = self.renderer.render_many(texts)
        requests: list[ReadRequest] = []
        readable: list[int] = []
        for i, (text, r) in enumerate(zip(texts, rendered, strict=True)):
            if not r.ok or r.config is None:
                continue
            asked = sorted({*verdict.queries(self.chart, text), *queries})
            requests.append(
                ReadRequest(
                    r.config,
                    self._substitutions(r, externals[i]),
                    mapping.server_defaults(self.chart),
                    asked,
                )
            )
            readable.append(i)
        reads: list[ConfigRead | None] = [None] * len(texts)
        for i, read in zip(readable, self.reader.read_many(requests), strict=True):
            reads[i] = read
        return [
            Outcome(
                self.chart,
                text,
                r,
                read,
                verdict.judge(self.chart, text, r, read, external=self._external(r)),
            )
            for text, r, read in zip(texts, rendered, reads, strict=True)
        ]

    def _external(self, r: Rendered) -> bool:
        """Whether the pods read an external Secret instead of the rendered auth Secret."""
        seen = r.auth_values if isinstance(r.auth_values, dict) else {}
        return mapping.reads_external_secret(self.chart) and bool(seen.get("fromExternalSecret"))

    def _substitutions(self, r: Rendered, external: Mapping[str, str] | None) -> dict[str, str]:
        """What ``${name}`` resolves to in the pod: the keys of the Secret it loads (envFrom)."""
        if not self._external(r):
            return dict(r.auth_secret or {})
        if external is not None:
            return dict(external)
        names = verdict.SUBSTITUTION.findall(r.config or "")
        return {n: EXTERNAL_PLACEHOLDER.format(n) for n in names if mapping.SECRET_KEY.match(n)}


class ChartOracles(Mapping[str, ChartOracle]):
    """The trimmed oracle of every chart id, built up front (so a missing piece shows at once),
    and full charts built when first asked for (``full``)."""

    def __init__(self, workdir: Path, *, ids: Sequence[str] = charts.CHART_IDS) -> None:
        self.workdir = workdir
        self.helm = find_helm()
        self.reader = Reader.build(workdir / "reader")
        self._trimmed = {chart: self._open(chart, trimmed=True) for chart in ids}
        self._full: dict[str, ChartOracle] = {}

    def _open(self, chart: str, *, trimmed: bool) -> ChartOracle:
        return ChartOracle.open(
            chart, self.workdir, trimmed=trimmed, reader=self.reader, helm=self.helm
        )

    def full(self, chart: str) -> ChartOracle:
        """The untrimmed chart: every template rendered (slower; for agreement checks)."""
        if chart not in self._full:
            self._full[chart] = self._open(chart, trimmed=False)
        return self._full[chart]

    def __getitem__(self, chart: str) -> ChartOracle:
        return self._trimmed[chart]

    def __iter__(self) -> Iterator[str]:
        return iter(self._trimmed)

    def __len__(self) -> int:
        return len(self._trimmed)
