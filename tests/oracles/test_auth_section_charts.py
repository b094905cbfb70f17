"""The authentication-section rules against the real charts (issue #10).

- No new false errors: every chart's own default ``values.yaml`` and its own test values
  (``linter_values.yaml``, when it renders) lint without errors under the matching product.
- The corpus of the issue's families (``tests/data/lint/helm/*/auth-*.yaml``): a file whose
  expected findings include an error is broken for its chart (the render fails, a setting is
  dropped or the server refuses the value); a file without expected errors renders clean.
"""

from __future__ import annotations

import tarfile
from pathlib import Path

import pytest

from configgen.findings import Severity
from configgen.lint import run as lint
from configgen.product import profiles
from testing import paths
from testing.helm_chart import charts

pytestmark = pytest.mark.oracle

CORPUS = sorted((paths.DATA / "lint" / "helm").glob("*/auth-*.yaml"))


def product(chart_id: str) -> profiles.Profile:
    return profiles.parse(f"{charts.CHARTS[chart_id].line}-{chart_id}")


def chart_file(chart_id: str, name: str) -> str | None:
    """A file at the top of the chart package (``values.yaml``...), ``None`` if absent."""
    chart = charts.CHARTS[chart_id]
    with tarfile.open(charts.locate(chart_id)) as archive:
        try:
            member = archive.extractfile(f"{chart.line}/{name}")
        except KeyError:
            return None
        return member.read().decode("utf-8") if member else None


def errors(text: str, profile: profiles.Profile) -> list[str]:
    found = lint.lint_text("values.yaml", text, "helm", lint.LintOptions(profile=profile))
    return [
        f"{f.line}:{f.column} {f.rule}: {f.message}" for f in found if f.severity is Severity.ERROR
    ]


@pytest.mark.parametrize("chart_id", charts.CHART_IDS)
def test_chart_defaults_and_test_values_lint_without_errors(helm_charts, chart_id: str) -> None:
    defaults = chart_file(chart_id, "values.yaml")
    assert defaults is not None
    assert errors(defaults, product(chart_id)) == []
    tested = chart_file(chart_id, "linter_values.yaml")
    assert tested is not None
    if helm_charts[chart_id].check(tested).rendered.ok:
        assert errors(tested, product(chart_id)) == []


def corpus_chart(text: str) -> str:
    """The chart id matching the file's ``# product:`` (default: the newest 2.x)."""
    for line in text.splitlines():
        if "# product:" in line:
            wanted = profiles.parse(line.split("product:")[1].strip())
            for chart_id in charts.CHART_IDS:
                if product(chart_id) == wanted:
                    return chart_id
            pytest.skip(f"no chart package for {wanted}")
    return "2.10.3"


@pytest.mark.parametrize("path", CORPUS, ids=[f"{p.parent.name}/{p.name}" for p in CORPUS])
def test_corpus_verdicts_match_the_real_chart(helm_charts, path: Path) -> None:
    text = path.read_text("utf-8")
    chart_id = corpus_chart(text)
    outcome = helm_charts[chart_id].check(text)
    if errors(text, product(chart_id)):
        assert outcome.broken, (
            f"lint calls it broken, {chart_id} does not:\n{outcome.verdict.explain()}"
        )
    else:
        assert not outcome.broken, f"{chart_id}: {outcome.verdict.explain()}"
