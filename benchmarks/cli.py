"""``python -m benchmarks``: install, write the inputs, validate, time, check, profile, report.

1. Installs the peers (``pip install check-jsonschema yamllint``) into ``.bench/peers-venv``
   (once), and configgen from the working tree, non-editable, into ``.bench/configgen-venv``
   (every run, so the numbers are the tree's).  The developer's editable ``.venv`` is timed
   too where start-up matters, to show what the editable finder costs.
2. Writes the inputs (``benchmarks/inputs/``, deterministic) into a fresh temporary directory
   outside any project, so neither configgen nor yamllint finds a configuration file there;
   every command runs with that directory as its working directory.
3. Runs every command once, keeping its output: exit codes and findings are checked and
   reported.  This is also the first warm-up run.
4. Times each group in alternating rounds (``runner``): wall time around ``posix_spawn`` +
   ``wait4``, peak memory from GNU time.
5. Cross-checks the small groups with hyperfine (block mode, ``-N -i``) in full runs.
6. Checks every target (``targets``), and for each missed target profiles configgen's command
   (``profiling``).
7. Writes the report (``--out``; default ``docs/benchmarks.md``, or
   ``.bench/benchmarks-quick.md`` for ``--quick``) and the raw samples to
   ``.bench/results.json``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks import environment, inputs
from benchmarks.commands import CG, CG_ED
from benchmarks.groups import QUICK_MANY, Suite, build_suite
from benchmarks.hyperfine import hyperfine_check
from benchmarks.paths import CACHE, CONFIGGEN_VENV, EDITABLE_VENV, PEERS_CLIB_VENV, PEERS_VENV, REPO
from benchmarks.profiling import Profile, profile
from benchmarks.report import write_report
from benchmarks.results import raw_results, write_results
from benchmarks.runinfo import RunInfo
from benchmarks.runner import Runner, run_group, validate
from benchmarks.stats import cpu_vs_wall
from benchmarks.tables import fmt_range, fmt_s
from benchmarks.targets import Verdict, evaluate


@dataclass(frozen=True)
class Options:
    quick: bool
    out: Path
    install: bool
    refresh_peers: bool
    clib: bool
    editable: bool
    hyperfine: bool
    profile: bool
    keep: bool

    @property
    def mode(self) -> str:
        return "quick" if self.quick else "full"


def parse_args(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Time configgen against check-jsonschema and yamllint; check the targets.",
    )
    add = parser.add_argument
    add("--quick", action="store_true", help="few rounds: checks the harness end to end")
    add(
        "--out",
        type=Path,
        help="report path (default: docs/benchmarks.md; .bench/benchmarks-quick.md with --quick)",
    )
    add("--no-install", action="store_true", help="reuse .bench/configgen-venv as it is")
    add("--refresh-peers", action="store_true", help="reinstall the peers")
    add(
        "--no-peer-clib",
        action="store_true",
        help="do not time check-jsonschema with ruamel's C extension (context only)",
    )
    add("--no-editable", action="store_true", help="do not time the developer .venv")
    add("--no-hyperfine", action="store_true", help="skip the hyperfine cross-check")
    add("--no-profile", action="store_true", help="skip profiling missed targets")
    add("--keep", action="store_true", help="keep the inputs directory")
    args = parser.parse_args(argv)
    out = args.out or (
        CACHE / "benchmarks-quick.md" if args.quick else REPO / "docs" / "benchmarks.md"
    )
    return Options(
        quick=args.quick,
        out=out if out.is_absolute() else Path.cwd() / out,
        install=not args.no_install,
        refresh_peers=args.refresh_peers,
        clib=not args.no_peer_clib,
        editable=not args.no_editable and (EDITABLE_VENV / "bin" / "configgen").exists(),
        hyperfine=not args.no_hyperfine,
        profile=not args.no_profile,
        keep=args.keep,
    )


@dataclass(frozen=True)
class Start:
    """What is known before the inputs are written."""

    clock: float  # time.perf_counter()
    load: tuple[float, float, float]
    package_hash: str


def main(argv: list[str] | None = None) -> int:
    opts = parse_args(argv)
    clock, load = time.perf_counter(), os.getloadavg()
    CACHE.mkdir(exist_ok=True)
    environment.ensure_peers(opts.refresh_peers, opts.clib)
    start = Start(clock, load, environment.install_configgen(skip=not opts.install))
    work = Path(tempfile.mkdtemp(prefix="configgen-bench-"))
    try:
        verdicts = run(opts, work, start)
    finally:
        os.chdir(REPO)
        if opts.keep:
            print(f"inputs kept in {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    print_summary(verdicts, opts.out)
    return 0


def run(opts: Options, work: Path, start: Start) -> list[Verdict]:
    """Everything from the inputs to the report, in ``work``."""
    print(f"writing inputs into {work} ...")
    tree = inputs.write_tree(work, many=QUICK_MANY if opts.quick else inputs.MANY)
    os.chdir(work)
    tools = environment.tool_paths(opts.editable, opts.clib)
    suite = build_suite(tree, tools, opts.mode)
    schema_state = environment.schema_state(tools[CG])
    runner = Runner(work)
    measure(suite, runner, opts)
    verdicts = evaluate(suite)
    profiles = profile_missed(verdicts, work) if opts.profile else []
    info = run_info(suite, runner, opts, start)
    info.schema_state = schema_state
    info.many_lines_values = sum(inputs.line_count(work / p) for p in tree.many_values)
    info.many_lines_hocon = sum(inputs.line_count(work / p) for p in tree.many_hocon)
    write_report(opts.out, suite, info, verdicts, profiles)
    results = CACHE / ("results-quick.json" if opts.quick else "results.json")
    write_results(results, raw_results(suite, info, verdicts, profiles))
    return verdicts


def measure(suite: Suite, runner: Runner, opts: Options) -> None:
    """The validation run, the timed rounds, and in full runs the hyperfine cross-check."""
    print("validation run (one run per command, output kept) ...")
    for group in suite.groups:
        for c in [c for c in group.commands if not validate(c)]:
            if c.check:
                print(f"  ! {c.tool} {c.label}: exit {c.check.exit}: {c.check.last}")
            if c.tool == CG_ED:  # a colleague's half-edited tree: leave it out
                group.commands.remove(c)
    for group in suite.groups:
        print(
            f"timing {group.key}: {len(group.commands)} commands × {group.rounds} rounds "
            f"(+{group.warmup} warm-up) ..."
        )
        run_group(group, runner)
        for c in group.commands:
            print(
                f"  {c.tool:<21} {c.label:<24} median {fmt_s(c.median):>8}  "
                f"range {fmt_range(c)}  peak {c.peak_mib:.1f} MiB"
            )
    if opts.mode == "full" and opts.hyperfine and shutil.which("hyperfine"):
        for group in suite.groups:
            if group.key in ("help", "single"):
                print(f"hyperfine cross-check: {group.key} ...")
                hyperfine_check(group, CACHE)


def profile_missed(verdicts: list[Verdict], work: Path) -> list[tuple[Verdict, Profile]]:
    """Profile configgen's command of every missed target (each command once)."""
    profiles = []
    done: set[str] = set()
    for v in verdicts:
        if not v.passed and v.profile is not None and v.profile.shown not in done:
            done.add(v.profile.shown)
            print(f"profiling: {v.profile.tool} {v.profile.label} ...")
            profiles.append((v, profile(v.profile, work, CONFIGGEN_VENV / "bin" / "python")))
    return profiles


