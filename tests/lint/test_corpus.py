"""Corpus tests: every file under tests/data/lint/<kind>/{valid,invalid}/ is discovered.

Each file states, in comments at its top, exactly the findings it must produce::

    # expect: 7:5 misspelled-key
    # product: stackstate-5.1.2      (optional: the --product to lint with)
    # require-token                  (optional)

The findings must match the expectations exactly (line, column, rule): nothing missing, nothing
extra.  Files under ``valid/`` may expect warnings or infos, never errors.  Files linted
together (a values file and the Secret it names) are under ``together/<case>/``
(``tests/lint/test_together.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from configgen.findings import Severity
from configgen.lint import run as lint
from configgen.product import profiles
from testing import paths

DATA = paths.DATA / "lint"
FILES = sorted(p for kind in ("helm", "hocon") for p in (DATA / kind).glob("*/*") if p.is_file())
_EXPECT = re.compile(r"(?:#|//)\s*expect:\s*(\d+):(\d+)\s+([\w-]+)")
_PRODUCT = re.compile(r"(?:#|//)\s*product:\s*(\S+)")


def expectations(text: str) -> tuple[set[tuple[int, int, str]], lint.LintOptions]:
    expected = {(int(m[1]), int(m[2]), m[3]) for m in _EXPECT.finditer(text)}
    product = _PRODUCT.search(text)
    options = lint.LintOptions(
        profile=profiles.parse(product[1]) if product else profiles.DEFAULT_PROFILE,
        require_token="# require-token" in text or "// require-token" in text,
    )
    return expected, options


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(DATA)) for p in FILES])
def test_corpus_file_produces_exactly_its_expected_findings(path: Path) -> None:
    text = path.read_text("utf-8")
    expected, options = expectations(text)
    kind = path.parts[-3]
    findings = lint.lint_text(path.name, text, kind, options)
    got = {(f.line, f.column, f.rule) for f in findings}
    detail = "\n".join(f"{f.line}:{f.column} {f.rule} {f.severity}: {f.message}" for f in findings)
    assert got == expected, f"findings differ:\n{detail}"
    if path.parts[-2] == "valid":
        assert not [f for f in findings if f.severity is Severity.ERROR], detail


def test_corpus_is_not_empty() -> None:
    kinds = {(p.parts[-3], p.parts[-2]) for p in FILES}
    assert kinds == {(k, v) for k in ("helm", "hocon") for v in ("valid", "invalid")}
