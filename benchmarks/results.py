"""The raw results of a run as JSON (``.bench/results.json``): every sample, every verdict."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

from benchmarks.commands import Command
from benchmarks.groups import Suite
from benchmarks.profiling import Profile
from benchmarks.runinfo import RunInfo
from benchmarks.targets import Verdict


def _command(c: Command) -> dict[str, object]:
    return {
        "tool": c.tool,
        "label": c.label,
        "shown": c.shown,
        "times": c.times,
        "cpu": c.cpu,
        "rss_kib": c.rss_kib,
        "rounds": c.rounds,
        "check": dataclasses.asdict(c.check) if c.check else None,
        "hyperfine": c.hyperfine,
    }


def raw_results(
    suite: Suite, info: RunInfo, verdicts: list[Verdict], profiles: list[tuple[Verdict, Profile]]
) -> dict[str, object]:
    return {
        "meta": dataclasses.asdict(info),
        "groups": [
            {
                "key": g.key,
                "rounds": g.rounds,
                "warmup": g.warmup,
                "load": g.load,
                "commands": [_command(c) for c in g.commands],
            }
            for g in suite.groups
        ],
        "verdicts": [
            {
                "target": v.target,
                "measured": v.measured,
                "limit": v.limit,
                "passed": v.passed,
                "borderline": v.borderline,
                "detail": v.detail,
            }
            for v in verdicts
        ],
        "profiles": [{"target": v.target, **dataclasses.asdict(p)} for v, p in profiles],
    }


def write_results(path: Path, results: dict[str, object]) -> None:
    path.write_text(json.dumps(results, indent=1, default=str))
