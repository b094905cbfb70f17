"""The markdown report: targets, machine, method, results, profiles, validation, commands."""

from __future__ import annotations

import os
from pathlib import Path

from benchmarks.commands import CG, CJ_C, Group
from benchmarks.groups import Suite
from benchmarks.inputs import APPLY_TOKEN_ENV
from benchmarks.method import method_section
from benchmarks.profiling import Profile
from benchmarks.runinfo import RunInfo
from benchmarks.tables import (
    fmt_s,
    growth_table,
    machine_table,
    profile_tables,
    results_table,
    timed_list,
    validation_table,
    verdict_table,
    versions_table,
)
from benchmarks.targets import Verdict

Profiled = list[tuple[Verdict, Profile]]


def write_report(
    path: Path, suite: Suite, info: RunInfo, verdicts: list[Verdict], profiles: Profiled
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(render_report(suite, info, verdicts, profiles)))


def render_report(
    suite: Suite, info: RunInfo, verdicts: list[Verdict], profiles: Profiled
) -> list[str]:
    """The report's lines, in order."""
    return [
        *header(suite, info),
        *targets_section(verdicts),
        *busy_note(suite.groups, os.cpu_count() or 1),
        *clib_note(suite),
        "## Machine and versions",
        "",
        *machine_table(info),
        "",
        *versions_table(info.versions),
        "",
        *method_section(suite, info),
        "## Results",
        "",
        *results_sections(suite),
        "## Where configgen's time goes (missed targets)",
        "",
        *profile_section(profiles),
        "",
        "## Validation run (exit code and last line of output per command)",
        "",
        *validation_table(suite.groups),
        "",
        *commands_section(suite.groups),
    ]


def header(suite: Suite, info: RunInfo) -> list[str]:
    quick = " (QUICK run: few rounds, not for the record)" if suite.mode == "quick" else ""
    return [
        "# Benchmarks",
        "",
        f"Written by `{info.invocation}` on {info.date}{quick}; do not edit by hand. How to run "
        "it and what it measures: [benchmarks/README.md](../benchmarks/README.md).",
        "",
    ]


def targets_section(verdicts: list[Verdict]) -> list[str]:
    passed = sum(v.passed for v in verdicts)
    return [
        f"## Targets: {passed} of {len(verdicts)} pass",
        "",
        "Ratios are configgen's median wall time over the peer's, both measured in this run, in",
        "alternating rounds. Per-round ratios (the two commands ran next to each other) show the",
        "spread; *borderline* means the limit lies between their quartiles, so another run on a",
        "machine this noisy may well flip the result. Absolute targets compare the median wall",
        "time (borderline: the limit lies between the quartiles of the runs) or the largest peak",
        "memory of the runs (MB = 10^6 bytes) with the limit.",
        "",
        *verdict_table(verdicts),
        "",
    ]


def busy_note(groups: list[Group], cpus: int) -> list[str]:
    """A warning when other work ran on the machine during the timing."""
    peak = max((load[0] for g in groups for load in g.load), default=0.0)
    if peak <= 1 + 0.25 * cpus:  # the command being timed accounts for about 1
        return []
    return [
        f"> **The machine was busy**: 1-minute load average up to {peak:.2f} on {cpus} CPUs "
        "while timing (the harness runs one command at a time, about 1 of that). "
        "Absolute times are inflated and noisier; alternation keeps the ratios comparable. "
        "Repeat on a quiet machine before drawing fine conclusions.",
        "",
    ]


def clib_note(suite: Suite) -> list[str]:
    """What the ratios would be against check-jsonschema with ruamel's C extension."""
    rows = []
    for group, label in (("single", "lint 1 values"), ("many", f"lint {suite.many} values")):
        cg, cj_c = suite.find(group, CG, label), suite.find(group, CJ_C, label)
        if cg and cj_c and cg.times and cj_c.times:
            rows.append(
                f"{label}: {fmt_s(cj_c.median)}, configgen/that {cg.median / cj_c.median:.2f}"
            )
    if not rows:
        return []
    return [
        "Context, not a target: `pip install check-jsonschema` gets pure-Python YAML parsing "
        "(since ruamel.yaml 0.19 its C extension is an opt-in extra). With `ruamel.yaml.clib` "
        f"added (`.bench/peers-clib-venv`), check-jsonschema took {'; '.join(rows)}.",
        "",
    ]


