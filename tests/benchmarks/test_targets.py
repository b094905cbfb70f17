"""Targets as data and their verdicts, from synthetic samples (nothing is timed)."""

from __future__ import annotations

import pytest

from benchmarks import inputs
from benchmarks.commands import CG, CJ, YL, Command
from benchmarks.groups import build_suite
from benchmarks.targets import (
    GROWTH_TARGETS,
    MEMORY_TARGETS,
    RATIO_TARGETS,
    TIME_TARGETS,
    Verdict,
    evaluate,
    growth_verdict,
    is_borderline,
    memory_verdict,
    memory_verdicts,
    ratio_verdict,
    time_verdict,
)
from testing.bench_samples import TOOLS, command, filled_suite, group, tree


@pytest.mark.parametrize(
    ("passed", "borderline", "result"),
    [
        (True, False, "PASS"),
        (False, False, "MISS"),
        (True, True, "PASS (borderline)"),
        (False, True, "MISS (borderline)"),
    ],
)
def test_result_words(passed: bool, borderline: bool, result: str) -> None:
    assert Verdict("t", "1", "≤ 1", passed, borderline=borderline).result == result


@pytest.mark.parametrize(
    ("limit", "expected"),
    [(1.0, False), (1.5, True), (3.0, True), (4.5, True), (4.6, False)],
)
def test_borderline_when_the_limit_lies_between_the_quartiles(limit: float, expected: bool) -> None:
    # quartiles of these (exclusive method): 1.5 and 4.5
    assert is_borderline(limit, [1.0, 2.0, 3.0, 4.0, 5.0]) is expected


def test_one_sample_is_never_borderline() -> None:
    assert is_borderline(0.3, [0.3]) is False
    assert is_borderline(0.3, []) is False


def test_ratio_verdict_pass() -> None:
    num = command(CG, "lint 1 values", [0.10, 0.12, 0.11])
    den = command(CJ, "lint 1 values", [0.50, 0.40, 0.45])
    v = ratio_verdict("lint ≤ 0.5 × cj", num, den, 0.5)
    assert (v.measured, v.limit, v.passed, v.borderline) == ("0.24", "≤ 0.5", True, False)
    assert v.detail == (
        "0.110 s / 0.450 s; per-round ratios: median 0.24, quartiles 0.20–0.30, range 0.20–0.30"
    )
    assert v.profile is num


def test_ratio_verdict_miss_and_borderline() -> None:
    num = command(CG, "a", [0.2, 0.3, 0.2, 0.3])
    den = command(CJ, "b", [0.4, 0.4, 0.4, 0.4])
    v = ratio_verdict("a ≤ 0.6 × b", num, den, 0.6)
    # median 0.25 / 0.4 = 0.625 > 0.6; per-round 0.5, 0.75, 0.5, 0.75: quartiles 0.5–0.75
    assert (v.measured, v.passed, v.borderline, v.result) == (
        "0.62",
        False,
        True,
        "MISS (borderline)",
    )


def test_ratio_verdict_pairs_by_round_not_by_position() -> None:
    num = command(CG, "a", [0.1, 0.2], rounds=[0, 1])
    den = command(CJ, "b", [0.4, 0.2], rounds=[1, 0])  # round 0: 0.2, round 1: 0.4
    v = ratio_verdict("a ≤ 1 × b", num, den, 1.0)
    assert "per-round ratios: median 0.50, quartiles 0.50–0.50" in v.detail


def test_ratio_verdict_with_one_round_has_no_spread() -> None:
    v = ratio_verdict("x", command(CG, "a", [0.1]), command(CJ, "b", [0.2]), 0.6)
    assert (v.measured, v.detail, v.passed, v.borderline) == (
        "0.50",
        "0.100 s / 0.200 s",
        True,
        False,
    )


@pytest.mark.parametrize("missing", ["numerator", "denominator", "empty"])
def test_ratio_verdict_not_measured(missing: str) -> None:
    num: Command | None = command(CG, "a", [0.1])
    den: Command | None = command(CJ, "b", [0.2])
    if missing == "numerator":
        num = None
    elif missing == "denominator":
        den = None
    else:
        den = command(CJ, "b", [])
    v = ratio_verdict("x", num, den, 0.5)
    assert (v.measured, v.limit, v.passed, v.result) == ("not measured", "≤ 0.5", False, "MISS")


