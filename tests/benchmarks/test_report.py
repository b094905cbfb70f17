"""The report's tables and notes, exact strings, from synthetic results (nothing is timed)."""

from __future__ import annotations

import pytest

from benchmarks import report
from benchmarks.commands import CG, CJ, CJ_C, YL, Check, Command
from benchmarks.profiling import Profile
from benchmarks.runinfo import RunInfo
from benchmarks.tables import (
    fmt_s,
    growth_table,
    profile_row,
    results_table,
    timed_list,
    validation_table,
    verdict_table,
    versions_table,
)
from benchmarks.targets import Verdict, evaluate
from testing.bench_samples import command, filled_suite, group


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0.0004, "0 ms"), (0.2124, "212 ms"), (1.5, "1500 ms"), (9.9994, "9999 ms"), (10.7, "10.7 s")],
)
def test_fmt_s(seconds: float, text: str) -> None:
    assert fmt_s(seconds) == text


def test_verdict_table() -> None:
    verdicts = [
        Verdict("a ≤ 0.5 × b", "0.42", "≤ 0.5", True, "0.212 s / 0.508 s"),
        Verdict("c ≤ 1 × d", "1.07", "≤ 1", False, "x", borderline=True),
    ]
    assert verdict_table(verdicts) == [
        "| target | measured | limit | result | detail |",
        "| --- | ---: | ---: | :---: | --- |",
        "| a ≤ 0.5 × b | 0.42 | ≤ 0.5 | PASS | 0.212 s / 0.508 s |",
        "| c ≤ 1 × d | 1.07 | ≤ 1 | **MISS (borderline)** | x |",
    ]


def test_results_table_with_both_peers() -> None:
    g = group(
        "single",
        [
            command(CG, "lint 1 values", [0.2, 0.25, 0.21], rss_mib=18.9),
            command(CJ, "lint 1 values", [0.5, 0.52, 0.49], rss_mib=36.5),
            command(YL, "lint 1 values", [0.19, 0.2, 0.2], rss_mib=16.6),
        ],
    )
    assert results_table(g) == [
        "| tool | case | median | min–max | × check-jsonschema | × yamllint | peak RSS |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        "| configgen | lint 1 values | 210 ms | 200 ms–250 ms | 0.42 | 1.05 | 18.9 MiB |",
        "| check-jsonschema | lint 1 values | 500 ms | 490 ms–520 ms |  | 2.50 | 36.5 MiB |",
        "| yamllint | lint 1 values | 200 ms | 190 ms–200 ms | 0.40 |  | 16.6 MiB |",
    ]


def test_results_table_with_hyperfine_and_a_command_that_did_not_run() -> None:
    cg = command(CG, "--help", [0.08, 0.09, 0.07], rss_mib=15.75)
    cg.hyperfine = {"median": 0.0812, "min": 0.07, "max": 0.1}
    broken = command(CJ_C, "--help", [])
    broken.check = Check(1, False, "ModuleNotFoundError: ruamel", 12)
    g = group("help", [cg, command(CJ, "--help", [0.3, 0.32, 0.31], rss_mib=35.8), broken])
    assert results_table(g) == [
        "| tool | case | median | min–max | × check-jsonschema | peak RSS "
        "| hyperfine median (block mode) |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        "| configgen | --help | 80 ms | 70 ms–90 ms | 0.26 | 15.8 MiB | 81 ms |",
        "| check-jsonschema | --help | 310 ms | 300 ms–320 ms |  | 35.8 MiB | |",
        "| check-jsonschema (C ext) | --help | not run: ModuleNotFoundError: ruamel | | | | |",
    ]


def test_results_table_without_peers_has_no_ratio_columns() -> None:
    g = group("anchors", [command(CG, "lint aliases", [1.0, 1.2], rss_mib=60.0)])
    assert results_table(g) == [
        "| tool | case | median | min–max | peak RSS |",
        "| --- | --- | ---: | ---: | ---: |",
        "| configgen | lint aliases | 1100 ms | 1000 ms–1200 ms | 60.0 MiB |",
    ]


def linear(c: Command) -> list[float]:
    """0.2 s + 30 ms per 1,000 lines for configgen, twice that for the peers."""
    slope = 30e-6 if c.tool == CG else 60e-6
    return [0.2 + slope * (c.size or 0) + d for d in (0.0, 0.01, -0.01)]


def test_growth_table() -> None:
    suite = filled_suite(linear)
    assert growth_table(suite) == [
        "| tool | input | 100 lines | 1,000 lines | 10,000 lines "
        "| ms per 1,000 lines: 100→1k, 1k→10k | peak RSS at 10,000 |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
        "| configgen | values | 203 ms (193 ms–213 ms) | 230 ms (220 ms–240 ms) "
        "| 500 ms (490 ms–510 ms) | 30 ± 0, 30 | 20.0 MiB |",
        "| check-jsonschema | values | 206 ms (196 ms–216 ms) | 260 ms (250 ms–270 ms) "
        "| 800 ms (790 ms–810 ms) | 60 ± 0, 60 | 20.0 MiB |",
        "| yamllint | values | 206 ms (196 ms–216 ms) | 260 ms (250 ms–270 ms) "
        "| 800 ms (790 ms–810 ms) | 60 ± 0, 60 | 20.0 MiB |",
        "| configgen | HOCON | 203 ms (193 ms–213 ms) | 230 ms (220 ms–240 ms) "
        "| 500 ms (490 ms–510 ms) | 30 ± 0, 30 | 20.0 MiB |",
    ]


