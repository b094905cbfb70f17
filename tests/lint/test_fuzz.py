"""Property tests of ``configgen.lint.run.lint_text`` on random and mutated input, for both
kinds; the strategies and properties are in ``testing/fuzz.py``.

The run is fixed and reproducible: ``derandomize=True`` and ``EXAMPLES`` (300) examples per
kind and source, 1,200 in all (10-20 s).  ``scripts/fuzz_lint.py`` runs the same strategies and
properties with a large budget (see docs/fuzzing.md).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from configgen.lint import run as lint
from testing.fuzz import (
    ALIASES,
    EXAMPLES,
    KINDS,
    PLANTED,
    Sample,
    alias_documents,
    check,
    mutated_seeds,
    options_strategy,
    plant,
    random_texts,
    seeds,
)

# -- the fixed pytest run -----------------------------------------------------------------------

FIXED = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def test_seeds_hold_tokens_to_plant() -> None:
    for kind in KINDS:
        assert len(seeds(kind)) >= 5, kind
        for name, text in seeds(kind):
            assert PLANTED[0] in plant(text, PLANTED[0]), name


@FIXED
@given(text=random_texts("helm"), options=options_strategy())
def test_random_helm_text(text: str, options: lint.LintOptions) -> None:
    """300 derandomized examples."""
    assert check(Sample("helm", text), options) == []


@FIXED
@given(text=random_texts("hocon"), options=options_strategy())
def test_random_hocon_text(text: str, options: lint.LintOptions) -> None:
    """300 derandomized examples."""
    assert check(Sample("hocon", text), options) == []


@FIXED
@given(sample=mutated_seeds("helm"), options=options_strategy())
def test_mutated_helm_files(sample: Sample, options: lint.LintOptions) -> None:
    """300 derandomized examples."""
    assert check(sample, options) == []


@FIXED
@given(sample=mutated_seeds("hocon"), options=options_strategy())
def test_mutated_hocon_files(sample: Sample, options: lint.LintOptions) -> None:
    """300 derandomized examples."""
    assert check(sample, options) == []


@FIXED
@given(text=alias_documents(), options=options_strategy())
def test_alias_and_merge_key_documents(text: str, options: lint.LintOptions) -> None:
    """300 derandomized examples of anchors, aliases and merge keys (issue #13)."""
    assert check(Sample("helm", text, seed=ALIASES), options) == []
