"""The arithmetic of the report: quartiles, paired per-round ratios, growth slopes.

Every function takes plain numbers (or wall times keyed by round number) and returns numbers:
nothing here runs or times anything.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

# Standard error of a median from the median absolute deviation: 1.4826 turns a MAD into a
# standard deviation for normal data, and a median is 1.25 times as noisy as a mean.
_MAD_TO_SD = 1.4826
_MEDIAN_VS_MEAN = 1.25


def quartiles(values: Sequence[float]) -> tuple[float, float]:
    """First and third quartile (``statistics.quantiles``, exclusive method); 2+ values."""
    q1, _, q3 = statistics.quantiles(values, n=4)
    return q1, q3


@dataclass(frozen=True)
class Spread:
    """Median, quartiles and range of a sample."""

    median: float
    q1: float
    q3: float
    low: float
    high: float


def spread(values: Sequence[float]) -> Spread:
    """The spread of 2 or more values."""
    q1, q3 = quartiles(values)
    return Spread(statistics.median(values), q1, q3, min(values), max(values))


def paired_ratios(numerator: Mapping[int, float], denominator: Mapping[int, float]) -> list[float]:
    """Per-round ratios: runs of the same round ran next to each other, so load drift cancels.

    Rounds missing on either side are left out; the order is the numerator's.
    """
    return [t / denominator[r] for r, t in numerator.items() if r in denominator]


def median_error(values: Sequence[float], centre: float) -> float:
    """Standard error of the median ``centre`` of ``values`` (robust: from the MAD)."""
    mad = statistics.median(abs(x - centre) for x in values)
    return float(_MAD_TO_SD * mad / len(values) ** 0.5 * _MEDIAN_VS_MEAN)


@dataclass(frozen=True)
class Slopes:
    """Cost per 1,000 lines (seconds) of a growth series of three sizes."""

    lo: float  # smallest -> middle size: median of per-round differences
    hi: float  # middle -> largest size
    lo_error: float  # standard error of ``lo``

    @property
    def ratio(self) -> float:
        """``hi / lo``: 1 when the cost is linear, 10 when it is quadratic (the slope of c·n²
        between a and b lines is c·(a + b): 1,100 c, then 11,000 c)."""
        return self.hi / self.lo if self.lo > 0 else float("inf")


def per_round_slopes(
    small: Mapping[int, float], large: Mapping[int, float], lines: int, rounds: Sequence[int]
) -> list[float]:
    """Seconds per 1,000 lines between two sizes ``lines`` apart, one per round."""
    step = lines / 1000
    return [(large[r] - small[r]) / step for r in rounds]


def growth_slopes(series: Sequence[Mapping[int, float]], sizes: Sequence[int]) -> Slopes:
    """Slopes of a series of three sizes (wall times by round), over the rounds all share.

    Medians of per-round differences: the sizes ran next to each other in every round, so a
    change in load between rounds cancels out.
    """
    if len(series) != 3 or len(sizes) != 3:
        raise ValueError("a growth series has three sizes")
    rounds = sorted(set.intersection(*(set(s) for s in series)))
    lo_rounds = per_round_slopes(series[0], series[1], sizes[1] - sizes[0], rounds)
    hi_rounds = per_round_slopes(series[1], series[2], sizes[2] - sizes[1], rounds)
    lo = statistics.median(lo_rounds)
    return Slopes(lo, statistics.median(hi_rounds), median_error(lo_rounds, lo))


def cpu_vs_wall(pairs: Iterable[tuple[float, float]]) -> float:
    """Median relative difference between wall and CPU time over (wall, cpu) pairs."""
    return statistics.median(abs(wall - cpu) / wall for wall, cpu in pairs)
