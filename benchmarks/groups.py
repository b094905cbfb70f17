"""The groups of commands a run times, built from the inputs and the installed tools."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from benchmarks import inputs
from benchmarks.commands import CG, CG_ED, CJ, CJ_C, SHOWN, YL, Command, Group
from benchmarks.paths import SCHEMA, TOKEN_SPEC

# (counted rounds, warm-up rounds) per group; the validation run is one more warm-up run.
ROUNDS = {
    "full": {
        "help": (20, 2),
        "single": (20, 2),
        "many": (5, 0),
        "growth": (10, 1),
        "anchors": (10, 1),
    },
    "quick": {
        "help": (3, 1),
        "single": (3, 1),
        "many": (1, 0),
        "growth": (2, 0),
        "anchors": (2, 0),
    },
}
QUICK_MANY = 100  # --quick: fewer files in the "many files" group
_SCHEMA_ARGS = ["--schemafile", str(SCHEMA)]
_SCHEMA_SHOWN = "--schemafile $SCHEMA"


@dataclass
class Suite:
    """Every group of one run."""

    groups: list[Group]
    many: int  # files in the many-files group
    mode: str  # "full" or "quick"

    def find(self, group: str, tool: str, label: str) -> Command | None:
        """The command of ``tool`` labelled ``label`` in ``group``."""
        for g in self.groups:
            if g.key == group:
                for c in g.commands:
                    if c.tool == tool and c.label == label:
                        return c
        return None

    def growth_series(self, tool: str, kind: str) -> list[Command] | None:
        """The growth commands of one tool on ``kind`` ("values", "HOCON"), smallest first;
        None unless every size was measured."""
        found = [self.find("growth", tool, growth_label(s, kind)) for s in inputs.GROWTH_LINES]
        series = [c for c in found if c is not None and c.times]
        return series if len(series) == len(found) else None


def growth_label(size: int, kind: str) -> str:
    return f"lint {size}-line {kind}"


class Maker:
    """Makes commands from tool names: the argument list and the form a reader types."""

    def __init__(self, tools: Mapping[str, str]) -> None:
        self.tools = tools

    def __call__(self, tool: str, label: str, args: list[str], shown: str) -> Command:
        return Command(tool, label, [self.tools[tool], *args], f"{SHOWN[tool]} {shown}")

    def configgens(self) -> list[str]:
        """The configgen installs to time: the wheel, and the editable .venv if present."""
        return [CG, CG_ED] if CG_ED in self.tools else [CG]

    def check_jsonschema(
        self, label: str, files: list[str], shown: str, *, clib: bool = True
    ) -> list[Command]:
        """check-jsonschema on ``files``; with ``clib``, also with ruamel's C extension if it
        is installed (for context)."""
        tools = [CJ, CJ_C] if clib and CJ_C in self.tools else [CJ]
        args = [*_SCHEMA_ARGS, *files]
        return [self(tool, label, args, f"{_SCHEMA_SHOWN} {shown}") for tool in tools]


def build_suite(tree: inputs.Tree, tools: Mapping[str, str], mode: str) -> Suite:
    """The groups of a run, in the order they are timed."""
    make, rounds = Maker(tools), ROUNDS[mode]
    groups = [
        Group("help", "Start-up: --help", help_commands(make), *rounds["help"]),
        Group(
            "single",
            "One file: lint 1 values file, lint 1 HOCON file, render",
            single_commands(make, tree),
            *rounds["single"],
        ),
        Group(
            "many",
            f"{len(tree.many_values)} files in one invocation (as pre-commit passes them)",
            many_commands(make, tree),
            *rounds["many"],
        ),
        Group("growth", "Growth with file size", growth_commands(make, tree), *rounds["growth"]),
        Group(
            "anchors",
            "YAML anchors and merge keys (issue #13)",
            anchors_commands(make, tree),
            *rounds["anchors"],
        ),
    ]
    return Suite(groups, len(tree.many_values), mode)


def help_commands(make: Maker) -> list[Command]:
    tools = [*make.configgens(), CJ, YL]
    return [make(tool, "--help", ["--help"], "--help") for tool in tools]


def single_commands(make: Maker, tree: inputs.Tree) -> list[Command]:
    values, hocon = tree.values, tree.hocon
    render = ["render", tree.spec, "--generate-token", "--out-dir", "out", "--force"]
    return [
        *(make(t, "lint 1 values", ["lint", values], f"lint {values}") for t in make.configgens()),
        *make.check_jsonschema("lint 1 values", [values], values),
        make(YL, "lint 1 values", [values], values),
        *(make(t, "lint 1 HOCON", ["lint", hocon], f"lint {hocon}") for t in make.configgens()),
        *(make(t, "render", render, " ".join(render)) for t in make.configgens()),
    ]


def many_commands(make: Maker, tree: inputs.Tree) -> list[Command]:
    values, hocon, n = tree.many_values, tree.many_hocon, len(tree.many_values)
    shown_values, shown_hocon = "values/values-*.yaml", "hocon/application-*.conf"
    label = f"lint {n} values"
    return [
        make(CG, label, ["lint", *values], f"lint {shown_values}"),
        *make.check_jsonschema(label, values, shown_values),
        make(YL, label, values, shown_values),
        make(CG, f"lint {n} HOCON", ["lint", *hocon], f"lint {shown_hocon}"),
    ]


def growth_commands(make: Maker, tree: inputs.Tree) -> list[Command]:
    """All sizes in one group: they alternate, so a change in load cannot bend the curve."""
    commands: list[Command] = []
    for size, (v, h) in tree.growth.items():
        values, hocon = growth_label(size, "values"), growth_label(size, "HOCON")
        for cmd in [
            make(CG, values, ["lint", v], f"lint {v}"),
            *make.check_jsonschema(values, [v], v, clib=False),
            make(YL, values, [v], v),
            make(CG, hocon, ["lint", h], f"lint {h}"),
        ]:
            cmd.size = size
            commands.append(cmd)
    return commands


def anchors_commands(make: Maker, tree: inputs.Tree) -> list[Command]:
    """configgen only: apply and lint on a large file full of aliases, lint on a merge-key bomb.

    apply runs with ``--diff``: it plans the edit, reads the result back and lints it as a
    real apply does, but writes nothing, so every round starts from the same file.
    """
    aliases, bomb = tree.aliases, tree.merge_bomb
    apply = ["--token-env", inputs.APPLY_TOKEN_ENV, "--to", aliases, "--diff"]
    bomb_lint = make(CG, "lint merge-key bomb", ["lint", bomb], f"lint {bomb}")
    bomb_lint.expect = (0, 1)  # a limit finding (exit 1) is a fair answer; a crash is not
    return [
        make(CG, "lint aliases file", ["lint", aliases], f"lint {aliases}"),
        make(
            CG,
            "apply to aliases file",
            ["apply", str(TOKEN_SPEC), *apply],
            " ".join(["apply", "$REPO/examples/token-spec.yaml", *apply]),
        ),
        bomb_lint,
    ]
