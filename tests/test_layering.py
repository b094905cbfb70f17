"""The package's architecture, as tests: layers point one way, rooms stay small, only the CLI
talks to the terminal.  CONTRIBUTING.md ("Architecture") draws the same map.

Every import counts: module level, inside functions (lazy imports) and under TYPE_CHECKING.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from testing.paths import ROOT

PACKAGE = ROOT / "configgen"

# Lowest first.  A module may import from its own room, from any lower layer, and from rooms of
# its own layer listed in ALSO; never upwards.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("findings", "messages", "resources", "files", "locks", "__init__"),
    ("product",),
    ("parsing",),
    ("schema",),
    ("spec", "rules"),
    ("render", "lint", "server"),
    ("apply",),
    ("cli", "__main__"),
)
ALSO: dict[str, frozenset[str]] = {
    # the base modules share the finding type
    "messages": frozenset({"findings"}),
    # the lock's error is a write error
    "locks": frozenset({"files"}),
    # ``python -m configgen`` runs the command line
    "__main__": frozenset({"cli"}),
}
MAX_TOP_LEVEL_MODULES = 8
MAX_LINES = 400


def room_of(module: str) -> str:
    """``configgen.parsing.hocon.lexer`` -> ``parsing``; ``configgen.files`` -> ``files``."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def layer_of(room: str) -> int:
    for index, rooms in enumerate(LAYERS):
        if room in rooms:
            return index
    raise AssertionError(f"configgen.{room} is in no layer: add it to LAYERS and CONTRIBUTING")


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def sources() -> Iterator[tuple[str, Path]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield module_name(path), path


def imported(path: Path, module: str) -> Iterator[tuple[int, str]]:
    """``(line, module)`` for every configgen import in ``path``."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            names = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            if name == "configgen" or name.startswith("configgen."):
                yield node.lineno, name


def is_module(name: str) -> bool:
    relative = Path(*name.split("."))
    return (ROOT / relative).with_suffix(".py").exists() or (ROOT / relative).is_dir()


def wrong_arrows() -> list[str]:
    problems: dict[str, None] = {}
    for module, path in sources():
        room = room_of(module)
        for line, target in imported(path, module):
            if not is_module(target) or target == "configgen":
                continue  # a name imported from a module, or the package itself (__version__)
            other = room_of(target)
            if other == room or other in ALSO.get(room, frozenset()):
                continue
            if layer_of(other) >= layer_of(room):
                problems[f"{path.relative_to(ROOT)}:{line}: {room} -> {other}"] = None
    return list(problems)


def test_layers_point_one_way() -> None:
    assert wrong_arrows() == []


def test_the_checker_sees_a_wrong_arrow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The layering test must be able to fail: an import from parsing up into lint is caught."""
    bad = tmp_path / "configgen" / "parsing" / "bad.py"
    bad.parent.mkdir(parents=True)
    bad.write_text("def f():\n    from configgen.lint import run\n", encoding="utf-8")
    (tmp_path / "configgen" / "lint").mkdir()
    (tmp_path / "configgen" / "lint" / "run.py").write_text("", encoding="utf-8")
    monkeypatch.setitem(globals(), "ROOT", tmp_path)
    monkeypatch.setitem(globals(), "PACKAGE", tmp_path / "configgen")
    assert wrong_arrows() == ["configgen/parsing/bad.py:2: parsing -> lint"]


def test_every_room_is_in_a_layer() -> None:
    rooms = {room_of(module) for module, _path in sources()}
    for room in rooms:
        layer_of(room)


def test_few_top_level_modules() -> None:
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= MAX_TOP_LEVEL_MODULES, top


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=str)
def test_no_module_is_over_400_lines(path: Path) -> None:
    lines = len(path.read_text("utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(ROOT)} has {lines} lines: split it by job"


def terminal_output(path: Path) -> list[str]:
    """Calls that write to the terminal: print(), click.echo/secho, sys.stdout/stderr."""
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "print":
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: print()")
            if isinstance(func, ast.Attribute) and func.attr in ("echo", "secho"):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {func.attr}()")
        if (
            isinstance(node, ast.Attribute)
            and node.attr in ("stdout", "stderr")
            and isinstance(node.value, ast.Name)
            and node.value.id == "sys"
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: sys.{node.attr}")
    return found


def test_only_the_cli_talks_to_the_terminal() -> None:
    outside = [p for p in PACKAGE.rglob("*.py") if "cli" not in p.relative_to(PACKAGE).parts]
    assert [line for path in outside for line in terminal_output(path)] == []
    assert terminal_output(PACKAGE / "cli" / "base.py"), "the checker finds the CLI's output"
