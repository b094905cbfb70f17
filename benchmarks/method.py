"""The report's Method section: how this run was made, in prose, with this run's figures."""

from __future__ import annotations

from benchmarks import hyperfine, inputs
from benchmarks.groups import Suite
from benchmarks.runinfo import RunInfo


def method_section(suite: Suite, info: RunInfo) -> list[str]:
    return [
        "## Method",
        "",
        _inputs(info),
        _equivalent_work(info),
        "- **configgen** is the non-editable wheel built from the working tree and installed in "
        "`.bench/configgen-venv`; `configgen (editable)` is the developer `.venv` (editable "
        "install), shown for start-up-bound cases only. Peers: `.bench/peers-venv` "
        "(`pip install check-jsonschema yamllint`, default wheels: see `ruamel C extension`).",
        _timing(info),
        "- **Rounds** (counted + warm-up): "
        + "; ".join(f"{g.key} {g.rounds} + {g.warmup}" for g in suite.groups)
        + ".",
        "- **Linear growth** is checked as the marginal cost per 1,000 lines from 1,000 to 10,000 "
        "lines over that from 100 to 1,000 lines: ≈ 1 when linear, ≈ 10 when quadratic; the target "
        "passes at ≤ 2. All sizes run in one alternating group, and each marginal cost is the "
        "median of per-round differences, so load drift between rounds cancels out. When the "
        "100→1,000 cost is within start-up noise (± is its standard error), the check uses its "
        "upper estimate (+ 2 standard errors): noise cannot fail a linear tool, a quadratic one "
        "still fails.",
        _anchors(),
        "- **Cross-check**: in full runs, hyperfine "
        f"(`hyperfine -N -i --warmup {hyperfine.WARMUP} --runs {hyperfine.RUNS}`, block mode, "
        "same commands and working directory) on the help and one-file groups; its medians are "
        "in the last column.",
        "",
    ]


def _inputs(info: RunInfo) -> str:
    growth = ", ".join(f"{s:,}" for s in inputs.GROWTH_LINES)
    return (
        "- **Inputs** (`benchmarks/inputs/`, deterministic): Helm values files with many "
        "unrelated sections (global, ingress, stackstate.components.*, hbase, kafka, ... with "
        "resources, affinity, extra environment, literal config blocks) plus "
        "`stackstate.authentication` with a bootstrap token and a login provider; HOCON files "
        "like `application_stackstate.conf` (akka, services, tuning, `${?VAR}` substitutions, "
        "comments) plus the `stackstate.api.authentication.authServer` block. "
        f"One file: {inputs.SINGLE_LINES} lines; {info.many} files: "
        f"{inputs.MANY_LINES[0]}–{inputs.MANY_LINES[1]} lines each "
        f"({info.many_lines_values:,} values lines, {info.many_lines_hocon:,} HOCON lines "
        f"in all); growth: {growth} lines. "
        "Written to a fresh temporary directory outside any project (the working directory of "
        "every command), so no `.configgen.yaml`, `pyproject.toml` or `.yamllint` is discovered."
    )


def _equivalent_work(info: RunInfo) -> str:
    return (
        "- **Equivalent work**: `check-jsonschema --schemafile "
        "benchmarks/schemas/authentication-section.schema.json` validates the "
        "`stackstate.authentication` section of the same files (the schema is `configgen schema "
        f"helm-values`: {info.schema_state}); `yamllint` runs its default rules on the same "
        "files. All three tools find every input clean (checked below). The anchors group "
        "times configgen alone."
    )


def _anchors() -> str:
    return (
        "- **Anchors and merge keys** (issue #13): `aliases.yaml`, a values file of "
        f"{inputs.ALIASES_BYTES // 1024} KiB whose components reuse anchored blocks by alias "
        "and merge key (clean for configgen), timed with `configgen lint` and with "
        f"`configgen apply examples/token-spec.yaml --token-env {inputs.APPLY_TOKEN_ENV} "
        "--to aliases.yaml --diff` (apply plans the edit, reads the result back and lints it, "
        "and writes nothing, so every round starts from the same file); and `merge-bomb.yaml`, "
        "about 1.1 KB of nested anchors where each level merges the one below it 10 times, "
        "timed with `configgen lint` (exit 1, a limit finding, is accepted; a crash is not)."
    )


def _timing(info: RunInfo) -> str:
    text = (
        "- **Timing**: the harness's own alternating loop (not hyperfine's block mode): within "
        "each group every round runs each command once, the first command rotating from round "
        "to round; warm-up rounds first (plus one validation run per command, also a warm-up). "
        "Wall time is `time.perf_counter()` around `os.posix_spawn` + `os.wait4` (no shell, "
        "output to /dev/null, exit codes ignored). "
    )
    if info.wrapper_ms is not None:
        text += (
            "Every run goes through `/usr/bin/time -f %M` for its peak memory (maximum resident "
            "set of the tool's process; reported as the maximum over the runs); the wrapper's own "
            f"cost, {info.wrapper_ms:.2f} ms (median, `/bin/true` with and without it), is "
            "subtracted from every wall time. (The harness's own `wait4` cannot give the peak: "
            "Linux keeps the high-water mark of the image `exec` replaces, i.e. of the harness.)"
        )
    else:
        text += (
            "**`/usr/bin/time` is missing: peak memory includes the harness's own resident "
            "set and is not meaningful.**"
        )
    text += (
        " CPU time (user + system of the tool, from the same `wait4`) is kept in "
        "`.bench/results.json`: in this run it differed from the wall time by "
        f"{info.cpu_vs_wall:.1%} (median over all runs), "
    )
    if info.cpu_vs_wall < 0.05:
        text += (
            "so the spread below is the CPU running slower at times (e.g. other work on the "
            "host), not the tools waiting for a CPU."
        )
    else:
        text += "so part of the spread below is the tools waiting for a CPU."
    return text + " Medians and min–max over the counted rounds; ratios are medians over medians."
