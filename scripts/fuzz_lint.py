"""Fuzz ``configgen lint`` for longer than the test suite does: same inputs, same properties.

    .venv/bin/python scripts/fuzz_lint.py --minutes 10          # run for ten minutes
    .venv/bin/python scripts/fuzz_lint.py --examples 100000     # run 100,000 examples
    .venv/bin/python scripts/fuzz_lint.py --minutes 60 --kind hocon --seed 7 --out fuzz-out

The strategies (random text biased towards each format's structure, and mutated corpus files
with a planted token) and the properties (``check``: never raises, no ``internal-error``,
positions inside the file, one-line messages, the planted token never shown) are those of
``testing/fuzz.py``, shared with ``tests/lint/test_fuzz.py`` so that the two never drift apart.
This script adds a large, time- or count-bounded budget, random seeds (printed, so a run can be
repeated with ``--seed``), a per-example time limit (``--slow``, default 5 s: a hang guard that
interrupts the example), and minimal reproducers.

Each broken property is shrunk by Hypothesis to a minimal input (slow examples are not shrunk:
re-running them would spend the budget) and written to ``--out`` (default ``fuzz-failures/``)
as the input itself (``<kind>-<hash>.yaml|conf``; ``configgen lint --kind <kind> FILE`` replays
it) and a ``.txt`` report (the broken properties, the options, the traceback of an internal
error).  Failures with the same signature are written once.  Exit status: 0 when no property
broke, 1 otherwise.  Results are recorded by hand in ``docs/fuzzing.md``.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import os
import platform
import re
import signal
import sys
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for the testing package

import hypothesis  # noqa: E402
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402

from configgen.lint import run as lint  # noqa: E402
from testing import fuzz as props  # noqa: E402

BATCH = 1000  # examples per Hypothesis run; each run has its own seed
SUFFIX = {"helm": ".yaml", "hocon": ".conf"}


@dataclass
class Failure:
    sample: props.Sample
    options: lint.LintOptions
    problems: list[str]
    seconds: float


@dataclass
class Stats:
    examples: Counter[str] = field(default_factory=Counter)  # per "kind/source"
    failures: dict[str, Path] = field(default_factory=dict)  # signature -> report file
    slowest: tuple[float, str] = (0.0, "")  # of the examples that finished
    slow: int = 0  # examples interrupted by the --slow limit
    errors: list[str] = field(default_factory=list)  # batches that ended for another reason


def signature(failure: Failure) -> str:
    """What the failure is, without positions or quoted text: one file per distinct bug."""
    first = failure.problems[0]
    first = re.sub(r"^\d+:\d+ ", "", first)
    first = re.sub(r"'[^']*'|\"[^\"]*\"|\d+", "_", first)
    return f"{failure.sample.kind}: {first[:120]}"


def write_reproducer(failure: Failure, out: Path, seed: int) -> Path:
    out.mkdir(parents=True, exist_ok=True)
    sample = failure.sample
    data = sample.text.encode("utf-8", "surrogatepass")
    stem = f"{sample.kind}-{hashlib.sha256(data).hexdigest()[:12]}"
    (out / f"{stem}{SUFFIX[sample.kind]}").write_bytes(data)
    lines = [
        f"kind: {sample.kind}",
        f"seed file: {sample.seed or '(random text)'}",
        f"planted token: {sample.planted or '(none)'}",
        f"options: product={failure.options.profile}, "
        f"require_token={failure.options.require_token}",
        f"hypothesis seed of the run: {seed}",
        f"seconds: {failure.seconds:.2f}",
        f"text: {sample.text!r}",
        "problems:",
        *(f"  {p}" for p in failure.problems),
    ]
    if any("internal error" in p for p in failure.problems):
        try:
            lint._lint("fuzz", sample.text, sample.kind, failure.options)
        except Exception as err:
            lines += ["traceback:", *traceback.format_exception(err, chain=False)]
    report = out / f"{stem}.txt"
    report.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return report


class TooSlow(BaseException):
    """Raised by the alarm: a BaseException, so that lint's ``except Exception`` cannot keep it."""


def _on_alarm(_signum: int, _frame: Any) -> None:
    signal.setitimer(signal.ITIMER_REAL, 0.05)  # again soon, if a callback swallows this one
    raise TooSlow


