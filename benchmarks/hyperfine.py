"""The cross-check: hyperfine in its block mode over a group's commands."""

from __future__ import annotations

import json
import shlex
import subprocess
from collections.abc import Mapping
from pathlib import Path

from benchmarks.commands import Group
from benchmarks.runner import ENV

RUNS = 10
WARMUP = 2


def hyperfine_argv(commands: list[list[str]], export: Path) -> list[str]:
    """``hyperfine -N -i``: no shell, exit codes ignored, as the harness's own loop."""
    return [
        "hyperfine",
        "-N",
        "-i",
        "--warmup",
        str(WARMUP),
        "--runs",
        str(RUNS),
        "--style",
        "none",
        "--export-json",
        str(export),
        *(shlex.join(argv) for argv in commands),
    ]


def hyperfine_check(group: Group, out: Path, env: Mapping[str, str] = ENV) -> None:
    """Block-mode hyperfine over the same commands: a cross-check of the loop's medians."""
    export = out / f"hyperfine-{group.key}.json"
    argv = hyperfine_argv([c.argv for c in group.commands], export)
    subprocess.run(argv, env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        results = json.loads(export.read_text())["results"]
    except (OSError, ValueError, KeyError):
        return
    for cmd, res in zip(group.commands, results, strict=False):
        cmd.hyperfine = {"median": res["median"], "min": res["min"], "max": res["max"]}
