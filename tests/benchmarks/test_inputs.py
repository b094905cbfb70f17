"""The benchmark inputs are deterministic and well-formed (nothing here is timed or spawned)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from pyhocon import ConfigFactory

from benchmarks import inputs
from benchmarks.inputs.anchors import aliases_document, merge_bomb
from benchmarks.inputs.hocon import hocon_document
from benchmarks.inputs.values import values_document

# sha256 over the sorted (path, bytes) of ``write_tree(root, many=3)``.  It changes only when
# the generators do; then the benchmark's inputs changed and figures from before and after
# are not comparable: say so in the commit and update the digest.
Document = Callable[[int, int], str]
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: the 500 KiB file in 0.1 s

TREE_DIGEST = "08ae95ca21480827f3162121cc96b7d6ca1f553448e5f17198a2286cbae0cf13"


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
    listed |= {tree.aliases, tree.merge_bomb}
    listed |= {path for pair in tree.growth.values() for path in pair}
    on_disk = {p.relative_to(tree_root).as_posix() for p in tree_root.rglob("*") if p.is_file()}
    assert listed == on_disk
    assert tree.file_count == len(on_disk)
    assert sorted(tree.growth) == list(inputs.GROWTH_LINES)


def test_every_values_file_parses_as_yaml(tree_root: Path) -> None:
    files = sorted(tree_root.rglob("*.yaml"))
    # values, spec, many, growth, aliases, merge-key bomb
    assert len(files) == 1 + 1 + 3 + len(inputs.GROWTH_LINES) + 2
    for path in files:
        text = path.read_text()
        yaml.compose(text, Loader=Loader)  # syntax
        if path.name != "merge-bomb.yaml":  # PyYAML would expand its merge keys: 10^12 steps
            assert isinstance(yaml.load(text, Loader=Loader), dict), path


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


def expanded_values(data: object) -> int:
    """Values a document expands to (aliases counted at every use), as configgen counts."""
    if isinstance(data, dict):
        return 1 + sum(expanded_values(v) for v in data.values())
    if isinstance(data, list):
        return 1 + sum(expanded_values(v) for v in data)
    return 1


def test_the_aliases_file(tree_root: Path) -> None:
    text = (tree_root / "aliases.yaml").read_text()
    size = len(text.encode())
    assert inputs.ALIASES_BYTES - 500 <= size <= inputs.ALIASES_BYTES < 512 * 1024  # lint's cap
    assert text.count(": *") > 4 * 1000  # aliases
    assert text.count("<<: *") > 1000  # merge keys
    data = yaml.load(text, Loader=Loader)
    assert 20_000 < expanded_values(data) < 100_000  # lint's limit: 200,000
    bootstrap = data["stackstate"]["authentication"]["serviceToken"]["bootstrap"]
    assert len(bootstrap["token"]) == 43


def test_the_aliases_file_is_deterministic() -> None:
    assert aliases_document(0, 20_000) == aliases_document(0, 20_000)
    assert aliases_document(0, 20_000) != aliases_document(1, 20_000)


def test_the_merge_bomb(tree_root: Path) -> None:
    text = (tree_root / "merge-bomb.yaml").read_text()
    assert text == merge_bomb()
    assert 1_000 <= len(text.encode()) <= 1_200  # about 1.1 KB
    node = yaml.compose(text, Loader=Loader)
    levels = [v for k, v in node.value if k.value.startswith("l")]
    assert len(levels) == 13
    merges = [v for k, v in levels[-1].value if k.value == "<<"]
    assert len(merges) == 1
    assert len(merges[0].value) == 10  # ten aliases of the level below
    assert all(alias is levels[-2] for alias in merges[0].value)
