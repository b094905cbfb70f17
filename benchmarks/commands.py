"""What is timed: a command (its argument list, how a reader would type it, its samples) and a
group of commands that run in alternating rounds."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

CG = "configgen"
CG_ED = "configgen (editable)"
CJ = "check-jsonschema"
CJ_C = "check-jsonschema (C ext)"  # context only: ruamel.yaml.clib installed by hand
YL = "yamllint"
PEERS = (CJ, YL)  # the tools the targets compare with
SHOWN = {
    CG: "$CONFIGGEN",
    CG_ED: "$CONFIGGEN_EDITABLE",
    CJ: "$CHECK_JSONSCHEMA",
    CJ_C: "$CHECK_JSONSCHEMA_C",
    YL: "$YAMLLINT",
}


@dataclass(frozen=True)
class Sample:
    """One run of one command."""

    wall: float  # seconds
    cpu: float  # user + system seconds of the tool's process
    rss_kib: int  # peak resident set
    code: int  # exit code


@dataclass(frozen=True)
class Check:
    """The validation run of a command: exit code and what the tool said."""

    exit: int
    ok: bool  # an expected exit code and no traceback
    last: str  # last line of output (stdout + stderr), cut at 160 characters
    lines: int


@dataclass
class Command:
    """One command of a group and the samples of its counted runs."""

    tool: str  # CG, CG_ED, CJ, CJ_C or YL
    label: str  # what it does, e.g. "lint 1 values"
    argv: list[str]
    shown: str  # the command as a reader would type it (globs, $vars)
    expect: tuple[int, ...] = (0,)
    size: int | None = None  # lines of the one input file (growth group)
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    rounds: list[int] = field(default_factory=list)
    check: Check | None = None
    hyperfine: dict[str, float] | None = None

    def record(self, round_number: int, sample: Sample) -> None:
        """Keep a counted run."""
        self.times.append(sample.wall)
        self.cpu.append(sample.cpu)
        self.rss_kib.append(sample.rss_kib)
        self.rounds.append(round_number)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def peak_mib(self) -> float:
        return max(self.rss_kib) / 1024

    @property
    def by_round(self) -> dict[int, float]:
        """Wall time by round number."""
        return dict(zip(self.rounds, self.times, strict=True))


@dataclass
class Group:
    """Commands timed together: every round runs each once, the first rotating."""

    key: str
    title: str
    commands: list[Command]
    rounds: int  # counted
    warmup: int  # not counted
    load: list[tuple[float, float, float]] = field(default_factory=list)  # before, after
    seconds: float = 0.0
