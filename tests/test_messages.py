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


def test_a_finding_is_an_immutable_value_compared_without_its_json_path() -> None:
    import pickle

    from configgen.findings import Finding, Severity

    a = Finding("f.yaml", 3, 5, "ttl-format", Severity.ERROR, "bad ttl", ("a", 0))
    b = Finding("f.yaml", 3, 5, "ttl-format", Severity.ERROR, "bad ttl")
    later = Finding("f.yaml", 4, 1, "ttl-format", Severity.ERROR, "bad ttl")
    assert a == b
    assert hash(a) == hash(b)
    assert len({a, b}) == 1
    assert a != "f.yaml:3:5"
    assert a < later
    assert a <= b
    assert later > a
    assert later >= a
    assert sorted([later, a]) == [a, later]
    with pytest.raises(AttributeError, match="immutable"):
        a.line = 4  # type: ignore[misc]
    with pytest.raises(AttributeError, match="immutable"):
        del a.line  # type: ignore[misc]
    copy = pickle.loads(pickle.dumps(a))
    assert (copy, copy.json_path) == (a, ("a", 0))
    assert a.replace(line=9).line == 9
    assert a.replace(line=9).json_path == ("a", 0)
    with pytest.raises(TypeError, match="no field"):
        a.replace(colour="red")
    assert repr(b) == (
        "Finding(path='f.yaml', line=3, column=5, rule='ttl-format', "
        "severity=<Severity.ERROR: 3>, message='bad ttl', json_path=())"
    )
