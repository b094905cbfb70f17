"""Where configgen's time goes: ``python -X importtime`` and cProfile of one command."""

from __future__ import annotations

import pstats
import re
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.commands import Command
from benchmarks.runner import ENV

MAX_FILES = 100  # profiling is 5x slower: the many-files cases profile this many
_IMPORT_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)")
_SKIP = ("<frozen importlib", "{built-in method builtins.exec}", "<string>")
_LOADING = ("exec", "compile", "marshal", "_imp", "open_code", "read")

Row = tuple[str, int, str, int, float, float]  # file, line, function, calls, own, cumulative


@dataclass
class Profile:
    """What ``-X importtime`` and cProfile say about one command."""

    command: str
    note: str = ""
    import_total_s: float = 0.0
    import_top: list[tuple[str, float]] = field(default_factory=list)
    import_by_package: list[tuple[str, float]] = field(default_factory=list)
    cprofile_total_s: float | None = None
    tottime_by_package: list[tuple[str, float]] = field(default_factory=list)
    by_cumtime: list[Row] = field(default_factory=list)
    by_tottime: list[Row] = field(default_factory=list)


def profile(cmd: Command, work: Path, python: Path, env: Mapping[str, str] = ENV) -> Profile:
    """``-X importtime`` and cProfile of one configgen command, run by ``python``."""
    args, note = trim_files(cmd.argv[1:], MAX_FILES)
    result = Profile(cmd.shown, note)
    proc = subprocess.run(
        [str(python), "-X", "importtime", "-m", "configgen", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    read_importtime(proc.stderr, result)
    out = work / "profile.out"
    subprocess.run(
        [str(python), "-m", "cProfile", "-o", str(out), "-m", "configgen", *args],
        capture_output=True,
        env=env,
        check=False,
    )
    try:
        stats = pstats.Stats(str(out))
    except (OSError, TypeError, EOFError):
        return result
    read_stats(stats, result)
    return result


def trim_files(args: list[str], limit: int) -> tuple[list[str], str]:
    """Keep the first ``limit`` input files of ``args``; a note when some were dropped."""
    files = [a for a in args if a.endswith((".yaml", ".conf"))]
    if len(files) <= limit:
        return args, ""
    dropped = set(files[limit:])
    kept = [a for a in args if a not in dropped]
    return kept, f"profiled on the first {limit} of the {len(files)} files"


def read_importtime(stderr: str, result: Profile) -> None:
    """Totals, top-level imports and self time by package from ``-X importtime`` output."""
    rows = []  # self µs, cumulative µs, nesting level, module
    for line in stderr.splitlines():
        m = _IMPORT_LINE.match(line)
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


def read_stats(stats: pstats.Stats, result: Profile) -> None:
    """Top functions by cumulative and own time, and own time by package."""
    raw: dict[tuple[str, int, str], tuple[int, int, float, float, object]]
    raw = stats.stats  # type: ignore[attr-defined]
    entries: list[Row] = [
        (shorten(filename), line, func, ncalls, tottime, cumtime)
        for (filename, line, func), (_cc, ncalls, tottime, cumtime, _callers) in raw.items()
    ]
    result.cprofile_total_s = stats.total_tt  # type: ignore[attr-defined]
    own = [e for e in entries if not any(x in e[0] or x in e[2] for x in _SKIP)]
    third_party = [e for e in own if not e[0].startswith(("stdlib:", "~", "<"))]
    result.by_cumtime = sorted(third_party, key=lambda e: -e[5])[:15]
    result.by_tottime = sorted(entries, key=lambda e: -e[4])[:12]
    # Own time by package: where the time outside the tools' own code goes.
    pkg: dict[str, float] = {}
    for filename, _line, func, _n, tottime, _c in entries:
        key = package_of(filename, func)
        pkg[key] = pkg.get(key, 0.0) + tottime
    result.tottime_by_package = sorted(pkg.items(), key=lambda kv: -kv[1])[:10]


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
    """The package a (shortened) profile entry belongs to, or what a builtin does."""
    if filename.startswith(("<frozen", "stdlib:importlib")):
        return "import machinery"
    if filename == "~":
        loading = any(s in func for s in _LOADING)
        return "builtins: " + ("loading code" if loading else "C functions")
    if filename.startswith("stdlib:"):
        return "stdlib"
    if "/" in filename:
        return filename.split("/")[0]
    return filename
