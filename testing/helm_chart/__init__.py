"""The Helm chart oracle: does a values file work with the real server chart, and if not, why?

A values document is rendered with the real ``helm template`` through a real StackState / SUSE
Observability chart, the server configuration it produces is read with the real Lightbend config
library (the ``${...}`` substitutions resolved from the auth Secret's keys, as the pod's
environment would), and the result is judged: broken when the render fails, the config cannot be
read, a substitution has no value, a value has the wrong type for the server, or a setting was
dropped or changed on the way.

Modules, in pipeline order:

- ``charts``: the five chart packages (``../shared/oracles/charts``), unpacked and trimmed at
  run time; nothing of them is stored in this repository;
- ``render``: ``helm template``, in parallel; picks the server config and the auth Secret;
- ``reader`` (+ ``oracle/ServerConfigReader.java``): Lightbend, one JVM per batch;
- ``values``: what the values file asks for, as written; how Helm prints a scalar;
- ``mapping``: values key -> HOCON path and type, per chart;
- ``verdict``: the judgement and its findings;
- ``oracle``: the façade, ``ChartOracle`` and the session's ``ChartOracles``.

Usage (``helm_charts`` is the session fixture in ``tests/conftest.py``)::

    outcome = helm_charts["2.10.3"].check(values_text, queries=[(VALUE, BOOTSTRAP)])
    assert not outcome.broken, outcome.verdict.explain()
    assert outcome.value(BOOTSTRAP)["ttl"] == "24h"
"""

from testing.helm_chart.charts import CHART_IDS, CHARTS, ChartsMissing
from testing.helm_chart.mapping import BOOTSTRAP
from testing.helm_chart.oracle import ChartOracle, ChartOracles, Outcome
from testing.helm_chart.reader import VALUE
from testing.helm_chart.render import HelmMissing
from testing.helm_chart.verdict import Finding, Verdict

__all__ = [
    "BOOTSTRAP",
    "CHARTS",
    "CHART_IDS",
    "VALUE",
    "ChartOracle",
    "ChartOracles",
    "ChartsMissing",
    "Finding",
    "HelmMissing",
    "Outcome",
    "Verdict",
]
