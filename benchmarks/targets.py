"""The targets, as data, and the arithmetic of their verdicts: PASS, MISS, borderline.

A ratio target compares configgen's median wall time with a peer's (or with another configgen
command), both measured in the same run in alternating rounds; the per-round ratios (the two
commands ran next to each other) give the spread, and a result is *borderline* when the limit
lies between their quartiles: on a noisy machine it may flip from one run to the next.  An
absolute target compares the median wall time (borderline: the limit lies between the
quartiles of the runs) or the largest peak memory with a fixed limit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from benchmarks import inputs
from benchmarks.commands import CG, CJ, YL, Command, Group
from benchmarks.groups import Suite
from benchmarks.stats import Slopes, growth_slopes, paired_ratios, quartiles, spread


@dataclass(frozen=True)
class Ref:
    """A command of a run; ``{many}`` in the label stands for the many-files count."""

    group: str
    tool: str
    label: str

    def find(self, suite: Suite) -> Command | None:
        return suite.find(self.group, self.tool, self.label.format(many=suite.many))


@dataclass(frozen=True)
class RatioTarget:
    """``numerator``'s median wall time is at most ``limit`` times ``denominator``'s."""

    subject: str  # what configgen does, e.g. "lint 1 values file"
    peer: str  # what it is compared with, e.g. "check-jsonschema"
    numerator: Ref
    denominator: Ref
    limit: float

    def name(self, many: int) -> str:
        return f"{self.subject} ≤ {self.limit:g} × {self.peer}".format(many=many)


@dataclass(frozen=True)
class TimeTarget:
    """``command``'s median wall time is under ``seconds``."""

    subject: str
    command: Ref
    seconds: float

    @property
    def name(self) -> str:
        return f"{self.subject} in under {self.seconds:g} s"


@dataclass(frozen=True)
class MemoryTarget:
    """``command``'s peak memory (the largest of its runs) is under ``megabytes`` (10^6 bytes)."""

    subject: str
    command: Ref
    megabytes: float

    @property
    def name(self) -> str:
        return f"{self.subject} in under {self.megabytes:g} MB peak memory"


@dataclass(frozen=True)
class GrowthTarget:
    """The cost per line from 1,000 to 10,000 lines is at most ``limit`` times that from 100
    to 1,000 lines (linear ≈ 1, quadratic ≈ 10)."""

    tool: str
    kind: str  # "values" or "HOCON"
    limit: float = 2.0

    @property
    def name(self) -> str:
        sizes = inputs.GROWTH_LINES
        return (
            f"{self.tool} lint {self.kind}: cost linear in file size "
            f"({sizes[0]:,}–{sizes[-1]:,} lines)"
        )


RATIO_TARGETS = (
    RatioTarget(
        "configgen --help", "check-jsonschema --help",
        Ref("help", CG, "--help"), Ref("help", CJ, "--help"), 0.2,
    ),
    RatioTarget(
        "lint 1 values file", "check-jsonschema",
        Ref("single", CG, "lint 1 values"), Ref("single", CJ, "lint 1 values"), 0.5,
    ),
    RatioTarget(
        "lint 1 values file", "yamllint",
        Ref("single", CG, "lint 1 values"), Ref("single", YL, "lint 1 values"), 0.6,
    ),
    RatioTarget(
        "lint {many} values files", "check-jsonschema",
        Ref("many", CG, "lint {many} values"), Ref("many", CJ, "lint {many} values"), 0.5,
    ),
    RatioTarget(
        "lint 1 HOCON file", "check-jsonschema on 1 values file",
        Ref("single", CG, "lint 1 HOCON"), Ref("single", CJ, "lint 1 values"), 0.6,
    ),
    RatioTarget(
        "lint {many} HOCON files", "check-jsonschema on {many} values files",
        Ref("many", CG, "lint {many} HOCON"), Ref("many", CJ, "lint {many} values"), 2.0,
    ),
    RatioTarget(
        "render both targets", "check-jsonschema on 1 values file",
        Ref("single", CG, "render"), Ref("single", CJ, "lint 1 values"), 0.6,
    ),
    # Issue #13: apply "in the same order of time as" lint on a file full of aliases.
    RatioTarget(
        "apply to a 500 KiB values file full of aliases", "lint of the same file",
        Ref("anchors", CG, "apply to aliases file"), Ref("anchors", CG, "lint aliases file"), 3.0,
    ),
)  # fmt: skip
_BOMB = Ref("anchors", CG, "lint merge-key bomb")
TIME_TARGETS = (TimeTarget("lint a 1.1 KB merge-key bomb", _BOMB, 0.5),)
MEMORY_TARGETS = (MemoryTarget("lint a 1.1 KB merge-key bomb", _BOMB, 40.0),)
GROWTH_TARGETS = (GrowthTarget(CG, "values"), GrowthTarget(CG, "HOCON"))


@dataclass
class Verdict:
    """A target's result, as the report shows it."""

    target: str
    measured: str
    limit: str
    passed: bool
    detail: str = ""
    profile: Command | None = None  # configgen's command, profiled when the target is missed
    borderline: bool = False  # the limit lies within the interquartile range of the samples

    @property
    def result(self) -> str:
        return ("PASS" if self.passed else "MISS") + (" (borderline)" if self.borderline else "")


def is_borderline(limit: float, samples: Sequence[float]) -> bool:
    """The limit lies between the quartiles of ``samples`` (never with fewer than two)."""
    if len(samples) < 2:
        return False
    q1, q3 = quartiles(samples)
    return q1 <= limit <= q3


