"""``configgen.messages``: the safe wording of names and values."""

from __future__ import annotations

import os
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from configgen.messages import printable
from testing.fuzz import hostile_names

BIDI_CONTROLS = ("LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI", "LRM", "RLM", "ALM")


@pytest.mark.parametrize(
    ("name", "shown"),
    [
        ("values.yaml", "values.yaml"),
        ("a\nb", "a\\x0ab"),
        ("a\r\nb", "a\\x0d\\x0ab"),
        ("tab\there", "tab\\x09here"),
        ("\x1b]0;title\x07", "\\x1b]0;title\\x07"),
        ("del\x7f c1\x85\x9b", "del\\x7f c1\\x85\\x9b"),
        (os.fsdecode(b"caf\xe9.yaml"), "caf\\xe9.yaml"),
        ("\u202eevil", "\\u202eevil"),
        ("line\u2028sep", "line\\u2028sep"),
        ("café 🙂 ✓", "café 🙂 ✓"),
    ],
)
def test_printable_escapes_what_could_steer_a_terminal_or_a_log(name: str, shown: str) -> None:
    assert printable(name) == shown


@settings(max_examples=500, derandomize=True, database=None)
@given(st.one_of(hostile_names(), st.text()))
def test_printable_gives_one_safe_line_that_encodes_as_utf8(name: str) -> None:
    shown = printable(name)
    # no control character, line or paragraph separator, lone surrogate or bidi control left
    assert not [c for c in shown if unicodedata.category(c) in ("Cc", "Cs", "Zl", "Zp")]
    assert not [c for c in shown if unicodedata.bidirectional(c) in BIDI_CONTROLS]
    shown.encode("utf-8")
    assert printable(shown) == shown  # escaping twice changes nothing
