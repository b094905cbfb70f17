#!/usr/bin/env python3
"""Time configgen against check-jsonschema and yamllint, side by side, and check the targets.

    python benchmarks/run.py [--quick] [--out docs/benchmarks.md]

What it does, in one command (details in benchmarks/README.md):

1. Installs the peers (``pip install check-jsonschema yamllint``) into ``.bench/peers-venv``
   (once), and configgen from the working tree, non-editable, into ``.bench/configgen-venv``
   (every run, so the numbers are the tree's).  The developer's editable ``.venv`` is timed
   too where start-up matters, to show what the editable finder costs.
2. Writes the inputs (``benchmarks/inputs/``, deterministic) into a fresh temporary
   directory outside any project, so neither configgen nor yamllint finds a configuration
   file there; every command runs with that directory as its working directory.
3. Runs every command once, keeping its output: exit codes and findings are checked (every
   input is clean for every tool) and reported.  This is also the first warm-up run.
4. Times each group of commands in alternating rounds: every round runs each command of the
   group once, the starting command rotating from round to round, after warm-up rounds that
   are not counted.  Wall time is ``time.perf_counter`` around ``posix_spawn`` + ``wait4``;
   peak memory is the child's ``ru_maxrss`` from the same ``wait4``.  Output goes to
   /dev/null, exit codes never stop the harness.
5. Cross-checks the small groups with hyperfine (block mode, ``-N -i``) in full runs.
6. Checks every target, prints a PASS/MISS table, and for each missed target runs configgen's
   command under ``python -X importtime`` and cProfile and summarises where the time goes.
7. Writes the report (``--out``; default ``docs/benchmarks.md``, or
   ``.bench/benchmarks-quick.md`` for ``--quick``) and the raw samples to
   ``.bench/results.json``.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import hashlib
import json
import os
import platform
import pstats
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path[0] = str(REPO)  # the package benchmarks, not this directory's modules
from benchmarks import inputs  # noqa: E402

CACHE = REPO / ".bench"
PEERS_VENV = CACHE / "peers-venv"
PEERS_CLIB_VENV = CACHE / "peers-clib-venv"  # check-jsonschema with ruamel's C extension
CONFIGGEN_VENV = CACHE / "configgen-venv"
EDITABLE_VENV = REPO / ".venv"
SCHEMA = HERE / "schemas" / "authentication-section.schema.json"
PEER_PACKAGES = ("check-jsonschema", "yamllint")
BUILD_FILES = ("pyproject.toml", "README.md", "LICENSE", "configgen", "templates", "schemas")
VERSIONED = (
    "configgen",
    "click",
    "jinja2",
    "jsonschema",
    "pyhocon",
    "pyparsing",
    "ruamel.yaml",
    "ruamel.yaml.clib",
    "tomli",
    "check-jsonschema",
    "yamllint",
    "PyYAML",
    "regress",
    "referencing",
)

# rounds counted, warm-up rounds not counted (the validation run is one more warm-up run)
ROUNDS = {
    "full": {
        "help": (20, 2),
        "single": (20, 2),
        "many": (5, 0),
        "growth": (10, 1),
    },
    "quick": {
        "help": (3, 1),
        "single": (3, 1),
        "many": (1, 0),
        "growth": (2, 0),
    },
}
QUICK_MANY = 100  # --quick: fewer files in the "many files" group
HYPERFINE_RUNS = 10
PROFILE_MAX_FILES = 100  # profiling is 5x slower: the many-files cases profile this many

CG, CG_ED, CJ, YL = "configgen", "configgen (editable)", "check-jsonschema", "yamllint"
CJ_C = "check-jsonschema (C ext)"  # context only: ruamel.yaml.clib installed by hand


# --------------------------------------------------------------------------------------------
# Commands and groups


@dataclass
class Command:
    key: str  # unique: group/name
    tool: str  # CG, CG_ED, CJ or YL
    label: str  # what it does, e.g. "lint 1 values file"
    argv: list[str]
    shown: str  # the command as a reader would type it (globs, $vars)
    expect: tuple[int, ...] = (0,)
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    rss_kib: list[int] = field(default_factory=list)
    rounds: list[int] = field(default_factory=list)
    check: dict[str, object] = field(default_factory=dict)
    hyperfine: dict[str, float] | None = None
    size: int | None = None  # lines of the one input file (growth group)

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def cpu_median(self) -> float:
        return statistics.median(self.cpu)

    @property
    def peak_mib(self) -> float:
        return max(self.rss_kib) / 1024


@dataclass
class Group:
    key: str
    title: str
    commands: list[Command]
    rounds: int
    warmup: int
    load: list[tuple[float, float, float]] = field(default_factory=list)
    seconds: float = 0.0


class Bench:
    """Everything one run needs: the tools, the inputs, the groups."""

    def __init__(
        self, work: Path, tree: inputs.Tree, editable: bool, clib: bool, mode: str
    ) -> None:
        self.work = work
        self.tree = tree
        self.groups: list[Group] = []
        self.tools = {
            CG: str(CONFIGGEN_VENV / "bin" / "configgen"),
            CJ: str(PEERS_VENV / "bin" / "check-jsonschema"),
            YL: str(PEERS_VENV / "bin" / "yamllint"),
        }
        self.shown_tools = {
            CG: "$CONFIGGEN",
            CG_ED: "$CONFIGGEN_EDITABLE",
            CJ: "$CHECK_JSONSCHEMA",
            CJ_C: "$CHECK_JSONSCHEMA_C",
            YL: "$YAMLLINT",
        }
        if editable:
            self.tools[CG_ED] = str(EDITABLE_VENV / "bin" / "configgen")
        if clib:
            self.tools[CJ_C] = str(PEERS_CLIB_VENV / "bin" / "check-jsonschema")
        self.mode = mode

    def cmd(self, group: str, tool: str, label: str, args: list[str], shown: str) -> Command:
        argv = [self.tools[tool], *args]
        return Command(
            f"{group}/{tool}/{label}", tool, label, argv, f"{self.shown_tools[tool]} {shown}"
        )

    def build(self) -> None:
        t = self.tree
        rounds = ROUNDS[self.mode]
        schema = ["--schemafile", str(SCHEMA)]
        schema_shown = "--schemafile $SCHEMA"
        cgs = [CG, CG_ED] if CG_ED in self.tools else [CG]
        values1, hocon1, spec = t.values, t.hocon, t.spec
        many_v, many_h = t.many_values, t.many_hocon
        n = len(many_v)

        help_cmds = [self.cmd("help", tool, "--help", ["--help"], "--help") for tool in cgs]
        help_cmds += [
            self.cmd("help", CJ, "--help", ["--help"], "--help"),
            self.cmd("help", YL, "--help", ["--help"], "--help"),
        ]
        self.groups.append(Group("help", "Start-up: --help", help_cmds, *rounds["help"]))

        single: list[Command] = []
        for tool in cgs:
            single.append(
                self.cmd("single", tool, "lint 1 values", ["lint", values1], f"lint {values1}")
            )
        single.append(
            self.cmd("single", CJ, "lint 1 values", [*schema, values1], f"{schema_shown} {values1}")
        )
        if CJ_C in self.tools:
            single.append(
                self.cmd(
                    "single", CJ_C, "lint 1 values", [*schema, values1], f"{schema_shown} {values1}"
                )
            )
        single.append(self.cmd("single", YL, "lint 1 values", [values1], values1))
        for tool in cgs:
            single.append(
                self.cmd("single", tool, "lint 1 HOCON", ["lint", hocon1], f"lint {hocon1}")
            )
        render_args = ["render", spec, "--generate-token", "--out-dir", "out", "--force"]
        for tool in cgs:
            single.append(self.cmd("single", tool, "render", render_args, " ".join(render_args)))
        self.groups.append(
            Group(
                "single",
                "One file: lint 1 values file, lint 1 HOCON file, render",
                single,
                *rounds["single"],
            )
        )

        gv, gh = "values/values-*.yaml", "hocon/application-*.conf"
        many = [
            self.cmd("many", CG, f"lint {n} values", ["lint", *many_v], f"lint {gv}"),
            self.cmd("many", CJ, f"lint {n} values", [*schema, *many_v], f"{schema_shown} {gv}"),
            self.cmd("many", YL, f"lint {n} values", many_v, gv),
            self.cmd("many", CG, f"lint {n} HOCON", ["lint", *many_h], f"lint {gh}"),
        ]
        if CJ_C in self.tools:
            many.insert(
                2,
                self.cmd(
                    "many", CJ_C, f"lint {n} values", [*schema, *many_v], f"{schema_shown} {gv}"
                ),
            )
        self.groups.append(
            Group(
                "many",
                f"{len(many_v)} files in one invocation (as pre-commit passes them)",
                many,
                *rounds["many"],
            )
        )

        # All sizes in one group: they alternate, so a change in load cannot bend the curve.
        growth: list[Command] = []
        for size, (v, h) in t.growth.items():
            growth += [
                self.cmd("growth", CG, f"lint {size}-line values", ["lint", v], f"lint {v}"),
                self.cmd(
                    "growth", CJ, f"lint {size}-line values", [*schema, v], f"{schema_shown} {v}"
                ),
                self.cmd("growth", YL, f"lint {size}-line values", [v], v),
                self.cmd("growth", CG, f"lint {size}-line HOCON", ["lint", h], f"lint {h}"),
            ]
            for c in growth[-4:]:
                c.size = size
        self.groups.append(Group("growth", "Growth with file size", growth, *rounds["growth"]))

    def find(self, group: str, tool: str, label: str) -> Command | None:
        for g in self.groups:
            if g.key == group:
                for c in g.commands:
                    if c.tool == tool and c.label == label:
                        return c
        return None


# --------------------------------------------------------------------------------------------
# Running


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    for name in (
        "GITHUB_ACTIONS",
        "PYTHONPATH",
        "PYTHONSTARTUP",
        "PYTHONHOME",
        "VIRTUAL_ENV",
        "PYTHONDONTWRITEBYTECODE",
        "PYTHONPROFILEIMPORTTIME",
        "FORCE_COLOR",
    ):
        env.pop(name, None)
    env["NO_COLOR"] = "1"
    return env


ENV = child_env()
_DEVNULL_ACTIONS = [
    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
    (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
    (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
]
TIME = "/usr/bin/time"


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    cpu: float  # user + system seconds of the tool's process
    rss_kib: int  # peak resident set
    code: int  # exit code


class Runner:
    """Runs a command once: wall time, CPU time, peak RSS and exit code.

    Peak memory cannot come from this process's own ``wait4``: Linux keeps the RSS high-water
    mark of the process image an ``exec`` replaces, and a child spawned from the harness starts
    as a copy of the harness (about 15-30 MiB), which would floor every reading.  So each run
    goes through GNU time (``/usr/bin/time -f %M``, a process of about 1 MiB), and its own cost,
    measured once at start-up (``/bin/true`` with and without it, alternating), is subtracted
    from the wall and CPU times.  CPU time (user + system, from ``wait4``, which counts the
    tool as a waited-for child of GNU time) is recorded to tell waiting for a CPU (wall only)
    from a slower CPU (both).
    """

    def __init__(self, work: Path) -> None:
        self.memfile = str(work / ".maxrss")
        self.wrapped = os.access(TIME, os.X_OK)
        self.overhead = Sample(0.0, 0.0, 0, 0)
        if self.wrapped:
            plain, wrapped = [], []
            for _ in range(40):
                plain.append(self._spawn(["/bin/true"]))
                wrapped.append(self._spawn(self._wrap(["/bin/true"])))
            self.overhead = Sample(
                max(
                    0.0,
                    statistics.median(w.wall for w in wrapped)
                    - statistics.median(p.wall for p in plain),
                ),
                max(
                    0.0,
                    statistics.median(w.cpu for w in wrapped)
                    - statistics.median(p.cpu for p in plain),
                ),
                0,
                0,
            )

    def _wrap(self, argv: list[str]) -> list[str]:
        return [TIME, "-f", "%M", "-o", self.memfile, *argv]

    @staticmethod
    def _spawn(argv: list[str]) -> Sample:
        start = time.perf_counter()
        pid = os.posix_spawn(argv[0], argv, ENV, file_actions=_DEVNULL_ACTIONS)
        _, status, usage = os.wait4(pid, 0)
        elapsed = time.perf_counter() - start
        cpu = usage.ru_utime + usage.ru_stime
        return Sample(elapsed, cpu, usage.ru_maxrss, os.waitstatus_to_exitcode(status))

    def run(self, argv: list[str]) -> Sample:
        """One run (working directory: the inputs directory)."""
        if not self.wrapped:
            return self._spawn(argv)
        sample = self._spawn(self._wrap(argv))
        with open(self.memfile) as f:  # "Command exited with non-zero status 1" may come first
            rss = int(f.read().split()[-1])
        return Sample(
            sample.wall - self.overhead.wall, sample.cpu - self.overhead.cpu, rss, sample.code
        )


def validate(cmd: Command) -> bool:
    """Run once with output kept; record exit code and what the tool reported."""
    proc = subprocess.run(cmd.argv, capture_output=True, text=True, env=ENV, check=False)
    out = (proc.stdout + proc.stderr).strip().splitlines()
    cmd.check = {
        "exit": proc.returncode,
        "ok": proc.returncode in cmd.expect and "Traceback" not in proc.stderr,
        "last": out[-1][:160] if out else "",
        "lines": len(out),
    }
    return bool(cmd.check["ok"])


def run_group(group: Group, runner: Runner) -> None:
    n = len(group.commands)
    group.load.append(os.getloadavg())
    started = time.perf_counter()
    for r in range(group.warmup + group.rounds):
        order = group.commands[r % n :] + group.commands[: r % n]
        for cmd in order:
            sample = runner.run(cmd.argv)
            if r >= group.warmup:
                cmd.times.append(sample.wall)
                cmd.cpu.append(sample.cpu)
                cmd.rss_kib.append(sample.rss_kib)
                cmd.rounds.append(r)
        done = r + 1 - group.warmup
        if done > 0:
            print(f"  {group.key}: round {done}/{group.rounds}", end="\r", flush=True)
    group.seconds = time.perf_counter() - started
    group.load.append(os.getloadavg())
    print(" " * 60, end="\r")


def hyperfine_check(group: Group, out: Path) -> None:
    """Block-mode hyperfine over the same commands: a cross-check of the loop's medians."""
    cmds = [shlex.join(c.argv) for c in group.commands]
    export = out / f"hyperfine-{group.key}.json"
    argv = [
        "hyperfine",
        "-N",
        "-i",
        "--warmup",
        "2",
        "--runs",
        str(HYPERFINE_RUNS),
        "--style",
        "none",
        "--export-json",
        str(export),
        *cmds,
    ]
    subprocess.run(argv, env=ENV, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        results = json.loads(export.read_text())["results"]
    except (OSError, ValueError, KeyError):
        return
    for cmd, res in zip(group.commands, results, strict=False):
        cmd.hyperfine = {"median": res["median"], "min": res["min"], "max": res["max"]}


def paired_ratios(num: Command, den: Command) -> list[float]:
    """Ratios of runs from the same round (the two commands ran next to each other)."""
    by_round = dict(zip(den.rounds, den.times, strict=True))
    return [t / by_round[r] for r, t in zip(num.rounds, num.times, strict=True) if r in by_round]


# --------------------------------------------------------------------------------------------
# Targets


@dataclass
class Verdict:
    target: str
    measured: str
    limit: str
    passed: bool
    detail: str = ""
    profile: Command | None = None
    borderline: bool = False  # the limit lies within the interquartile range of per-round ratios

    @property
    def result(self) -> str:
        return ("PASS" if self.passed else "MISS") + (" (borderline)" if self.borderline else "")


def ratio_target(
    bench: Bench, name: str, num: tuple[str, str, str], den: tuple[str, str, str], limit: float
) -> Verdict:
    a, b = bench.find(*num), bench.find(*den)
    if a is None or b is None or not a.times or not b.times:
        return Verdict(name, "not measured", f"≤ {limit:g}", False)
    ratio = a.median / b.median
    pr = paired_ratios(a, b)
    detail = f"{a.median:.3f} s / {b.median:.3f} s"
    borderline = False
    if len(pr) > 1:
        q1, _, q3 = statistics.quantiles(pr, n=4)
        borderline = q1 <= limit <= q3
        detail += (
            f"; per-round ratios: median {statistics.median(pr):.2f}, quartiles "
            f"{q1:.2f}–{q3:.2f}, range {min(pr):.2f}–{max(pr):.2f}"
        )
    return Verdict(name, f"{ratio:.2f}", f"≤ {limit:g}", ratio <= limit, detail, a, borderline)


@dataclass
class Slopes:
    """Cost per 1,000 lines (seconds) of one tool's growth series."""

    series: list[Command]
    lo: float  # 100 -> 1,000 lines: median of per-round differences
    hi: float  # 1,000 -> 10,000 lines
    lo_error: float  # standard error of ``lo`` (from the median absolute deviation)


def growth_slopes(bench: Bench, tool: str, kind: str) -> Slopes | None:
    """The growth series of one tool and its cost per 1,000 lines over 100→1k and 1k→10k.

    Slopes are medians of per-round differences: the sizes ran next to each other in every
    round, so a load change between rounds cancels out.
    """
    sizes = inputs.GROWTH_LINES
    cmds = [bench.find("growth", tool, f"lint {s}-line {kind}") for s in sizes]
    series = [c for c in cmds if c is not None and c.times]
    if len(series) != len(sizes):
        return None
    by_round = [dict(zip(c.rounds, c.times, strict=True)) for c in series]
    rounds = sorted(set.intersection(*(set(r) for r in by_round)))

    def per_round(i: int) -> list[float]:
        step = (sizes[i + 1] - sizes[i]) / 1000
        return [(by_round[i + 1][r] - by_round[i][r]) / step for r in rounds]

    lo_rounds = per_round(0)
    lo = statistics.median(lo_rounds)
    mad = statistics.median(abs(x - lo) for x in lo_rounds)
    lo_error = 1.4826 * mad / len(lo_rounds) ** 0.5 * 1.25  # 1.25: median, not mean
    return Slopes(series, lo, statistics.median(per_round(1)), lo_error)


def growth_target(bench: Bench, tool: str, kind: str) -> Verdict:
    """Linear: the cost per line from 1k to 10k lines is at most twice that from 100 to 1k.

    When the 100→1k difference drowns in start-up noise (a fast parser adds a few ms per
    1,000 lines, the noise is tens of ms), the bound uses its upper estimate (median + 2
    standard errors): a linear tool cannot fail on noise, a quadratic one (ratio ≈ 11) still
    fails.
    """
    sizes = inputs.GROWTH_LINES
    name = f"{tool} lint {kind}: cost linear in file size ({sizes[0]:,}–{sizes[-1]:,} lines)"
    sl = growth_slopes(bench, tool, kind)
    if sl is None:
        return Verdict(name, "not measured", "≤ 2", False)
    ratio = sl.hi / sl.lo if sl.lo > 0 else float("inf")
    upper = sl.lo + 2 * sl.lo_error
    detail = (
        f"ms per 1,000 lines: {sl.lo * 1000:.0f} ± {sl.lo_error * 1000:.0f} "
        f"({sizes[0]:,}→{sizes[1]:,}), {sl.hi * 1000:.0f} ({sizes[1]:,}→{sizes[2]:,})"
    )
    passed = sl.hi <= 2 * upper
    if passed and ratio > 2:
        detail += f"; passes on the upper estimate {upper * 1000:.0f} (noise)"
    return Verdict(name, f"{ratio:.2f}", "≤ 2 (quadratic ≈ 11)", passed, detail, sl.series[-1])


def memory_targets(bench: Bench) -> list[Verdict]:
    out = []
    for group in bench.groups:
        for c in group.commands:
            # check-jsonschema in the same group, on a file of the same size (growth)
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


def verdicts(bench: Bench) -> list[Verdict]:
    many = len(bench.tree.many_values)
    v = [
        ratio_target(
            bench,
            "configgen --help ≤ 0.3 × check-jsonschema --help",
            ("help", CG, "--help"),
            ("help", CJ, "--help"),
            0.3,
        ),
        ratio_target(
            bench,
            "lint 1 values file ≤ 0.5 × check-jsonschema",
            ("single", CG, "lint 1 values"),
            ("single", CJ, "lint 1 values"),
            0.5,
        ),
        ratio_target(
            bench,
            "lint 1 values file no slower than yamllint",
            ("single", CG, "lint 1 values"),
            ("single", YL, "lint 1 values"),
            1.0,
        ),
        ratio_target(
            bench,
            f"lint {many} values files ≤ 0.5 × check-jsonschema",
            ("many", CG, f"lint {many} values"),
            ("many", CJ, f"lint {many} values"),
            0.5,
        ),
        ratio_target(
            bench,
            "lint 1 HOCON file ≤ 0.6 × check-jsonschema on 1 values file",
            ("single", CG, "lint 1 HOCON"),
            ("single", CJ, "lint 1 values"),
            0.6,
        ),
        ratio_target(
            bench,
            f"lint {many} HOCON files ≤ 2 × check-jsonschema on {many} values files",
            ("many", CG, f"lint {many} HOCON"),
            ("many", CJ, f"lint {many} values"),
            2.0,
        ),
        ratio_target(
            bench,
            "render both targets ≤ 0.6 × check-jsonschema on 1 values file",
            ("single", CG, "render"),
            ("single", CJ, "lint 1 values"),
            0.6,
        ),
    ]
    v += memory_targets(bench)
    v.append(growth_target(bench, CG, "values"))
    v.append(growth_target(bench, CG, "HOCON"))
    return v


# --------------------------------------------------------------------------------------------
# Where the time goes


Row = tuple[str, int, str, int, float, float]  # file, line, function, calls, own, cumulative


@dataclass
class Profile:
    command: str
    note: str = ""
    import_total_s: float = 0.0
    import_top: list[tuple[str, float]] = field(default_factory=list)
    import_by_package: list[tuple[str, float]] = field(default_factory=list)
    cprofile_total_s: float | None = None
    tottime_by_package: list[tuple[str, float]] = field(default_factory=list)
    by_cumtime: list[Row] = field(default_factory=list)
    by_tottime: list[Row] = field(default_factory=list)


def profile(cmd: Command, work: Path) -> Profile:
    """``-X importtime`` and cProfile of one configgen command (non-editable venv)."""
    python = str(CONFIGGEN_VENV / "bin" / "python")
    args = cmd.argv[1:]
    result = Profile(cmd.shown)
    files = [a for a in args if a.endswith((".yaml", ".conf"))]
    if len(files) > PROFILE_MAX_FILES:
        dropped = set(files[PROFILE_MAX_FILES:])
        args = [a for a in args if a not in dropped]
        result.note = f"profiled on the first {PROFILE_MAX_FILES} of the {len(files)} files"
    proc = subprocess.run(
        [python, "-X", "importtime", "-m", "configgen", *args],
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
    )
    rows = []
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", line)
        if m:
            rows.append((int(m.group(1)), int(m.group(2)), len(m.group(3)) // 2, m.group(4)))
    result.import_total_s = sum(r[0] for r in rows) / 1e6
    top = sorted((r for r in rows if r[2] == 0), key=lambda r: -r[1])[:12]
    result.import_top = [(name, cum / 1e6) for _s, cum, _l, name in top]
    by_package: dict[str, int] = {}
    for self_us, _cum, _lvl, name in rows:
        root = name.split(".")[0]
        by_package[root] = by_package.get(root, 0) + self_us
    result.import_by_package = sorted(
        ((k, v / 1e6) for k, v in by_package.items()), key=lambda kv: -kv[1]
    )[:12]
    prof = work / "profile.out"
    subprocess.run(
        [python, "-m", "cProfile", "-o", str(prof), "-m", "configgen", *args],
        capture_output=True,
        env=ENV,
        check=False,
    )
    try:
        stats = pstats.Stats(str(prof))
    except (OSError, TypeError, EOFError):
        return result
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, object]]
    raw = stats.stats  # type: ignore[attr-defined]
    entries: list[Row] = [
        (shorten(filename), line, func, ncalls, tottime, cumtime)
        for (filename, line, func), (_cc, ncalls, tottime, cumtime, _callers) in raw.items()
    ]
    result.cprofile_total_s = stats.total_tt  # type: ignore[attr-defined]
    skip = ("<frozen importlib", "{built-in method builtins.exec}", "<string>")
    own = [e for e in entries if not any(x in e[0] or x in e[2] for x in skip)]
    third_party = [e for e in own if not e[0].startswith(("stdlib:", "~", "<"))]
    result.by_cumtime = sorted(third_party, key=lambda e: -e[5])[:15]
    result.by_tottime = sorted(entries, key=lambda e: -e[4])[:12]
    # Own time by package: where the time outside the tools' own code goes.
    pkg: dict[str, float] = {}
    for filename, _line, func, _n, tottime, _c in entries:
        key = package_of(filename, func)
        pkg[key] = pkg.get(key, 0.0) + tottime
    result.tottime_by_package = sorted(pkg.items(), key=lambda kv: -kv[1])[:10]
    return result


def shorten(filename: str) -> str:
    """``ruamel/yaml/main.py``, ``configgen/lint.py``, ``stdlib:json/decoder.py``, ``~``."""
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1]
    m = re.search(r"/lib/python3\.\d+/(.*)$", filename)
    if m:
        return f"stdlib:{m.group(1)}"
    if "/configgen/" in filename:  # an editable install
        return "configgen/" + filename.rsplit("/configgen/", 1)[1]
    return filename