def ratio_verdict(name: str, num: Command | None, den: Command | None, limit: float) -> Verdict:
    """Median over median, with the spread of the per-round ratios."""
    if num is None or den is None or not num.times or not den.times:
        return Verdict(name, "not measured", f"≤ {limit:g}", False)
    ratio = num.median / den.median
    per_round = paired_ratios(num.by_round, den.by_round)
    detail = f"{num.median:.3f} s / {den.median:.3f} s"
    if len(per_round) > 1:
        s = spread(per_round)
        detail += (
            f"; per-round ratios: median {s.median:.2f}, quartiles {s.q1:.2f}–{s.q3:.2f}, "
            f"range {s.low:.2f}–{s.high:.2f}"
        )
    borderline = is_borderline(limit, per_round)
    return Verdict(name, f"{ratio:.2f}", f"≤ {limit:g}", ratio <= limit, detail, num, borderline)


def time_verdict(name: str, cmd: Command | None, seconds: float) -> Verdict:
    """The median against a fixed limit; borderline when the limit lies between the
    quartiles of the runs."""
    limit = f"< {seconds:g} s"
    if cmd is None or not cmd.times:
        return Verdict(name, "not measured", limit, False)
    detail = f"median of {len(cmd.times)} runs"
    if len(cmd.times) > 1:
        s = spread(cmd.times)
        detail += f"; quartiles {s.q1:.3f}–{s.q3:.3f} s, range {s.low:.3f}–{s.high:.3f} s"
    borderline = is_borderline(seconds, cmd.times)
    return Verdict(
        name, f"{cmd.median:.3f} s", limit, cmd.median < seconds, detail, cmd, borderline
    )


def memory_verdict(name: str, cmd: Command | None, megabytes: float) -> Verdict:
    """The largest peak resident set of the runs against a fixed limit in MB (10^6 bytes)."""
    limit = f"< {megabytes:g} MB"
    if cmd is None or not cmd.rss_kib:
        return Verdict(name, "not measured", limit, False)
    peak_mb = max(cmd.rss_kib) * 1024 / 1e6
    detail = f"{cmd.peak_mib:.1f} MiB, the largest of {len(cmd.rss_kib)} runs"
    return Verdict(name, f"{peak_mb:.1f} MB", limit, peak_mb < megabytes, detail)


def growth_verdict(name: str, series: list[Command] | None, limit: float) -> Verdict:
    """Linear: the cost per line from 1k to 10k lines is at most ``limit`` times that from
    100 to 1k.

    When the 100→1k difference drowns in start-up noise (a fast parser adds a few ms per
    1,000 lines, the noise is tens of ms), the bound uses its upper estimate (median + 2
    standard errors): a linear tool cannot fail on noise, a quadratic one (ratio ≈ 10) still
    fails.
    """
    limit_text = f"≤ {limit:g} (quadratic ≈ 10)"
    if series is None:
        return Verdict(name, "not measured", limit_text, False)
    sizes = inputs.GROWTH_LINES
    slopes = growth_slopes([c.by_round for c in series], sizes)
    detail = (
        f"ms per 1,000 lines: {slopes.lo * 1000:.0f} ± {slopes.lo_error * 1000:.0f} "
        f"({sizes[0]:,}→{sizes[1]:,}), {slopes.hi * 1000:.0f} ({sizes[1]:,}→{sizes[2]:,})"
    )
    passed = is_linear(slopes, limit)
    if passed and slopes.ratio > limit:
        detail += f"; passes on the upper estimate {upper_slope(slopes) * 1000:.0f} (noise)"
    return Verdict(name, f"{slopes.ratio:.2f}", limit_text, passed, detail, series[-1])


def upper_slope(slopes: Slopes) -> float:
    """The 100→1k cost plus two standard errors."""
    return slopes.lo + 2 * slopes.lo_error


def is_linear(slopes: Slopes, limit: float) -> bool:
    return slopes.hi <= limit * upper_slope(slopes)


def memory_verdicts(groups: list[Group]) -> list[Verdict]:
    """Every configgen command's peak memory ≤ check-jsonschema's in the same group (on a
    file of the same size in the growth group)."""
    out = []
    for group in groups:
        for c in group.commands:
            peer = next((p for p in group.commands if p.tool == CJ and p.size == c.size), None)
            if c.tool != CG or not c.rss_kib or peer is None or not peer.rss_kib:
                continue
            out.append(
                Verdict(
                    f"peak memory: {c.label} ≤ check-jsonschema {peer.label}",
                    f"{c.peak_mib / peer.peak_mib:.2f}",
                    "≤ 1",
                    c.peak_mib <= peer.peak_mib,
                    f"{c.peak_mib:.1f} MiB / {peer.peak_mib:.1f} MiB",
                )
            )
    return out


def evaluate(suite: Suite) -> list[Verdict]:
    """Every target's verdict, in the report's order."""
    verdicts = [
        ratio_verdict(
            t.name(suite.many), t.numerator.find(suite), t.denominator.find(suite), t.limit
        )
        for t in RATIO_TARGETS
    ]
    verdicts += [time_verdict(t.name, t.command.find(suite), t.seconds) for t in TIME_TARGETS]
    verdicts += [memory_verdict(t.name, t.command.find(suite), t.megabytes) for t in MEMORY_TARGETS]
    verdicts += memory_verdicts(suite.groups)
    verdicts += [
        growth_verdict(t.name, suite.growth_series(t.tool, t.kind), t.limit) for t in GROWTH_TARGETS
    ]
    return verdicts