def test_validation_table_escapes_pipes() -> None:
    ok = command(CG, "lint 1 values", [0.1])
    ok.check = Check(0, True, "no problems in 1 file", 1)
    odd = command(YL, "lint 1 values", [0.1])
    odd.check = Check(1, False, "a | b", 3)
    skipped = command(CJ, "lint 1 values", [])
    assert validation_table([group("single", [ok, odd, skipped])]) == [
        "| group | tool | case | exit | output lines | last line |",
        "| --- | --- | --- | ---: | ---: | --- |",
        "| single | configgen | lint 1 values | 0 | 1 | no problems in 1 file |",
        "| single | yamllint | lint 1 values | 1 | 3 | a \\| b |",
        "| single | check-jsonschema | lint 1 values | – | – | not run |",
    ]


def test_versions_table_puts_python_first() -> None:
    versions = {
        "configgen": {"click": "8.1", "python": "3.11.7", "PyYAML": "6.0"},
        "peers": {"python": "3.11.7", "yamllint": "1.35"},
        "editable": {},
    }
    assert versions_table(versions) == [
        "| package | configgen venv | peers venv | editable .venv | peers (C ext) venv |",
        "| --- | --- | --- | --- | --- |",
        "| python | 3.11.7 | 3.11.7 | – | – |",
        "| click | 8.1 | – | – | – |",
        "| PyYAML | 6.0 | – | – | – |",
        "| yamllint | – | 1.35 | – | – |",
    ]


def test_profile_row_and_timed_list() -> None:
    row = ("configgen/lint.py", 50, "lint_paths", 1, 0.0004, 0.0764)
    assert profile_row(row) == "| `configgen/lint.py:50(lint_paths)` | 1 | 0 ms | 76 ms |"
    assert timed_list([("yaml", 0.028), ("click", 0.0091)]) == "`yaml` 28 ms, `click` 9 ms"


def test_busy_note() -> None:
    quiet = group("help", [])
    quiet.load = [(1.4, 1.0, 1.0), (1.5, 1.0, 1.0)]
    assert report.busy_note([quiet], cpus=2) == []  # 1 + 0.25 × 2 = 1.5: not yet busy
    quiet.load.append((1.88, 1.0, 1.0))
    assert report.busy_note([quiet], cpus=2)[0].startswith(
        "> **The machine was busy**: 1-minute load average up to 1.88 on 2 CPUs while timing"
    )


def test_clib_note() -> None:
    suite = filled_suite(lambda c: [0.2])
    assert report.clib_note(suite) == []  # no C-extension commands
    single = next(g for g in suite.groups if g.key == "single")
    single.commands.append(command(CJ_C, "lint 1 values", [0.4]))
    assert report.clib_note(suite)[0].endswith(
        "check-jsonschema took lint 1 values: 400 ms, configgen/that 0.50."
    )


def test_group_summary() -> None:
    assert report.group_summary(group("help", [])) == (
        "3 rounds + 1 warm-up, 12 s; load 0.50 → 0.75."
    )


def test_profile_section() -> None:
    assert report.profile_section([]) == ["Every target passed: nothing to profile."]
    p = Profile(
        "$CONFIGGEN lint values.yaml",
        import_total_s=0.157,
        import_top=[("configgen.cli", 0.059)],
        import_by_package=[("yaml", 0.027)],
        cprofile_total_s=0.264,
    )
    lines = report.profile_section([(Verdict("lint ≤ 1 × yamllint", "1.07", "≤ 1", False), p)])
    assert lines[5:12] == [
        "### lint ≤ 1 × yamllint",
        "",
        "`$CONFIGGEN lint values.yaml`",
        "",
        "- import time (`-X importtime`, sum of self times): **0.157 s**; cProfile total 0.264 s",
        "- top-level imports (cumulative): `configgen.cli` 59 ms",
        "- import time by package (self): `yaml` 27 ms",
    ]


def run_info() -> RunInfo:
    return RunInfo(
        invocation="python -m benchmarks --quick",
        date="2026-12-02 12:00 UTC",
        machine={"nproc": "2"},
        versions={"configgen": {"python": "3.11.7"}},
        git="abc1234 (clean)",
        package_hash="9ad067c37e9c",
        load_start="0.10, 0.20, 0.30",
        load_end="0.40, 0.50, 0.60",
        wrapper_ms=1.23,
        cpu_vs_wall=0.02,
        many=3,
        elapsed="2.0 min",
        schema_state="identical to the current output",
        many_lines_values=255,
        many_lines_hocon=254,
    )


def test_the_whole_report() -> None:
    suite = filled_suite(linear)
    for g in suite.groups:
        g.load = [(0.5, 0.5, 0.5), (0.6, 0.5, 0.5)]
        for c in g.commands:
            c.check = Check(0, True, "ok", 1)
    verdicts = evaluate(suite)
    lines = report.render_report(suite, run_info(), verdicts, [])
    assert lines[:3] == [
        "# Benchmarks",
        "",
        "Written by `python -m benchmarks --quick` on 2026-12-02 12:00 UTC (QUICK run: few "
        "rounds, not for the record); do not edit by hand. How to run it and what it measures: "
        "[benchmarks/README.md](../benchmarks/README.md).",
    ]
    passed = sum(v.passed for v in verdicts)
    assert f"## Targets: {passed} of {len(verdicts)} pass" in lines
    assert "| configgen source | abc1234 (clean); installed package hash 9ad067c37e9c |" in lines
    for heading in ("## Machine and versions", "## Method", "## Results", "## Commands"):
        assert heading in lines
    assert "$CONFIGGEN lint values.yaml" in lines
    assert lines.count("$CONFIGGEN --help") == 1
