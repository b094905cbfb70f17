"""How commands are ordered, run and profiled: the pure parts (nothing is spawned)."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import inputs
from benchmarks.commands import CG, CG_ED, CJ, CJ_C, YL
from benchmarks.groups import ROUNDS, build_suite
from benchmarks.hyperfine import hyperfine_argv
from benchmarks.paths import TOKEN_SPEC
from benchmarks.profiling import Profile, package_of, read_importtime, shorten, trim_files
from benchmarks.runner import ENV, child_env, round_order
from testing.bench_samples import TOOLS, command, tree


def test_the_first_command_rotates_from_round_to_round() -> None:
    a, b, c = (command(CG, x, []) for x in "abc")
    orders = [[cmd.label for cmd in round_order([a, b, c], r)] for r in range(4)]
    assert orders == [["a", "b", "c"], ["b", "c", "a"], ["c", "a", "b"], ["a", "b", "c"]]


def test_child_env_drops_what_would_change_a_tool() -> None:
    base = {"PATH": "/usr/bin", "PYTHONPATH": "/src", "FORCE_COLOR": "1", "GITHUB_ACTIONS": "true"}
    assert child_env(base) == {"PATH": "/usr/bin", "NO_COLOR": "1"}
    assert child_env(base, {"TOKEN": "x"})["TOKEN"] == "x"


def test_hyperfine_runs_without_shell_and_ignores_exit_codes() -> None:
    argv = hyperfine_argv([["/bin/cg", "lint", "a b.yaml"], ["/bin/yl", "x"]], Path("/o/h.json"))
    assert argv == [
        "hyperfine", "-N", "-i", "--warmup", "2", "--runs", "10", "--style", "none",
        "--export-json", "/o/h.json", "/bin/cg lint 'a b.yaml'", "/bin/yl x",
    ]  # fmt: skip


def test_groups_in_order_with_their_rounds() -> None:
    suite = build_suite(tree(many=4), TOOLS, "full")
    assert [(g.key, g.rounds, g.warmup) for g in suite.groups] == [
        (key, *ROUNDS["full"][key]) for key in ("help", "single", "many", "growth", "anchors")
    ]
    assert suite.many == 4
    help_group = suite.groups[0]
    assert [c.tool for c in help_group.commands] == [CG, CJ, YL]
    assert help_group.commands[0].argv == ["/venv/bin/configgen", "--help"]
    assert help_group.commands[0].shown == "$CONFIGGEN --help"


def test_optional_tools_join_the_groups() -> None:
    tools = {**TOOLS, CG_ED: "/dev/.venv/bin/configgen", CJ_C: "/clib/bin/check-jsonschema"}
    suite = build_suite(tree(), tools, "quick")
    single = next(g for g in suite.groups if g.key == "single")
    assert [(c.tool, c.label) for c in single.commands] == [
        (CG, "lint 1 values"),
        (CG_ED, "lint 1 values"),
        (CJ, "lint 1 values"),
        (CJ_C, "lint 1 values"),
        (YL, "lint 1 values"),
        (CG, "lint 1 HOCON"),
        (CG_ED, "lint 1 HOCON"),
        (CG, "render"),
        (CG_ED, "render"),
    ]
    growth = next(g for g in suite.groups if g.key == "growth")
    assert {c.tool for c in growth.commands} == {CG, CJ, YL}  # context tools stay out
    assert single.commands[3].shown == ("$CHECK_JSONSCHEMA_C --schemafile $SCHEMA values.yaml")


IMPORTTIME = """\
import time: self [us] | cumulative | imported package
import time:       120 |        120 |   _io
import time:      2000 |       2500 | encodings
import time:       500 |        500 |     yaml.error
import time:      9000 |      28000 | yaml
import time:      3000 |      59000 | configgen.cli
some other line
"""


def test_read_importtime() -> None:
    p = Profile("cmd")
    read_importtime(IMPORTTIME, p)
    assert p.import_total_s == pytest.approx(0.01462)
    assert p.import_top == [("configgen.cli", 0.059), ("yaml", 0.028), ("encodings", 0.0025)]
    assert p.import_by_package == [
        ("yaml", 0.0095),
        ("configgen", 0.003),
        ("encodings", 0.002),
        ("_io", 0.00012),
    ]


@pytest.mark.parametrize(
    ("filename", "short"),
    [
        ("/v/lib/python3.11/site-packages/ruamel/yaml/main.py", "ruamel/yaml/main.py"),
        ("/usr/lib/python3.11/json/decoder.py", "stdlib:json/decoder.py"),
        ("/work/wt-bench/configgen/lint.py", "configgen/lint.py"),
        ("~", "~"),
    ],
)
def test_shorten(filename: str, short: str) -> None:
    assert shorten(filename) == short


@pytest.mark.parametrize(
    ("filename", "func", "package"),
    [
        ("<frozen importlib._bootstrap>", "_find_and_load", "import machinery"),
        ("stdlib:importlib/__init__.py", "import_module", "import machinery"),
        ("~", "<built-in method marshal.loads>", "builtins: loading code"),
        ("~", "<built-in method builtins.isinstance>", "builtins: C functions"),
        ("stdlib:re/_parser.py", "_parse", "stdlib"),
        ("yaml/resolver.py", "resolve", "yaml"),
        ("<string>", "<module>", "<string>"),
    ],
)
def test_package_of(filename: str, func: str, package: str) -> None:
    assert package_of(filename, func) == package


def test_profiling_keeps_the_first_files() -> None:
    args = ["lint", *(f"v{i}.yaml" for i in range(5)), "--format", "text"]
    assert trim_files(args, 5) == (args, "")
    kept, note = trim_files(args, 2)
    assert kept == ["lint", "v0.yaml", "v1.yaml", "--format", "text"]
    assert note == "profiled on the first 2 of the 5 files"


def test_the_anchors_group_times_configgen_apply_and_lint() -> None:
    suite = build_suite(tree(), {**TOOLS, CG_ED: "/dev/.venv/bin/configgen"}, "quick")
    anchors = suite.groups[-1]
    assert [(c.tool, c.label, c.expect) for c in anchors.commands] == [
        (CG, "lint aliases file", (0,)),
        (CG, "apply to aliases file", (0,)),
        (CG, "lint merge-key bomb", (0, 1)),
    ]
    apply = anchors.commands[1]
    assert apply.argv == [
        "/venv/bin/configgen", "apply", str(TOKEN_SPEC), "--token-env", "CONFIGGEN_BENCH_TOKEN",
        "--to", "aliases.yaml", "--diff",
    ]  # fmt: skip
    assert apply.shown == (
        "$CONFIGGEN apply $REPO/examples/token-spec.yaml --token-env CONFIGGEN_BENCH_TOKEN "
        "--to aliases.yaml --diff"
    )
    assert TOKEN_SPEC.is_file()


def test_every_command_gets_the_token_apply_reads() -> None:
    assert ENV[inputs.APPLY_TOKEN_ENV] == inputs.APPLY_TOKEN
    assert len(inputs.APPLY_TOKEN) == 43
