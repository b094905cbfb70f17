"""Markdown tables of the report: pure functions from results to lines, exact strings."""

from __future__ import annotations

from benchmarks import inputs
from benchmarks.commands import CG, CJ, PEERS, YL, Command, Group
from benchmarks.groups import Suite
from benchmarks.profiling import Profile, Row
from benchmarks.runinfo import VENV_COLUMNS, RunInfo
from benchmarks.stats import growth_slopes
from benchmarks.targets import Verdict

GROWTH_SERIES = ((CG, "values"), (CJ, "values"), (YL, "values"), (CG, "HOCON"))


def fmt_s(seconds: float) -> str:
    """``212 ms`` below 10 s, ``10.7 s`` from there."""
    return f"{seconds * 1000:.0f} ms" if seconds < 10 else f"{seconds:.1f} s"


def fmt_range(cmd: Command) -> str:
    return f"{fmt_s(min(cmd.times))}–{fmt_s(max(cmd.times))}"


def verdict_table(verdicts: list[Verdict]) -> list[str]:
    """One row per target; a missed one in bold."""
    lines = [
        "| target | measured | limit | result | detail |",
        "| --- | ---: | ---: | :---: | --- |",
    ]
    for v in verdicts:
        result = v.result if v.passed else f"**{v.result}**"
        lines.append(f"| {v.target} | {v.measured} | {v.limit} | {result} | {v.detail} |")
    return lines


def results_table(group: Group) -> list[str]:
    """Median, range, ratios to the peers in the group, peak memory (and hyperfine's median
    when the cross-check ran)."""
    peers = {c.tool: c for c in group.commands if c.tool in PEERS}
    columns = [p for p in PEERS if p in peers]
    show_hyperfine = any(c.hyperfine for c in group.commands)
    head = "| tool | case | median | min–max | " + "".join(f"× {p} | " for p in columns)
    head += "peak RSS |" + (" hyperfine median (block mode) |" if show_hyperfine else "")
    sep = "| --- | --- | ---: | ---: | " + "---: | " * len(columns) + "---: |"
    sep += " ---: |" if show_hyperfine else ""
    lines = [head, sep]
    for c in group.commands:
        if not c.times:
            last = c.check.last if c.check else ""
            empty = 2 + len(columns) + show_hyperfine  # min-max, ratios, peak (, hyperfine)
            lines.append(f"| {c.tool} | {c.label} | not run: {last} |" + " |" * empty)
            continue
        # The one-file HOCON and render cases compare with check-jsonschema on the values file.
        ratios = [
            "" if peers[p] is c or not peers[p].times else f"{c.median / peers[p].median:.2f}"
            for p in columns
        ]
        row = f"| {c.tool} | {c.label} | {fmt_s(c.median)} | {fmt_range(c)} | "
        row += "".join(f"{r} | " for r in ratios) + f"{c.peak_mib:.1f} MiB |"
        if show_hyperfine:
            row += f" {fmt_s(c.hyperfine['median'])} |" if c.hyperfine else " |"
        lines.append(row)
    return lines


def growth_table(suite: Suite) -> list[str]:
    """Each series: median (range) per size, cost per 1,000 lines, peak memory at the top."""
    sizes = inputs.GROWTH_LINES
    lines = [
        "| tool | input | "
        + " | ".join(f"{s:,} lines" for s in sizes)
        + " | ms per 1,000 lines: 100→1k, 1k→10k | peak RSS at 10,000 |",
        "| --- | --- | " + " | ".join("---:" for _ in sizes) + " | ---: | ---: |",
    ]
    for tool, kind in GROWTH_SERIES:
        series = suite.growth_series(tool, kind)
        if series is None:
            continue
        sl = growth_slopes([c.by_round for c in series], sizes)
        cells = " | ".join(f"{fmt_s(c.median)} ({fmt_range(c)})" for c in series)
        lines.append(
            f"| {tool} | {kind} | {cells} "
            f"| {sl.lo * 1000:.0f} ± {sl.lo_error * 1000:.0f}, {sl.hi * 1000:.0f} "
            f"| {series[-1].peak_mib:.1f} MiB |"
        )
    return lines


def validation_table(groups: list[Group]) -> list[str]:
    """Exit code and last line of output of every command's validation run."""
    lines = [
        "| group | tool | case | exit | output lines | last line |",
        "| --- | --- | --- | ---: | ---: | --- |",
    ]
    for group in groups:
        for c in group.commands:
            if c.check is None:
                lines.append(f"| {group.key} | {c.tool} | {c.label} | – | – | not run |")
                continue
            last = c.check.last.replace("|", "\\|")
            lines.append(
                f"| {group.key} | {c.tool} | {c.label} | {c.check.exit} "
                f"| {c.check.lines} | {last} |"
            )
    return lines


def machine_table(info: RunInfo) -> list[str]:
    return [
        "| | |",
        "| --- | --- |",
        *(f"| {k} | {v} |" for k, v in info.machine.items()),
        f"| load average (1, 5, 15 min), start / end | {info.load_start} / {info.load_end} |",
        f"| configgen source | {info.git}; installed package hash {info.package_hash} |",
        f"| total run time | {info.elapsed} |",
    ]


def versions_table(versions: dict[str, dict[str, str]]) -> list[str]:
    """Package versions per venv; ``python`` first, then by name."""
    names = sorted(
        set().union(*(set(d) for d in versions.values())),
        key=lambda n: (n != "python", n.lower()),
    )
    lines = [
        "| package | configgen venv | peers venv | editable .venv | peers (C ext) venv |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name in names:
        cells = " | ".join(versions.get(k, {}).get(name, "–") for k in VENV_COLUMNS)
        lines.append(f"| {name} | {cells} |")
    return lines


def profile_row(row: Row) -> str:
    filename, line, func, calls, own, cum = row
    return f"| `{filename}:{line}({func})` | {calls} | {own * 1000:.0f} ms | {cum * 1000:.0f} ms |"


def profile_tables(p: Profile) -> list[str]:
    """cProfile's top functions by cumulative and by own time, folded."""
    if not p.by_cumtime:
        return []
    head = ["| function | calls | own | cumulative |", "| --- | ---: | ---: | ---: |"]
    return [
        "",
        "<details><summary>cProfile: top functions</summary>",
        "",
        "By cumulative time (configgen and libraries):",
        "",
        *head,
        *(profile_row(r) for r in p.by_cumtime),
        "",
        "By own time:",
        "",
        *head,
        *(profile_row(r) for r in p.by_tottime),
        "",
        "</details>",
    ]


def timed_list(pairs: list[tuple[str, float]]) -> str:
    """```yaml` 28 ms, `click` 9 ms``."""
    return ", ".join(f"`{name}` {seconds * 1000:.0f} ms" for name, seconds in pairs)