def run_batch(kind: str, count: int, seed: int, args: argparse.Namespace, stats: Stats) -> None:
    """One Hypothesis run of ``count`` examples.

    A broken property is shrunk by Hypothesis and written out.  An example that runs longer
    than ``--slow`` is interrupted and written out as it is (shrinking slow examples would spend
    the budget re-running them), and the run goes on.
    """
    last: list[Failure] = []
    slow, out, max_pieces = args.slow, args.out, args.max_pieces

    @settings(
        max_examples=count,
        deadline=None,
        database=None,
        phases=[Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
    )
    @given(sample=props.samples(kind, max_pieces), options=props.options_strategy())
    @hypothesis.seed(seed)
    def fuzz(sample: props.Sample, options: lint.LintOptions) -> None:
        source = {"": "random", props.ALIASES: "aliases"}.get(sample.seed, "mutated")
        stats.examples[f"{kind}/{source}"] += 1
        start = time.monotonic()
        try:
            signal.setitimer(signal.ITIMER_REAL, slow)
            problems = props.check(sample, options)
        except TooSlow:
            stats.slow += 1
            problem = f"still running after {slow:g} s (interrupted; --slow)"
            record(Failure(sample, options, [problem], time.monotonic() - start), seed, stats, out)
            return
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        seconds = time.monotonic() - start
        if seconds > stats.slowest[0]:
            stats.slowest = (seconds, f"{kind} {len(sample.text)} chars")
        if problems:
            last.append(Failure(sample, options, problems, seconds))
            raise AssertionError(problems)

    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        fuzz()
    except Exception as err:  # the property failed (or Hypothesis gave up on a flaky one)
        if not last:
            stats.errors.append(f"{kind} seed {seed}: {type(err).__name__}: {err}")
            return
        record(last[-1], seed, stats, out)  # Hypothesis replays the minimal example last
    finally:
        signal.signal(signal.SIGALRM, previous)


def record(failure: Failure, seed: int, stats: Stats, out: Path) -> None:
    """Write ``failure`` out unless one with the same signature already was."""
    key = signature(failure)
    if key not in stats.failures:
        stats.failures[key] = write_reproducer(failure, out, seed)
        print(f"  FAILURE {key}\n    -> {stats.failures[key]}", flush=True)


def revision() -> str:
    """The configgen version and git commit being fuzzed (``+dirty`` with local changes)."""
    import subprocess

    from configgen import __version__

    def git(*args: str) -> str:
        try:
            done = subprocess.run(  # noqa: S603 - fixed arguments, no input from the fuzzer
                ["git", *args],  # noqa: S607 - whichever git is on PATH
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
                timeout=10,
            )
        except (OSError, subprocess.SubprocessError):
            return ""
        return done.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown commit"
    dirty = "+dirty" if git("status", "--porcelain", "--untracked-files=no", "configgen") else ""
    return f"configgen {__version__} at {commit}{dirty}"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    return (
        f"{platform.system()} {platform.release()} {cpu}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, hypothesis {hypothesis.__version__}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    budget = parser.add_mutually_exclusive_group()
    budget.add_argument("--examples", type=int, help="stop after this many examples")
    budget.add_argument("--minutes", type=float, help="stop after this much wall time")
    parser.add_argument("--kind", choices=["helm", "hocon", "both"], default="both")
    parser.add_argument("--seed", type=int, help="first run's seed (default: random, printed)")
    parser.add_argument("--slow", type=float, default=5.0, help="per-example limit, seconds")
    parser.add_argument("--out", type=Path, default=Path("fuzz-failures"))
    parser.add_argument(
        "--max-pieces", type=int, default=200, help="random text: snippets per example"
    )
    args = parser.parse_args(argv)
    if args.examples is None and args.minutes is None:
        args.examples = 10_000
    kinds = ["helm", "hocon"] if args.kind == "both" else [args.kind]
    first_seed = args.seed if args.seed is not None else int.from_bytes(os.urandom(4), "big")
    started = datetime.datetime.now(datetime.timezone.utc)
    print(f"{revision()} lint fuzzing, {started:%Y-%m-%d %H:%M} UTC; {machine()}")
    print(f"command: {' '.join([Path(sys.argv[0]).name, *(argv or sys.argv[1:])])}")
    print(f"first seed: {first_seed}; reproducers go to {args.out}/", flush=True)

    stats = Stats()
    start = time.monotonic()
    end = start + args.minutes * 60 if args.minutes is not None else None
    batch = 0
    while True:
        done = sum(stats.examples.values())
        if end is not None and time.monotonic() >= end:
            break
        if args.examples is not None and done >= args.examples:
            break
        count = BATCH if args.examples is None else min(BATCH, args.examples - done)
        kind = kinds[batch % len(kinds)]
        run_batch(kind, count, first_seed + batch, args, stats)
        batch += 1
        if batch % 10 == 0:
            elapsed = time.monotonic() - start
            print(f"  {done:,} examples in {elapsed / 60:.1f} min", flush=True)

    elapsed = time.monotonic() - start
    total = sum(stats.examples.values())
    print("\nsummary")
    print(f"  wall time: {elapsed / 60:.1f} min; Hypothesis runs: {batch}")
    print(f"  examples: {total:,} ({total / max(elapsed, 1e-9):.0f}/s; shrinking included)")
    for key in sorted(stats.examples):
        print(f"    {key}: {stats.examples[key]:,}")
    print(f"  slowest finished example: {stats.slowest[0]:.2f} s ({stats.slowest[1]})")
    print(f"  examples interrupted by --slow {args.slow:g} s: {stats.slow}")
    print(f"  failures: {len(stats.failures)}")
    for key, report in stats.failures.items():
        print(f"    {key}\n      {report}")
    for error in stats.errors:
        print(f"  run ended without a reproducer: {error}")
    return 1 if stats.failures or stats.errors else 0


if __name__ == "__main__":
    sys.exit(main())