def run_info(suite: Suite, runner: Runner, opts: Options, start: Start) -> RunInfo:
    """Machine, versions, git state, load and timing facts of the run."""
    python = "bin/python"
    return RunInfo(
        invocation="python -m benchmarks" + (" --quick" if opts.quick else ""),
        date=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        machine=environment.machine(),
        versions={
            "configgen": environment.versions(CONFIGGEN_VENV / python),
            "peers": environment.versions(PEERS_VENV / python),
            "peers (C ext)": environment.versions(PEERS_CLIB_VENV / python) if opts.clib else {},
            "editable": environment.versions(EDITABLE_VENV / python) if opts.editable else {},
        },
        git=environment.git_state(),
        package_hash=start.package_hash,
        load_start=", ".join(f"{x:.2f}" for x in start.load),
        load_end=", ".join(f"{x:.2f}" for x in os.getloadavg()),
        wrapper_ms=runner.overhead.wall * 1000 if runner.wrapped else None,
        cpu_vs_wall=cpu_vs_wall(
            (w, c)
            for g in suite.groups
            for cmd in g.commands
            for w, c in zip(cmd.times, cmd.cpu, strict=True)
        ),
        many=suite.many,
        elapsed=f"{(time.perf_counter() - start.clock) / 60:.1f} min",
    )


def print_summary(verdicts: list[Verdict], out: Path) -> None:
    print()
    width = max(len(v.target) for v in verdicts)
    print(f"{'target':<{width}}  {'measured':>8}  {'limit':<22} result")
    for v in verdicts:
        print(f"{v.target:<{width}}  {v.measured:>8}  {v.limit:<22} {v.result:<18} {v.detail}")
    print(f"\n{sum(v.passed for v in verdicts)} of {len(verdicts)} targets pass; report: {out}")


if __name__ == "__main__":
    sys.exit(main())
