"""``configgen lint`` reports an error exactly when the real chart and server say the values are
broken: a seeded share of the differential test (``testing/differential.py``), per chart.

Each generated ``stackstate.authentication`` section (``testing/auth_variants.py``: complete
providers, then a required key removed, a wrong type, two providers, a misspelled key, file
logins, roles, session lifetime, the bootstrap token, ``fromExternalSecret``) is rendered by real
Helm through the trimmed chart and read by Lightbend (one JVM per chart), and linted with the
chart's ``--product``. The full run (1,000+ per chart) is ``scripts/lint_differential.py``;
``CONFIGGEN_DIFF_COUNT`` sets the share here too.
"""

from __future__ import annotations

import os

import pytest

from testing import auth_variants, differential
from testing.helm_chart import CHART_IDS, ChartOracles

pytestmark = pytest.mark.oracle

COUNT = int(os.environ.get("CONFIGGEN_DIFF_COUNT") or 100)  # per chart; ~10 s each on 2 cores
GENERATED = auth_variants.variants(COUNT, differential.SEED)


def test_every_kind_of_break_has_its_share() -> None:
    mix = auth_variants.mix(GENERATED)
    assert set(mix) == set(auth_variants.KINDS)
    assert min(mix.values()) >= COUNT // len(auth_variants.KINDS)


@pytest.mark.parametrize("chart", CHART_IDS)
def test_lint_errs_exactly_when_the_chart_says_broken(
    helm_charts: ChartOracles, chart: str
) -> None:
    run = differential.judge(helm_charts[chart], GENERATED)
    print("\n" + run.figures())
    broken = sum(c.broken for c in run.cases)
    assert 0 < broken < len(run.cases)  # the share holds both: the test can fail either way
    shown = [
        f"{c.direction} [{c.variant.kind}: {c.variant.detail}]\n{c.variant.text}"
        f"chart: {c.product_why}\nlint: {c.lint_why or 'no error'}"
        for c in run.disagreements[:5]
    ]
    assert not run.disagreements, f"{run.figures()}\n\n" + "\n\n".join(shown)