def growth_series(cost: float, exponent: int, noise: list[float] | None = None) -> list[Command]:
    """Wall times of 100, 1k, 10k lines: 0.2 s start-up + cost × lines^exponent (+ noise)."""
    noise = noise or [0.0] * 5
    return [
        command(CG, f"lint {n}-line values", [0.2 + cost * n**exponent + e for e in noise], size=n)
        for n in inputs.GROWTH_LINES
    ]


def test_linear_growth_passes() -> None:
    v = growth_verdict("linear", growth_series(30e-6, 1), 2.0)
    assert (v.measured, v.limit, v.passed) == ("1.00", "≤ 2 (quadratic ≈ 10)", True)
    assert v.detail == "ms per 1,000 lines: 30 ± 0 (100→1,000), 30 (1,000→10,000)"


def test_quadratic_growth_misses() -> None:
    series = growth_series(1e-9, 2)
    v = growth_verdict("quadratic", series, 2.0)
    assert (v.measured, v.passed) == ("10.00", False)
    assert v.profile is series[-1]


def test_a_fast_linear_tool_cannot_fail_on_start_up_noise() -> None:
    # 2 ms per 1,000 lines drowned in ±20 ms of noise at the two small sizes
    series = growth_series(2e-6, 1)
    for c, noise in zip(
        series,
        ([0.02, -0.02, 0.01, -0.01, 0.0], [-0.02, 0.02, 0.0, 0.01, -0.01], [0.0] * 5),
        strict=True,
    ):
        c.times = [t + e for t, e in zip(c.times, noise, strict=True)]
    v = growth_verdict("noisy", series, 2.0)
    assert v.passed
    assert "passes on the upper estimate" in v.detail


def test_growth_not_measured() -> None:
    v = growth_verdict("g", None, 2.0)
    assert (v.measured, v.passed) == ("not measured", False)


def test_memory_compares_with_check_jsonschema_in_the_same_group_and_size() -> None:
    g = group(
        "growth",
        [
            command(CG, "lint 100-line values", [0.1], rss_mib=18.0, size=100),
            command(CJ, "lint 100-line values", [0.5], rss_mib=36.0, size=100),
            command(CG, "lint 1000-line values", [0.1], rss_mib=40.0, size=1000),
            command(CJ, "lint 1000-line values", [0.5], rss_mib=37.0, size=1000),
            command(YL, "lint 100-line values", [0.2], rss_mib=10.0, size=100),
        ],
    )
    verdicts = memory_verdicts([g, group("other", [command(CG, "--help", [0.1])])])
    assert [(v.target, v.measured, v.passed, v.detail) for v in verdicts] == [
        (
            "peak memory: lint 100-line values ≤ check-jsonschema lint 100-line values",
            "0.50",
            True,
            "18.0 MiB / 36.0 MiB",
        ),
        (
            "peak memory: lint 1000-line values ≤ check-jsonschema lint 1000-line values",
            "1.08",
            False,
            "40.0 MiB / 37.0 MiB",
        ),
    ]


def test_every_target_names_commands_a_run_has() -> None:
    suite = build_suite(tree(many=7), TOOLS, "full")
    for target in RATIO_TARGETS:
        assert target.numerator.find(suite) is not None, target
        assert target.denominator.find(suite) is not None, target
    for absolute in (*TIME_TARGETS, *MEMORY_TARGETS):
        assert absolute.command.find(suite) is not None, absolute
    for growth in GROWTH_TARGETS:
        assert all(
            suite.find("growth", growth.tool, f"lint {n}-line {growth.kind}")
            for n in inputs.GROWTH_LINES
        )


def test_target_names_carry_the_file_count() -> None:
    names = [t.name(500) for t in RATIO_TARGETS]
    assert "lint 500 values files ≤ 0.5 × check-jsonschema" in names
    assert "lint 500 HOCON files ≤ 2 × check-jsonschema on 500 values files" in names


