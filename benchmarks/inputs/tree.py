"""The benchmark input tree: every file the timed commands read, written into one directory."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

from benchmarks.inputs.anchors import aliases_document, merge_bomb
from benchmarks.inputs.content import token
from benchmarks.inputs.hocon import hocon_document
from benchmarks.inputs.values import values_document

SINGLE_LINES = 200  # a typical values file / application_stackstate.conf excerpt
MANY = 500  # files in the "500 files" cases, as pre-commit passes them
MANY_LINES = (50, 120)  # line counts of those files: small ones, 85 lines on average
GROWTH_LINES = (100, 1_000, 10_000)
GROWTH_SEED = 10_000
ALIASES_BYTES = 500 * 1024  # the anchors file: large, yet under lint's 512 KiB limit
TOKEN_SPEC = """\
# Token spec for the render benchmark (the token is generated per run: --generate-token).
roles:
  - stackstate-power-user
ttl: 24h
loginProviders:
  - stackstateAuthServer
"""
# ``configgen apply --token-env``: the variable every timed command gets, and its value.
APPLY_TOKEN_ENV = "CONFIGGEN_BENCH_TOKEN"
APPLY_TOKEN = token(random.Random("apply-token"))


def many_sizes(count: int = MANY) -> list[int]:
    """The line counts of the many-files case (the same for every run)."""
    rng = random.Random("many-sizes")
    return [rng.randrange(MANY_LINES[0], MANY_LINES[1] + 1) for _ in range(count)]


@dataclass(frozen=True)
class Tree:
    """The inputs written by ``write_tree``; paths relative to its root."""

    values: str
    hocon: str
    spec: str
    many_values: list[str]
    many_hocon: list[str]
    growth: dict[int, tuple[str, str]]  # lines -> (values file, HOCON file)
    aliases: str
    merge_bomb: str

    @property
    def file_count(self) -> int:
        return 5 + len(self.many_values) + len(self.many_hocon) + 2 * len(self.growth)


def write_tree(root: Path, *, many: int = MANY) -> Tree:
    """Write every input under ``root``."""
    root.mkdir(parents=True, exist_ok=True)
    for sub in ("values", "hocon", "growth"):
        (root / sub).mkdir(exist_ok=True)
    (root / "values.yaml").write_text(values_document(0, SINGLE_LINES))
    (root / "application_stackstate.conf").write_text(hocon_document(0, SINGLE_LINES))
    (root / "token-spec.yaml").write_text(TOKEN_SPEC)
    values, hocon = [], []
    for i, size in enumerate(many_sizes(many), start=1):
        v = f"values/values-{i:03d}.yaml"
        h = f"hocon/application-{i:03d}.conf"
        (root / v).write_text(values_document(i, size))
        (root / h).write_text(hocon_document(i, size))
        values.append(v)
        hocon.append(h)
    growth = {}
    for size in GROWTH_LINES:
        v = f"growth/values-{size}.yaml"
        h = f"growth/application-{size}.conf"
        # One seed for every size: the files differ in length only (same header, same
        # authentication block, same first sections), so the series measures size alone.
        (root / v).write_text(values_document(GROWTH_SEED, size))
        (root / h).write_text(hocon_document(GROWTH_SEED, size))
        growth[size] = (v, h)
    (root / "aliases.yaml").write_text(aliases_document(0, ALIASES_BYTES))
    (root / "merge-bomb.yaml").write_text(merge_bomb())
    return Tree(
        "values.yaml",
        "application_stackstate.conf",
        "token-spec.yaml",
        values,
        hocon,
        growth,
        "aliases.yaml",
        "merge-bomb.yaml",
    )


def line_count(path: Path) -> int:
    """Lines of a file (newline characters)."""
    with path.open("rb") as f:
        return sum(1 for _ in f)
