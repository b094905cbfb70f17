"""The benchmark inputs are deterministic and well-formed (nothing here is timed or spawned)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from pyhocon import ConfigFactory

from benchmarks import inputs
from benchmarks.inputs.hocon import hocon_document
from benchmarks.inputs.values import values_document

# sha256 over the sorted (path, bytes) of ``write_tree(root, many=3)``.  It changes only when
# the generators do; then the benchmark's inputs changed and figures from before and after
# are not comparable: say so in the commit and update the digest.
Document = Callable[[int, int], str]

TREE_DIGEST = "8e514c47952af601039a0398cbe82a441dfacdac225334086af550c07607c373"


def tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def tree_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bench-inputs")
    inputs.write_tree(root, many=3)
    return root


@pytest.mark.parametrize("document", [values_document, hocon_document])
@pytest.mark.parametrize(("seed", "lines"), [(0, 200), (7, 57), (10_000, 1_000)])
def test_same_seed_gives_the_same_bytes(document: Document, seed: int, lines: int) -> None:
    assert document(seed, lines) == document(seed, lines)


@pytest.mark.parametrize("document", [values_document, hocon_document])
def test_another_seed_gives_another_file(document: Document) -> None:
    assert document(1, 200) != document(2, 200)


@pytest.mark.parametrize("document", [values_document, hocon_document])
@pytest.mark.parametrize("lines", [50, 85, 120, 200, 1_000])
def test_line_count_is_exact(document: Document, lines: int) -> None:
    assert document(3, lines).count("\n") == lines


def test_the_tree_is_the_same_on_every_machine(tmp_path: Path) -> None:
    inputs.write_tree(tmp_path, many=3)
    assert tree_digest(tmp_path) == TREE_DIGEST


def test_writing_twice_gives_the_same_tree(tree_root: Path, tmp_path: Path) -> None:
    inputs.write_tree(tmp_path, many=3)
    assert tree_digest(tmp_path) == tree_digest(tree_root)


def test_the_tree_lists_what_it_wrote(tree_root: Path) -> None:
    tree = inputs.write_tree(tree_root, many=3)
    listed = {tree.values, tree.hocon, tree.spec, *tree.many_values, *tree.many_hocon}
    listed |= {path for pair in tree.growth.values() for path in pair}
    on_disk = {p.relative_to(tree_root).as_posix() for p in tree_root.rglob("*") if p.is_file()}
    assert listed == on_disk
    assert tree.file_count == len(on_disk)
    assert sorted(tree.growth) == list(inputs.GROWTH_LINES)


def test_every_values_file_parses_as_yaml(tree_root: Path) -> None:
    files = sorted(tree_root.rglob("*.yaml"))
    assert len(files) == 1 + 1 + 3 + len(inputs.GROWTH_LINES)  # values, spec, many, growth
    for path in files:
        data = yaml.safe_load(path.read_text())
        assert isinstance(data, dict), path


def test_values_files_hold_a_bootstrap_token(tree_root: Path) -> None:
    for path in [tree_root / "values.yaml", *sorted((tree_root / "values").glob("*.yaml"))]:
        auth = yaml.safe_load(path.read_text())["stackstate"]["authentication"]
        assert len(auth["serviceToken"]["bootstrap"]["token"]) == 43, path


def test_every_hocon_file_parses(tree_root: Path) -> None:
    # pyhocon takes seconds on the 10,000-line file; its sections are those of the others.
    for path in sorted(p for p in tree_root.rglob("*.conf") if inputs.line_count(p) <= 1_000):
        config = ConfigFactory.parse_string(path.read_text())
        server = config.get("stackstate.api.authentication.authServer")
        assert "serviceTokenAuthServer" in server.get("authServerType"), path