def group_summary(group: Group) -> str:
    """``20 rounds + 2 warm-up, 61 s; load 1.48 → 1.62.``"""
    return (
        f"{group.rounds} rounds + {group.warmup} warm-up, {group.seconds:.0f} s; load "
        f"{group.load[0][0]:.2f} → {group.load[-1][0]:.2f}."
    )


def results_sections(suite: Suite) -> list[str]:
    """One table per group, in the order they ran; the growth group's by size."""
    lines: list[str] = []
    for group in suite.groups:
        if group.key == "growth":
            lines += [
                "### Growth with file size (one file per invocation)",
                "",
                f"{group_summary(group)} Median (min–max); the cost per 1,000 lines is the "
                "median of per-round differences between neighbouring sizes.",
                "",
                *growth_table(suite),
                "",
            ]
        else:
            lines += [f"### {group.title}", "", group_summary(group), "", *results_table(group), ""]
    return lines


def profile_section(profiles: Profiled) -> list[str]:
    if not profiles:
        return ["Every target passed: nothing to profile."]
    out = [
        "For each missed target, configgen's command was run once more under",
        "`python -X importtime -m configgen ...` and `python -m cProfile -m configgen ...` (same",
        "inputs, same working directory, the non-editable install). Profiling inflates times; read",
        "the shares, not the absolute numbers.",
        "",
    ]
    for v, p in profiles:
        out += [f"### {v.target}", "", f"`{p.command}`" + (f" ({p.note})" if p.note else ""), ""]
        total = f"; cProfile total {p.cprofile_total_s:.3f} s" if p.cprofile_total_s else ""
        out += [
            f"- import time (`-X importtime`, sum of self times): **{p.import_total_s:.3f} s**"
            + total,
            f"- top-level imports (cumulative): {timed_list(p.import_top[:8])}",
            f"- import time by package (self): {timed_list(p.import_by_package[:8])}",
        ]
        if p.tottime_by_package:
            out.append(f"- cProfile own time by package: {timed_list(p.tottime_by_package)}")
        out += [*profile_tables(p), ""]
    return out


def commands_section(groups: list[Group]) -> list[str]:
    """Every command once, as a reader would type it, with the variables they use."""
    shown = dict.fromkeys(c.shown for g in groups for c in g.commands)
    return [
        "## Commands",
        "",
        "From the repository root, the same inputs and tools by hand:",
        "",
        "```sh",
        "REPO=$PWD",
        "CONFIGGEN=$REPO/.bench/configgen-venv/bin/configgen",
        "CONFIGGEN_EDITABLE=$REPO/.venv/bin/configgen",
        "CHECK_JSONSCHEMA=$REPO/.bench/peers-venv/bin/check-jsonschema",
        "CHECK_JSONSCHEMA_C=$REPO/.bench/peers-clib-venv/bin/check-jsonschema",
        "YAMLLINT=$REPO/.bench/peers-venv/bin/yamllint",
        "SCHEMA=$REPO/benchmarks/schemas/authentication-section.schema.json",
        f"export {APPLY_TOKEN_ENV}=$(python -c 'from benchmarks.inputs import APPLY_TOKEN; "
        "print(APPLY_TOKEN)')",
        "python -m benchmarks.inputs /tmp/configgen-bench && cd /tmp/configgen-bench",
        "```",
        "",
        "```sh",
        *shown,
        "```",
        "",
        "A hyperfine run of one group by hand (block mode, no alternation), e.g.:",
        "",
        "```sh",
        'hyperfine -N -i --warmup 2 "$CONFIGGEN lint values.yaml" '
        '"$CHECK_JSONSCHEMA --schemafile $SCHEMA values.yaml" "$YAMLLINT values.yaml"',
        "```",
        "",
    ]
