"""Meta-tests: every rule is documented, has an example, and is hit by the corpus."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from configgen.findings import RuleInfo
from configgen.rules import catalogue
from testing import paths

CORPUS = paths.DATA / "lint"
README = paths.ROOT / "README.md"
_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
# Rules whose findings need a fault inside configgen; tested in test_lint_internal.py instead.
NOT_IN_CORPUS = {"internal-error"}


def corpus_rules() -> set[str]:
    found: set[str] = set()
    for path in CORPUS.glob("*/*/*"):
        found |= set(re.findall(r"expect:\s*\d+:\d+\s+([\w-]+)", path.read_text("utf-8")))
    return found


RULES = list(catalogue().values())


@pytest.mark.parametrize("info", RULES, ids=[r.id for r in RULES])
def test_rule_is_documented_with_an_example_and_a_fix(info: RuleInfo) -> None:
    assert _ID.fullmatch(info.id)
    assert info.summary.endswith(".")
    assert "Example:" in info.doc
    assert "Fix:" in info.doc
    assert len(info.doc) > 80


CORPUS_RULES = [r for r in RULES if r.id not in NOT_IN_CORPUS]


@pytest.mark.parametrize("info", CORPUS_RULES, ids=[r.id for r in CORPUS_RULES])
def test_rule_is_hit_by_a_corpus_file(info: RuleInfo) -> None:
    assert info.id in corpus_rules()


@pytest.mark.parametrize("info", RULES, ids=[r.id for r in RULES])
def test_rule_is_listed_in_the_readme(info: RuleInfo) -> None:
    assert f"`{info.id}`" in README.read_text("utf-8")


def test_corpus_names_only_known_rules() -> None:
    assert corpus_rules() <= set(catalogue())


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["", " ", "  ", "    ", "\t", "        "]),
                  st.text(st.sampled_from("ab `.:-\t "), max_size=12)),
        max_size=8,
    )
)  # fmt: skip
def test_cleandoc_is_inspects(lines: list[tuple[str, str]]) -> None:
    """rules.base.cleandoc (kept off lint's start-up) dedents as inspect.cleandoc does."""
    import inspect

    from configgen.rules.base import cleandoc

    doc = "\n".join(indent + text for indent, text in lines)
    assert cleandoc(doc) == inspect.cleandoc(doc)
