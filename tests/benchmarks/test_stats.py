"""The arithmetic of the benchmark report (synthetic numbers; nothing is timed)."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from benchmarks.stats import (
    Slopes,
    cpu_vs_wall,
    growth_slopes,
    median_error,
    paired_ratios,
    quartiles,
    spread,
)

SIZES = (100, 1_000, 10_000)


def test_quartiles_use_the_exclusive_method() -> None:
    assert quartiles([1, 2, 3, 4, 5]) == (1.5, 4.5)
    assert quartiles([4, 1, 3, 2]) == (1.25, 3.75)


def test_quartiles_need_two_values() -> None:
    with pytest.raises(ValueError, match="at least two"):
        quartiles([1.0])


def test_spread() -> None:
    s = spread([0.3, 0.1, 0.2, 0.5, 0.4])
    assert (s.median, s.low, s.high) == (0.3, 0.1, 0.5)
    assert s.q1 == pytest.approx(0.15)
    assert s.q3 == pytest.approx(0.45)


def test_paired_ratios_pair_runs_of_the_same_round() -> None:
    numerator = {0: 2.0, 1: 4.0, 2: 3.0}
    denominator = {2: 2.0, 0: 1.0, 3: 9.0}
    assert paired_ratios(numerator, denominator) == [2.0, 1.5]  # round 1 has no partner


def test_paired_ratios_cancel_load_drift() -> None:
    # The machine gets slower from round to round; both commands slow down alike.
    drift = [1.0, 1.5, 2.0, 3.0]
    numerator = {r: 0.1 * d for r, d in enumerate(drift)}
    denominator = {r: 0.4 * d for r, d in enumerate(drift)}
    assert paired_ratios(numerator, denominator) == pytest.approx([0.25] * 4)


def test_median_error_from_the_mad() -> None:
    # deviations from 3: 2, 1, 0, 1, 2 -> MAD 1
    assert median_error([1, 2, 3, 4, 5], 3) == pytest.approx(1.4826 / math.sqrt(5) * 1.25)
    assert median_error([2, 2, 2], 2) == 0


def series(
    cost: Callable[[int], float], rounds: int = 5, drift: float = 0.05
) -> list[dict[int, float]]:
    """Wall times by round for each size: start-up + ``cost(lines)`` + a per-round drift
    (the same for every size in a round, as in an alternating group)."""
    return [{r: 0.2 + cost(n) + drift * r for r in range(rounds)} for n in SIZES]


def test_linear_cost_gives_equal_slopes() -> None:
    slopes = growth_slopes(series(lambda n: 30e-6 * n), SIZES)  # 30 ms per 1,000 lines
    assert slopes.lo == pytest.approx(0.030)
    assert slopes.hi == pytest.approx(0.030)
    assert slopes.ratio == pytest.approx(1.0)
    assert slopes.lo_error == pytest.approx(0.0)


def test_quadratic_cost_gives_ten_times_the_slope() -> None:
    # c n²: the slope between a and b is c (a + b): 1,100 c, then 11,000 c.
    slopes = growth_slopes(series(lambda n: 1e-9 * n * n), SIZES)
    assert slopes.ratio == pytest.approx(10.0)


def test_slopes_use_only_rounds_every_size_ran() -> None:
    data = series(lambda n: 30e-6 * n)
    data[2][99] = 1000.0  # a round only the largest size has
    del data[0][0]
    slopes = growth_slopes(data, SIZES)
    assert slopes.hi == pytest.approx(0.030)


def test_growth_needs_three_sizes() -> None:
    with pytest.raises(ValueError, match="three sizes"):
        growth_slopes(series(lambda n: n)[:2], SIZES[:2])


def test_a_flat_start_gives_an_infinite_ratio() -> None:
    assert Slopes(lo=0.0, hi=0.01, lo_error=0.0).ratio == math.inf
    assert Slopes(lo=-0.001, hi=0.01, lo_error=0.0).ratio == math.inf


def test_cpu_vs_wall_is_the_median_relative_gap() -> None:
    assert cpu_vs_wall([(1.0, 0.9), (2.0, 2.0), (0.5, 0.6)]) == pytest.approx(0.1)
