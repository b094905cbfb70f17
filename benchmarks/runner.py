"""Running commands: one spawn (wall time, CPU time, peak memory, exit code), the validation
run, and a group's alternating rounds."""

from __future__ import annotations

import os
import statistics
import subprocess
import time
from collections.abc import Mapping
from pathlib import Path

from benchmarks import inputs
from benchmarks.commands import Check, Command, Group, Sample

TIME = "/usr/bin/time"
OVERHEAD_RUNS = 40  # /bin/true with and without GNU time, alternating
# Variables that would change what a tool does or prints; NO_COLOR keeps output plain.
_DROPPED = (
    "GITHUB_ACTIONS",
    "PYTHONPATH",
    "PYTHONSTARTUP",
    "PYTHONHOME",
    "VIRTUAL_ENV",
    "PYTHONDONTWRITEBYTECODE",
    "PYTHONPROFILEIMPORTTIME",
    "FORCE_COLOR",
)
_DEVNULL_ACTIONS = [
    (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
    (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0),
    (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0),
]


def child_env(base: Mapping[str, str], extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of every command: ``base`` without ``_DROPPED``, plus ``NO_COLOR=1``."""
    env = {k: v for k, v in base.items() if k not in _DROPPED}
    env["NO_COLOR"] = "1"
    env.update(extra or {})
    return env


# Every command gets the token ``configgen apply --token-env`` reads (the others ignore it).
ENV = child_env(os.environ, {inputs.APPLY_TOKEN_ENV: inputs.APPLY_TOKEN})


def spawn(argv: list[str], env: Mapping[str, str] = ENV) -> Sample:
    """One run: ``posix_spawn`` + ``wait4``, no shell, stdin and output on /dev/null."""
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=_DEVNULL_ACTIONS)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(elapsed, cpu, usage.ru_maxrss, os.waitstatus_to_exitcode(status))


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

    def __init__(self, work: Path, env: Mapping[str, str] = ENV) -> None:
        self.memfile = str(work / ".maxrss")
        self.env = env
        self.wrapped = os.access(TIME, os.X_OK)
        self.overhead = Sample(0.0, 0.0, 0, 0)
        if self.wrapped:
            self.overhead = self._overhead()

    def _overhead(self) -> Sample:
        plain, wrapped = [], []
        for _ in range(OVERHEAD_RUNS):
            plain.append(spawn(["/bin/true"], self.env))
            wrapped.append(spawn(self._wrap(["/bin/true"]), self.env))
        wall = statistics.median(s.wall for s in wrapped) - statistics.median(s.wall for s in plain)
        cpu = statistics.median(s.cpu for s in wrapped) - statistics.median(s.cpu for s in plain)
        return Sample(max(0.0, wall), max(0.0, cpu), 0, 0)

    def _wrap(self, argv: list[str]) -> list[str]:
        return [TIME, "-f", "%M", "-o", self.memfile, *argv]

    def run(self, argv: list[str]) -> Sample:
        """One run (working directory: the inputs directory)."""
        if not self.wrapped:
            return spawn(argv, self.env)
        sample = spawn(self._wrap(argv), self.env)
        with open(self.memfile) as f:  # "Command exited with non-zero status 1" may come first
            rss = int(f.read().split()[-1])
        return Sample(
            sample.wall - self.overhead.wall, sample.cpu - self.overhead.cpu, rss, sample.code
        )


def validate(cmd: Command, env: Mapping[str, str] = ENV) -> bool:
    """Run once with output kept; record exit code and what the tool reported."""
    proc = subprocess.run(cmd.argv, capture_output=True, text=True, env=env, check=False)
    out = (proc.stdout + proc.stderr).strip().splitlines()
    ok = proc.returncode in cmd.expect and "Traceback" not in proc.stderr
    cmd.check = Check(proc.returncode, ok, out[-1][:160] if out else "", len(out))
    return ok


def round_order(commands: list[Command], round_number: int) -> list[Command]:
    """The commands of one round: the first one rotates from round to round."""
    start = round_number % len(commands)
    return commands[start:] + commands[:start]


def run_group(group: Group, runner: Runner) -> None:
    """Warm-up rounds, then counted rounds; samples go to the commands."""
    group.load.append(os.getloadavg())
    started = time.perf_counter()
    for r in range(group.warmup + group.rounds):
        for cmd in round_order(group.commands, r):
            sample = runner.run(cmd.argv)
            if r >= group.warmup:
                cmd.record(r, sample)
        done = r + 1 - group.warmup
        if done > 0:
            print(f"  {group.key}: round {done}/{group.rounds}", end="\r", flush=True)
    group.seconds = time.perf_counter() - started
    group.load.append(os.getloadavg())
    print(" " * 60, end="\r")