def package_of(filename: str, func: str) -> str:
    if filename.startswith("<frozen") or filename.startswith("stdlib:importlib"):
        return "import machinery"
    if filename == "~":
        loading = ("exec", "compile", "marshal", "_imp", "open_code", "read")
        return "builtins: " + ("loading code" if any(s in func for s in loading) else "C functions")
    if filename.startswith("stdlib:"):
        return "stdlib"
    if "/" in filename:
        return filename.split("/")[0]
    return filename


# --------------------------------------------------------------------------------------------
# Setup


def run_checked(argv: list[str], cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=cwd)
    if proc.returncode != 0:
        sys.exit(f"failed: {shlex.join(argv)}\n{proc.stdout}\n{proc.stderr}")
    return proc


def ensure_peers(refresh: bool, clib: bool) -> None:
    venvs = [(PEERS_VENV, PEER_PACKAGES)]
    if clib:  # ruamel.yaml 0.19 made its C extension an opt-in extra
        venvs.append((PEERS_CLIB_VENV, ("check-jsonschema", "ruamel.yaml.clib")))
    for venv, packages in venvs:
        if refresh and venv.exists():
            shutil.rmtree(venv)
        if not (venv / "bin" / "check-jsonschema").exists():
            print(f"installing {' '.join(packages)} into {venv.relative_to(REPO)} ...")
            run_checked([sys.executable, "-m", "venv", str(venv)])
            run_checked([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", *packages])


def install_configgen(skip: bool) -> str:
    """Build a wheel from the working tree (tracked and new files) and install it; its hash."""
    if not (CONFIGGEN_VENV / "bin" / "python").exists():
        run_checked([sys.executable, "-m", "venv", str(CONFIGGEN_VENV)])
        skip = False
    if not skip:
        print(f"installing configgen (working tree) into {CONFIGGEN_VENV.relative_to(REPO)} ...")
        files = run_checked(
            ["git", "ls-files", "-co", "--exclude-standard", "--", *BUILD_FILES], cwd=REPO
        ).stdout.split()
        with tempfile.TemporaryDirectory(prefix="configgen-build-") as tmp:
            src = Path(tmp) / "src"
            for name in files:
                if (REPO / name).is_file():
                    (src / name).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(REPO / name, src / name)
            pip = [str(CONFIGGEN_VENV / "bin" / "python"), "-m", "pip"]
            run_checked([*pip, "wheel", "-q", "--no-deps", "-w", str(Path(tmp) / "dist"), str(src)])
            wheel = str(next((Path(tmp) / "dist").glob("configgen-*.whl")))
            run_checked([*pip, "install", "-q", "--force-reinstall", "--no-deps", wheel])
            run_checked([*pip, "install", "-q", wheel])  # dependencies, if they changed
    # What was measured: a hash of the installed package's sources.
    site = run_checked(
        [
            str(CONFIGGEN_VENV / "bin" / "python"),
            "-c",
            "import configgen, os; print(os.path.dirname(configgen.__file__))",
        ]
    ).stdout.strip()
    digest = hashlib.sha256()
    for path in sorted(Path(site).rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(path.relative_to(site).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def versions(python: Path) -> dict[str, str]:
    code = (
        "import importlib.metadata as m, json, sys, importlib.util as u\n"
        f"names = {list(VERSIONED)!r}\n"
        "out = {}\n"
        "for n in names:\n"
        "    try: out[n] = m.version(n)\n"
        "    except m.PackageNotFoundError: pass\n"
        "out['python'] = sys.version.split()[0]\n"
        "out['ruamel C extension'] = 'yes' if u.find_spec('_ruamel_yaml') else 'no'\n"
        "try:\n"
        "    import yaml; out['PyYAML libyaml'] = 'yes' if yaml.__with_libyaml__ else 'no'\n"
        "except ImportError: pass\n"
        "print(json.dumps(out))\n"
    )
    proc = subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=False)
    return json.loads(proc.stdout) if proc.returncode == 0 else {}


def machine() -> dict[str, str]:
    info = {"nproc": str(os.cpu_count()), "usable CPUs": str(len(os.sched_getaffinity(0)))}
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        m = re.search(r"^model name\s*:\s*(.+)$", cpuinfo, re.M)
        info["CPU"] = m.group(1).strip() if m else "?"
        m = re.search(r"^cpu MHz\s*:\s*(.+)$", cpuinfo, re.M)
        if m:
            info["CPU MHz"] = m.group(1).strip()
        m = re.search(r"^MemTotal:\s*(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
        if m:
            info["memory"] = f"{int(m.group(1)) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    info["kernel"] = platform.release()
    info["OS"] = platform.platform()
    info["harness Python"] = sys.version.split()[0]
    hf = (
        subprocess.run(["hyperfine", "--version"], capture_output=True, text=True, check=False)
        if shutil.which("hyperfine")
        else None
    )
    info["hyperfine"] = hf.stdout.strip() if hf and hf.returncode == 0 else "not installed"
    return info


def git_state() -> str:
    head = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    ).stdout.strip()
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", *BUILD_FILES],
        capture_output=True,
        text=True,
        cwd=REPO,
        check=False,
    ).stdout.splitlines()
    return f"{head}" + (
        f" + {len(dirty)} uncommitted change(s) in the package sources" if dirty else " (clean)"
    )


# --------------------------------------------------------------------------------------------
# Report


def fmt_s(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def results_table(group: Group, show_hyperfine: bool) -> list[str]:
    peers = {c.tool: c for c in group.commands if c.tool in (CJ, YL)}
    head = "| tool | case | median | min–max | × check-jsonschema | × yamllint | peak RSS |"
    sep = "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
    if show_hyperfine:
        head += " hyperfine median (block mode) |"
        sep += " ---: |"
    lines = [head, sep]
    for c in group.commands:
        if not c.times:
            lines.append(f"| {c.tool} | {c.label} | not run: {c.check.get('last', '')} |||||")
            continue
        ratios = []
        for peer_tool in (CJ, YL):
            peer = peers.get(peer_tool)
            if peer is None or peer is c or not peer.times:
                ratios.append("")
                continue
            # The one-file HOCON and render cases compare with check-jsonschema on the values file.
            ratios.append(f"{c.median / peer.median:.2f}")
        row = (
            f"| {c.tool} | {c.label} | {fmt_s(c.median)} "
            f"| {fmt_s(min(c.times))}–{fmt_s(max(c.times))} "
            f"| {ratios[0]} | {ratios[1]} | {c.peak_mib:.1f} MiB |"
        )
        if show_hyperfine:
            row += f" {fmt_s(c.hyperfine['median'])} |" if c.hyperfine else " |"
        lines.append(row)
    return lines


def growth_table(bench: Bench) -> list[str]:
    sizes = inputs.GROWTH_LINES
    series = [(CG, "values"), (CJ, "values"), (YL, "values"), (CG, "HOCON")]
    lines = [
        "| tool | input | "
        + " | ".join(f"{s:,} lines" for s in sizes)
        + " | ms per 1,000 lines: 100→1k, 1k→10k | peak RSS at 10,000 |",
        "| --- | --- | " + " | ".join("---:" for _ in sizes) + " | ---: | ---: |",
    ]
    for tool, kind in series:
        sl = growth_slopes(bench, tool, kind)
        if sl is None:
            continue
        lines.append(
            f"| {tool} | {kind} | "
            + " | ".join(
                f"{fmt_s(c.median)} ({fmt_s(min(c.times))}–{fmt_s(max(c.times))})"
                for c in sl.series
            )
            + f" | {sl.lo * 1000:.0f} ± {sl.lo_error * 1000:.0f}, {sl.hi * 1000:.0f} "
            f"| {sl.series[-1].peak_mib:.1f} MiB |"
        )
    return lines


def verdict_table(vs: list[Verdict]) -> list[str]:
    lines = [
        "| target | measured | limit | result | detail |",
        "| --- | ---: | ---: | :---: | --- |",
    ]
    for v in vs:
        lines.append(
            f"| {v.target} | {v.measured} | {v.limit} "
            f"| {v.result if v.passed else f'**{v.result}**'} | {v.detail} |"
        )
    return lines


def profile_row(filename: str, line: int, func: str, n: int, own: float, cum: float) -> str:
    return f"| `{filename}:{line}({func})` | {n} | {own * 1000:.0f} ms | {cum * 1000:.0f} ms |"


def profile_section(profiles: list[tuple[Verdict, Profile]]) -> list[str]:
    if not profiles:
        return ["Every target passed: nothing to profile."]
    out = [
        "For each missed target, configgen's command was run once more under",
        "`python -X importtime -m configgen ...` and `python -m cProfile -m configgen ...` (same",
        "inputs, same working directory, the non-editable install). Profiling inflates times; read",
        "the shares, not the absolute numbers.",
        "",
    ]
    table = ["| function | calls | own | cumulative |", "| --- | ---: | ---: | ---: |"]
    for v, p in profiles:
        out += [f"### {v.target}", "", f"`{p.command}`" + (f" ({p.note})" if p.note else ""), ""]
        out.append(
            f"- import time (`-X importtime`, sum of self times): **{p.import_total_s:.3f} s**"
            + (f"; cProfile total {p.cprofile_total_s:.3f} s" if p.cprofile_total_s else "")
        )
        top = ", ".join(f"`{n}` {s * 1000:.0f} ms" for n, s in p.import_top[:8])
        out.append(f"- top-level imports (cumulative): {top}")
        pk = ", ".join(f"`{n}` {s * 1000:.0f} ms" for n, s in p.import_by_package[:8])
        out.append(f"- import time by package (self): {pk}")
        if p.tottime_by_package:
            tp = ", ".join(f"`{n}` {s * 1000:.0f} ms" for n, s in p.tottime_by_package)
            out.append(f"- cProfile own time by package: {tp}")
        if p.by_cumtime:
            out += ["", "<details><summary>cProfile: top functions</summary>", ""]
            out += ["By cumulative time (configgen and libraries):", "", *table]
            out += [profile_row(*row) for row in p.by_cumtime]
            out += ["", "By own time:", "", *table]
            out += [profile_row(*row) for row in p.by_tottime]
            out += ["", "</details>"]
        out.append("")
    return out


def clib_note(bench: Bench) -> list[str]:
    """What the ratios would be against check-jsonschema with ruamel's C extension."""
    many = len(bench.tree.many_values)
    rows = []
    for group, label in (("single", "lint 1 values"), ("many", f"lint {many} values")):
        cg, cj_c = bench.find(group, CG, label), bench.find(group, CJ_C, label)
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


def busy_note(bench: Bench) -> list[str]:
    """A warning when other work ran on the machine during the timing."""
    peak = max((load[0] for g in bench.groups for load in g.load), default=0.0)
    cpus = os.cpu_count() or 1
    if peak <= 1 + 0.25 * cpus:  # the command being timed accounts for about 1
        return []
    return [
        f"> **The machine was busy**: 1-minute load average up to {peak:.2f} on {cpus} CPUs "
        "while timing (the harness runs one command at a time, about 1 of that). "
        "Absolute times are inflated and noisier; alternation keeps the ratios comparable. "
        "Repeat on a quiet machine before drawing fine conclusions.",
        "",
    ]


def write_report(
    path: Path,
    bench: Bench,
    meta: dict[str, Any],
    vs: list[Verdict],
    profiles: list[tuple[Verdict, Profile]],
) -> None:
    passed = sum(v.passed for v in vs)
    lines = [
        "# Benchmarks",
        "",
        f"Written by `{meta['invocation']}` on {meta['date']}"
        + (" (QUICK run: few rounds, not for the record)" if bench.mode == "quick" else "")
        + "; do not edit by hand. How to run it and what it measures: "
        "[benchmarks/README.md](../benchmarks/README.md).",
        "",
        f"## Targets: {passed} of {len(vs)} pass",
        "",
        "Ratios are configgen's median wall time over the peer's, both measured in this run, in",
        "alternating rounds. Per-round ratios (the two commands ran next to each other) show the",
        "spread; *borderline* means the limit lies between their quartiles, so another run on a",
        "machine this noisy may well flip the result.",
        "",
        *verdict_table(vs),
        "",
        *busy_note(bench),
        *clib_note(bench),
        "## Machine and versions",
        "",
        "| | |",
        "| --- | --- |",
        *(f"| {k} | {v} |" for k, v in meta["machine"].items()),
        f"| load average (1, 5, 15 min), start / end | {meta['load_start']} / {meta['load_end']} |",
        f"| configgen source | {meta['git']}; installed package hash {meta['package_hash']} |",
        f"| total run time | {meta['elapsed']} |",
        "",
        "| package | configgen venv | peers venv | editable .venv | peers (C ext) venv |",
        "| --- | --- | --- | --- | --- |",
    ]
    vers = meta["versions"]
    assert isinstance(vers, dict)
    names = sorted(
        set().union(*(set(d) for d in vers.values())), key=lambda n: (n != "python", n.lower())
    )
    for name in names:
        lines.append(
            "| "
            + name
            + " | "
            + " | ".join(
                vers[k].get(name, "–") for k in ("configgen", "peers", "editable", "peers (C ext)")
            )
            + " |"
        )
    lines += [
        "",
        "## Method",
        "",
        "- **Inputs** (`benchmarks/inputs/`, deterministic): Helm values files with many "
        "unrelated sections (global, ingress, stackstate.components.*, hbase, kafka, ... with "
        "resources, affinity, extra environment, literal config blocks) plus "
        "`stackstate.authentication` with a bootstrap token and a login provider; HOCON files "
        "like `application_stackstate.conf` (akka, services, tuning, `${?VAR}` substitutions, "
        "comments) plus the `stackstate.api.authentication.authServer` block. "
        f"One file: {inputs.SINGLE_LINES} lines; {meta['many']} files: "
        f"{inputs.MANY_LINES[0]}–{inputs.MANY_LINES[1]} lines each "
        f"({meta['many_lines_values']:,} values lines, {meta['many_lines_hocon']:,} HOCON lines "
        f"in all); growth: {', '.join(f'{s:,}' for s in inputs.GROWTH_LINES)} lines. "
        "Written to a fresh temporary directory outside any project (the working directory of "
        "every command), so no `.configgen.yaml`, `pyproject.toml` or `.yamllint` is discovered.",
        "- **Equivalent work**: `check-jsonschema --schemafile "
        "benchmarks/schemas/authentication-section.schema.json` validates the "
        "`stackstate.authentication` section of the same files (the schema is `configgen schema "
        f"helm-values`: {meta['schema_state']}); `yamllint` runs its default rules on the same "
        "files. All three tools find every input clean (checked below).",
        "- **configgen** is the non-editable wheel built from the working tree and installed in "
        "`.bench/configgen-venv`; `configgen (editable)` is the developer `.venv` (editable "
        "install), shown for start-up-bound cases only. Peers: `.bench/peers-venv` "
        "(`pip install check-jsonschema yamllint`, default wheels: see `ruamel C extension`).",
        "- **Timing**: the harness's own alternating loop (not hyperfine's block mode): within "
        "each group every round runs each command once, the first command rotating from round "
        "to round; warm-up rounds first (plus one validation run per command, also a warm-up). "
        "Wall time is "
        "`time.perf_counter()` around `os.posix_spawn` + `os.wait4` (no shell, output to "
        "/dev/null, exit codes ignored). "
        + (
            "Every run goes through `/usr/bin/time -f %M` for its peak memory (maximum resident "
            "set of the tool's process; reported as the maximum over the runs); the wrapper's own "
            f"cost, {meta['wrapper_ms']:.2f} ms (median, `/bin/true` with and without it), is "
            "subtracted from every wall time. (The harness's own `wait4` cannot give the peak: "
            "Linux keeps the high-water mark of the image `exec` replaces, i.e. of the harness.)"
            if meta["wrapper_ms"] is not None
            else "**`/usr/bin/time` is missing: peak memory includes the harness's own resident "
            "set and is not meaningful.**"
        )
        + " CPU time (user + system of the tool, from the same `wait4`) is kept in "
        "`.bench/results.json`: in this run it differed from the wall time by "
        f"{meta['cpu_vs_wall']:.1%} (median over all runs), "
        + (
            "so the spread below is the CPU running slower at times (e.g. other work on the "
            "host), not the tools waiting for a CPU."
            if meta["cpu_vs_wall"] < 0.05
            else "so part of the spread below is the tools waiting for a CPU."
        )
        + " Medians and min–max over the counted rounds; ratios are medians over medians.",
        "- **Rounds** (counted + warm-up): "
        + "; ".join(f"{g.key} {g.rounds} + {g.warmup}" for g in bench.groups)
        + ".",
        "- **Linear growth** is checked as the marginal cost per 1,000 lines from 1,000 to 10,000 "
        "lines over that from 100 to 1,000 lines: ≈ 1 when linear, ≈ 11 when quadratic; the target "
        "passes at ≤ 2. All sizes run in one alternating group, and each marginal cost is the "
        "median of per-round differences, so load drift between rounds cancels out. When the "
        "100→1,000 cost is within start-up noise (± is its standard error), the check uses its "
        "upper estimate (+ 2 standard errors): noise cannot fail a linear tool, a quadratic one "
        "still fails.",
        "- **Cross-check**: in full runs, hyperfine "
        f"(`hyperfine -N -i --warmup 2 --runs {HYPERFINE_RUNS}`, block mode, same commands and "
        "working directory) on the help and one-file groups; its medians are in the last column.",
        "",
        "## Results",
        "",
    ]
    for group in bench.groups:
        if group.key.startswith("growth"):
            continue
        lines += [
            f"### {group.title}",
            "",
            f"{group.rounds} rounds + {group.warmup} warm-up, {group.seconds:.0f} s; load "
            f"{group.load[0][0]:.2f} → {group.load[-1][0]:.2f}.",
            "",
            *results_table(group, any(c.hyperfine for c in group.commands)),
            "",
        ]
    growth = next((g for g in bench.groups if g.key == "growth"), None)
    if growth is not None:
        lines += [
            "### Growth with file size (one file per invocation)",
            "",
            f"{growth.rounds} rounds + {growth.warmup} warm-up, {growth.seconds:.0f} s; load "
            f"{growth.load[0][0]:.2f} → {growth.load[-1][0]:.2f}. Median (min–max); the cost per "
            "1,000 lines is the median of per-round differences between neighbouring sizes.",
            "",
            *growth_table(bench),
            "",
        ]
    lines += ["## Where configgen's time goes (missed targets)", "", *profile_section(profiles), ""]
    lines += [
        "## Validation run (exit code and last line of output per command)",
        "",
        "| group | tool | case | exit | output lines | last line |",
        "| --- | --- | --- | ---: | ---: | --- |",
    ]
    for group in bench.groups:
        for c in group.commands:
            last = str(c.check.get("last", "")).replace("|", "\\|")
            lines.append(
                f"| {group.key} | {c.tool} | {c.label} | {c.check.get('exit')} "
                f"| {c.check.get('lines')} | {last} |"
            )
    lines += [
        "",
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
        "python -m benchmarks.inputs /tmp/configgen-bench && cd /tmp/configgen-bench",
        "```",
        "",
        "```sh",
    ]
    seen = set()
    for group in bench.groups:
        for c in group.commands:
            if c.shown not in seen:
                seen.add(c.shown)
                lines.append(c.shown)
    lines += [
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
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines))


# --------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="few rounds: checks the harness end to end (~2 min)"
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="report path (default: docs/benchmarks.md; .bench/benchmarks-quick.md with --quick)",
    )
    parser.add_argument(
        "--no-install", action="store_true", help="reuse .bench/configgen-venv as it is"
    )
    parser.add_argument("--refresh-peers", action="store_true", help="reinstall the peers")
    parser.add_argument(
        "--no-peer-clib",
        action="store_true",
        help="do not time check-jsonschema with ruamel's C extension (context only)",
    )
    parser.add_argument(
        "--no-editable", action="store_true", help="do not time the developer .venv"
    )
    parser.add_argument(
        "--no-hyperfine", action="store_true", help="skip the hyperfine cross-check"
    )
    parser.add_argument("--no-profile", action="store_true", help="skip profiling missed targets")
    parser.add_argument("--keep", action="store_true", help="keep the inputs directory")
    args = parser.parse_args()
    mode = "quick" if args.quick else "full"
    out = args.out or (
        CACHE / "benchmarks-quick.md" if args.quick else REPO / "docs" / "benchmarks.md"
    )
    out = out if out.is_absolute() else Path.cwd() / out
    started = time.perf_counter()
    load_start = os.getloadavg()

    CACHE.mkdir(exist_ok=True)
    clib = not args.no_peer_clib
    ensure_peers(args.refresh_peers, clib)
    package_hash = install_configgen(args.no_install)
    editable = not args.no_editable and (EDITABLE_VENV / "bin" / "configgen").exists()

    work = Path(tempfile.mkdtemp(prefix="configgen-bench-"))
    try:
        print(f"writing inputs into {work} ...")
        tree = inputs.write_tree(work, many=QUICK_MANY if args.quick else inputs.MANY)
        os.chdir(work)
        bench = Bench(work, tree, editable, clib, mode)
        bench.build()

        schema_now = subprocess.run(
            [bench.tools[CG], "schema", "helm-values"], capture_output=True, text=True, check=False
        ).stdout
        schema_state = (
            "identical to the current output"
            if schema_now == SCHEMA.read_text()
            else "**differs from the current output: refresh it**"
        )

        runner = Runner(work)
        print("validation run (one run per command, output kept) ...")
        for group in bench.groups:
            bad = [c for c in group.commands if not validate(c)]
            for c in bad:
                print(f"  ! {c.tool} {c.label}: exit {c.check['exit']}: {c.check['last']}")
                if c.tool == CG_ED:  # a colleague's half-edited tree: leave it out
                    group.commands.remove(c)

        for group in bench.groups:
            print(
                f"timing {group.key}: {len(group.commands)} commands × {group.rounds} rounds "
                f"(+{group.warmup} warm-up) ..."
            )
            run_group(group, runner)
            for c in group.commands:
                print(
                    f"  {c.tool:<21} {c.label:<24} median {fmt_s(c.median):>8}  "
                    f"range {fmt_s(min(c.times))}–{fmt_s(max(c.times))}  "
                    f"peak {c.peak_mib:.1f} MiB"
                )

        if mode == "full" and not args.no_hyperfine and shutil.which("hyperfine"):
            for group in bench.groups:
                if group.key in ("help", "single"):
                    print(f"hyperfine cross-check: {group.key} ...")
                    hyperfine_check(group, CACHE)

        vs = verdicts(bench)
        profiles: list[tuple[Verdict, Profile]] = []
        if not args.no_profile:
            done: set[str] = set()
            for v in vs:
                if not v.passed and v.profile is not None and v.profile.key not in done:
                    done.add(v.profile.key)
                    print(f"profiling: {v.profile.tool} {v.profile.label} ...")
                    profiles.append((v, profile(v.profile, work)))

        meta = {
            "invocation": "python benchmarks/run.py" + (" --quick" if args.quick else ""),
            "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": machine(),
            "versions": {
                "configgen": versions(CONFIGGEN_VENV / "bin" / "python"),
                "peers": versions(PEERS_VENV / "bin" / "python"),
                "peers (C ext)": versions(PEERS_CLIB_VENV / "bin" / "python") if clib else {},
                "editable": versions(EDITABLE_VENV / "bin" / "python") if editable else {},
            },
            "git": git_state(),
            "package_hash": package_hash,
            "schema_state": schema_state,
            "load_start": ", ".join(f"{x:.2f}" for x in load_start),
            "load_end": ", ".join(f"{x:.2f}" for x in os.getloadavg()),
            "wrapper_ms": runner.overhead.wall * 1000 if runner.wrapped else None,
            "cpu_vs_wall": statistics.median(
                abs(w - c) / w
                for g in bench.groups
                for cmd in g.commands
                for w, c in zip(cmd.times, cmd.cpu, strict=True)
            ),
            "many": len(tree.many_values),
            "many_lines_values": sum(inputs.line_count(work / p) for p in tree.many_values),
            "many_lines_hocon": sum(inputs.line_count(work / p) for p in tree.many_hocon),
        }
        meta["elapsed"] = f"{(time.perf_counter() - started) / 60:.1f} min"
        write_report(out, bench, meta, vs, profiles)
        raw = {
            "meta": meta,
            "groups": [
                {
                    "key": g.key,
                    "rounds": g.rounds,
                    "warmup": g.warmup,
                    "load": g.load,
                    "commands": [
                        {
                            "tool": c.tool,
                            "label": c.label,
                            "shown": c.shown,
                            "times": c.times,
                            "cpu": c.cpu,
                            "rss_kib": c.rss_kib,
                            "rounds": c.rounds,
                            "check": c.check,
                            "hyperfine": c.hyperfine,
                        }
                        for c in g.commands
                    ],
                }
                for g in bench.groups
            ],
            "verdicts": [
                {
                    "target": v.target,
                    "measured": v.measured,
                    "limit": v.limit,
                    "passed": v.passed,
                    "detail": v.detail,
                }
                for v in vs
            ],
            "profiles": [{"target": v.target, **dataclasses.asdict(p)} for v, p in profiles],
        }
        (CACHE / ("results-quick.json" if args.quick else "results.json")).write_text(
            json.dumps(raw, indent=1, default=str)
        )
    finally:
        os.chdir(REPO)
        if args.keep:
            print(f"inputs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)

    print()
    width = max(len(v.target) for v in vs)
    print(f"{'target':<{width}}  {'ratio':>7}  {'limit':<22} result")
    for v in vs:
        print(f"{v.target:<{width}}  {v.measured:>7}  {v.limit:<22} {v.result:<18} {v.detail}")
    print(f"\n{sum(v.passed for v in vs)} of {len(vs)} targets pass; report: {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
