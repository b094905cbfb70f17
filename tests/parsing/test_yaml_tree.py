"""``configgen.parsing.yaml_tree``: nodes with character ranges, composed from libyaml's events.

``helm_yaml.load_tree`` (these nodes) and ``helm_yaml.load`` (libyaml's own composer) must read
every text the same way -- the same values, positions, styles, duplicates and errors -- since
``apply`` parses with the one and lint with the other, and apply lints what it parsed.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from configgen.parsing import helm_yaml, yaml_tree
from testing.fuzz import alias_documents, mutated_seeds, random_texts


def reading(text: str, ranges: bool) -> Any:
    """Everything a reading gives, or the error it raised."""
    try:
        if ranges:
            doc, _root = helm_yaml.load_tree(text)
        else:
            doc = helm_yaml.load(text, allow_multiple=True)
    except helm_yaml.YamlError as err:
        return ("error", err.message, err.position, err.kind)
    return (doc.data, doc.values, doc.keys, doc.styles, doc.raw, doc.duplicates,
            doc.extra_documents, doc.unreadable)  # fmt: skip


@settings(
    max_examples=400,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.one_of(random_texts("helm"), mutated_seeds("helm").map(lambda s: s.text),
                 alias_documents()))  # fmt: skip
def test_both_composers_read_every_text_alike(text: str) -> None:
    """Generator: random YAML-ish text, mutated corpus files, alias and merge documents."""
    assert reading(text, ranges=True) == reading(text, ranges=False)


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("a: &x 1\nb: *x\n", ["map", "scalar", "scalar", "scalar", "alias"]),
        (
            "- [1, {a: b}]\n- |\n  x\n",
            ["seq", "seq", "scalar", "map", "scalar", "scalar", "scalar"],
        ),
    ],
)
def test_ranges_and_aliases(text: str, kinds: list[str]) -> None:
    [root] = yaml_tree.compose(text)
    assert root is not None
    found = []
    pending = [root]
    while pending:
        node = pending.pop(0)
        found.append(node.kind)
        pending[:0] = [*(n for pair in node.pairs for n in pair), *node.items]
    assert found == kinds


def test_an_alias_keeps_its_own_range_and_names_its_anchor() -> None:
    text = "a: &x [1, 2]\nb: *x\n"
    [root] = yaml_tree.compose(text)
    assert root is not None
    (_, anchored), (_, alias) = root.pairs
    assert text[anchored.start : anchored.end] == "&x [1, 2]"
    assert text[alias.start : alias.end] == "*x"
    assert alias.target is anchored
    assert root.value[1][1] is anchored  # the composed view, as PyYAML's nodes have it


def test_an_undefined_alias_and_a_repeated_anchor_are_errors_as_libyaml_composes_them() -> None:
    for text in ("a: *nowhere\n", "a: &x 1\nb: &x 2\n"):
        assert reading(text, ranges=True) == reading(text, ranges=False)
        assert reading(text, ranges=True)[0] == "error"
