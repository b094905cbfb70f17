"""Synthetic commands, samples and suites for the benchmark tests: nothing is spawned."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from benchmarks import inputs
from benchmarks.commands import CG, CJ, YL, Command, Group, Sample
from benchmarks.groups import Suite, build_suite

TOOLS = {
    CG: "/venv/bin/configgen",
    CJ: "/peers/bin/check-jsonschema",
    YL: "/peers/bin/yamllint",
}


def command(
    tool: str,
    label: str,
    times: Sequence[float],
    *,
    rss_mib: float = 20.0,
    size: int | None = None,
    rounds: Sequence[int] | None = None,
) -> Command:
    """A command with one counted sample per time (rounds 0, 1, ... unless given)."""
    cmd = Command(tool, label, [TOOLS.get(tool, tool), label], f"${tool} {label}", size=size)
    for r, t in zip(rounds or range(len(times)), times, strict=True):
        cmd.record(r, Sample(t, t * 0.95, int(rss_mib * 1024), 0))
    return cmd


def group(key: str, commands: list[Command], *, rounds: int = 3, warmup: int = 1) -> Group:
    g = Group(key, f"The {key} group", commands, rounds, warmup)
    g.load = [(0.5, 0.4, 0.3), (0.75, 0.5, 0.35)]
    g.seconds = 12.3
    return g


def tree(many: int = 3) -> inputs.Tree:
    """A tree's file names (nothing is written)."""
    return inputs.Tree(
        values="values.yaml",
        hocon="application_stackstate.conf",
        spec="token-spec.yaml",
        many_values=[f"values/values-{i:03d}.yaml" for i in range(1, many + 1)],
        many_hocon=[f"hocon/application-{i:03d}.conf" for i in range(1, many + 1)],
        growth={
            s: (f"growth/values-{s}.yaml", f"growth/application-{s}.conf")
            for s in inputs.GROWTH_LINES
        },
        aliases="aliases.yaml",
        merge_bomb="merge-bomb.yaml",
    )


Timing = Callable[[Command], Sequence[float]]


def filled_suite(
    timing: Timing, *, many: int = 3, rss: Callable[[Command], float] | None = None
) -> Suite:
    """The suite a run would build, every command given samples by ``timing``."""
    suite = build_suite(tree(many), TOOLS, "quick")
    for g in suite.groups:
        for c in g.commands:
            for r, t in enumerate(timing(c)):
                c.record(r, Sample(t, t, int((rss(c) if rss else 20.0) * 1024), 0))
    return suite