def synthetic_timing(c: Command) -> list[float]:
    """configgen 0.08 s, check-jsonschema 0.5 s, yamllint 0.2 s (+ 30 ms per 1,000 lines)."""
    base = {CG: 0.08, CJ: 0.5, YL: 0.2}[c.tool]
    if c.size is not None:
        base += 30e-6 * c.size
    if c.label == "render":
        base = 0.4  # 0.8 × check-jsonschema: misses its 0.6
    if c.label == "apply to aliases file":
        base = 7.0  # 7 × lint: misses its 3
    if c.label == "lint aliases file":
        base = 1.0
    return [base, base * 1.1, base * 0.9]


def test_evaluate_a_whole_run() -> None:
    suite = filled_suite(synthetic_timing, rss=lambda c: 18.0 if c.tool == CG else 36.0)
    verdicts = evaluate(suite)
    results = {v.target: v.result for v in verdicts}
    assert results["configgen --help ≤ 0.2 × check-jsonschema --help"] == "PASS"
    assert results["lint 1 values file ≤ 0.5 × check-jsonschema"] == "PASS"
    assert results["lint 1 values file ≤ 0.6 × yamllint"] == "PASS"  # 0.08 / 0.2
    assert results["lint 3 values files ≤ 0.5 × check-jsonschema"] == "PASS"
    assert results["render both targets ≤ 0.6 × check-jsonschema on 1 values file"] == "MISS"
    assert results["configgen lint values: cost linear in file size (100–10,000 lines)"] == "PASS"
    assert (
        results["apply to a 500 KiB values file full of aliases ≤ 3 × lint of the same file"]
        == "MISS"
    )
    assert results["lint a 1.1 KB merge-key bomb in under 0.5 s"] == "PASS"  # 0.08 s
    assert results["lint a 1.1 KB merge-key bomb in under 40 MB peak memory"] == "PASS"
    memory = [v for v in verdicts if v.target.startswith("peak memory")]
    assert len(memory) == 1 + 3 + 2 + 2 * 3  # help, single, many, growth (2 per size)
    assert all(v.passed for v in memory)
    absolute = len(TIME_TARGETS) + len(MEMORY_TARGETS)
    assert len(verdicts) == len(RATIO_TARGETS) + absolute + len(memory) + len(GROWTH_TARGETS)


def test_time_verdict() -> None:
    v = time_verdict("bomb in under 0.5 s", command(CG, "bomb", [2.5, 2.4, 2.6, 2.55]), 0.5)
    assert (v.measured, v.limit, v.result) == ("2.525 s", "< 0.5 s", "MISS")
    assert v.detail == "median of 4 runs; quartiles 2.425–2.588 s, range 2.400–2.600 s"
    assert v.profile is not None


def test_time_verdict_borderline_and_at_the_limit() -> None:
    v = time_verdict("x", command(CG, "bomb", [0.4, 0.6, 0.5]), 0.5)
    assert (v.measured, v.passed, v.borderline) == ("0.500 s", False, True)  # under, not at
    one = time_verdict("x", command(CG, "bomb", [0.3]), 0.5)
    assert (one.result, one.detail) == ("PASS", "median of 1 runs")
    assert time_verdict("x", None, 0.5).measured == "not measured"


def test_memory_verdict_uses_the_largest_run_in_megabytes() -> None:
    cmd = command(CG, "bomb", [0.1])
    cmd.rss_kib = [30_000, 48_340, 40_000]
    v = memory_verdict("bomb in under 40 MB peak memory", cmd, 40.0)
    # 48,340 KiB = 49.5 MB = 47.2 MiB
    assert (v.measured, v.limit, v.result) == ("49.5 MB", "< 40 MB", "MISS")
    assert v.detail == "47.2 MiB, the largest of 3 runs"
    cmd.rss_kib = [39_000]  # 39.9 MB
    assert memory_verdict("x", cmd, 40.0).passed
    assert memory_verdict("x", command(CG, "bomb", []), 40.0).measured == "not measured"
