"""The differential test of ``configgen lint`` against the real charts.

For each chart, every generated variant (``testing.auth_variants``) is judged twice:

- by the product: real Helm renders it through the chart, Lightbend reads the server config
  (``testing.helm_chart``); *broken* = the render fails, the server would refuse the config, or
  a setting is dropped or changed on the way;
- by ``configgen lint --product <the chart's profile>``: *has an error* = at least one finding
  of severity error.

The property: the two answers are the same. Used by ``tests/oracles/test_lint_differential.py``
(a seeded share, in CI) and ``scripts/lint_differential.py`` (1,000+ variants per chart).
"""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from configgen.findings import Severity
from configgen.lint import run as lint
from configgen.product import profiles
from testing.auth_variants import Variant
from testing.helm_chart import CHARTS, ChartOracle, Outcome
from testing.helm_chart.verdict import BROKEN_KINDS

SEED = 20261202


@dataclass(frozen=True)
class Case:
    """One variant through one chart: both verdicts and why."""

    chart: str
    variant: Variant
    broken: bool  # the product's verdict
    product_why: str  # the oracle's findings, one line each
    lint_error: bool
    lint_why: str  # lint's error findings, "rule: message" one per line

    @property
    def agrees(self) -> bool:
        return self.broken == self.lint_error

    @property
    def direction(self) -> str:
        """``missed`` (broken, lint silent) or ``false-error`` (works, lint errs)."""
        return "missed" if self.broken else "false-error"


@dataclass
class ChartRun:
    """All cases of one chart, with the time it took."""

    chart: str
    cases: list[Case] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def disagreements(self) -> list[Case]:
        return [c for c in self.cases if not c.agrees]

    def figures(self) -> str:
        n, bad = len(self.cases), len(self.disagreements)
        broken = sum(c.broken for c in self.cases)
        share = 100 * (n - bad) / n if n else 100.0
        return (
            f"{self.chart}: {n - bad}/{n} agree ({share:.1f} %), {bad} disagree; "
            f"{broken} broken per the chart; {self.seconds:.0f} s"
        )


def lint_verdict(chart: str, text: str) -> tuple[bool, str]:
    """Whether lint, with the chart's product profile, reports an error for the values text."""
    options = lint.LintOptions(profile=profiles.parse(CHARTS[chart].product))
    findings = lint.lint_text("values.yaml", text, "helm", options)
    errors = [f for f in findings if f.severity >= Severity.ERROR]
    return bool(errors), "\n".join(f"{f.line}:{f.column} {f.rule}: {f.message}" for f in errors)


def judge(oracle: ChartOracle, generated: Sequence[Variant], *, batch: int = 400) -> ChartRun:
    """Every variant through one chart oracle (batches of ``batch``: one JVM each) and lint."""
    start = time.perf_counter()
    run = ChartRun(oracle.chart)
    for i in range(0, len(generated), batch):
        part = generated[i : i + batch]
        outcomes = oracle.evaluate([v.text for v in part])
        for v, outcome in zip(part, outcomes, strict=True):
            run.cases.append(_case(oracle.chart, v, outcome))
    run.seconds = time.perf_counter() - start
    return run


def _case(chart: str, v: Variant, outcome: Outcome) -> Case:
    errs, why = lint_verdict(chart, v.text)
    return Case(chart, v, outcome.broken, outcome.verdict.explain(), errs, why)


def families(cases: Sequence[Case]) -> dict[tuple[str, str], list[Case]]:
    """Disagreements grouped by (direction, family). A miss is named by the chart's first
    reason (``render: <the chart's message>``, ``dropped oidc.scopes``), a false error by
    lint's rules and the variant's kind."""
    grouped: dict[tuple[str, str], list[Case]] = {}
    for c in cases:
        if not c.agrees:
            grouped.setdefault((c.direction, _family(c)), []).append(c)
    return grouped


_LOCATION = re.compile(r"^[^ :]+:\d+(:\d+)?: ")
_LOGIN = re.compile(r"\[[^\]]*\]")
_NAMES = re.compile(r"(user names?:?|user) \S+")


def _family(c: Case) -> str:
    if c.broken:
        lines = c.product_why.splitlines()
        first = next((x for x in lines if x.split(" ")[0] in BROKEN_KINDS), lines[0])
        kind, _, rest = first.partition(" ")
        key, _, message = rest.partition(": ")
        if kind == "render":
            return "render: " + _NAMES.sub(r"\1 <name>", _LOCATION.sub("", message)).rstrip(".")
        return f"{kind} {_LOGIN.sub('[]', key)}"
    rules = sorted({line.split(" ")[1].rstrip(":") for line in c.lint_why.splitlines()})
    return f"lint {', '.join(rules)} on {c.variant.kind}"


def report(runs: Sequence[ChartRun], mix: Counter[str]) -> str:
    """The disagreements as Markdown: one section per family, its charts, a minimal example."""
    lines = ["# Differential test: lint vs the real charts", ""]
    lines += [f"- {r.figures()}" for r in runs]
    lines += ["", "Kinds mix (per chart): " + ", ".join(f"{k} {n}" for k, n in mix.items()), ""]
    all_cases = [c for r in runs for c in r.cases]
    grouped = families(all_cases)
    if not grouped:
        lines.append("No disagreements.")
    for (direction, family), cases in sorted(grouped.items()):
        charts = Counter(c.chart for c in cases)
        details = Counter(c.variant.detail for c in cases)
        example = min(cases, key=lambda c: len(c.variant.text))
        lines += [
            f"## {direction}: {family}",
            "",
            "Charts: " + ", ".join(f"{k} x{n}" for k, n in charts.items()),
            "",
            "Variants: " + "; ".join(f"{d} x{n}" for d, n in details.most_common(6)),
            "",
            f"Example ({example.chart}, {example.variant.kind}: {example.variant.detail}):",
            "",
            "```yaml",
            example.variant.text.rstrip(),
            "```",
            "",
            "Chart: " + (example.product_why.replace("\n", "; ") or "ok"),
            "",
            "Lint: " + (example.lint_why.replace("\n", "; ") or "no error"),
            "",
        ]
    return "\n".join(lines)
