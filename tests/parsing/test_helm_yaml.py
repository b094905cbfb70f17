"""configgen.yamlfile reads YAML as Helm does (yaml.v2's YAML 1.1 rules) and keeps positions."""

from __future__ import annotations

import math
from typing import Any

import pytest
from hypothesis import given, settings

from configgen.findings import ErrorKind
from configgen.parsing import helm_yaml, yaml_values
from configgen.parsing.helm_yaml import Position, YamlError
from configgen.product.helm_scalars import resolve_plain
from testing.fuzz import alias_documents


def value(text: str) -> object:
    return helm_yaml.load(f"v: {text}\n").data["v"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # YAML 1.1 booleans, every spelling yaml.v2 knows
        *[(word, True) for word in ("yes", "Yes", "YES", "on", "On", "ON", "y", "Y", "true",
                                    "True", "TRUE")],
        *[(word, False) for word in ("no", "No", "NO", "off", "Off", "OFF", "n", "N", "false",
                                     "False", "FALSE")],
        ("tRue", "tRue"),
        ("yES", "yES"),
        # nulls
        ("~", None), ("null", None), ("Null", None), ("NULL", None), ("", None),
        # integers as Go's strconv.ParseInt(s, 0, 64) reads them
        ("0777", 511), ("-0777", -511), ("0o17", 15), ("0x1F", 31), ("0b101", 5), ("+1", 1),
        ("1_000", 1000), ("0", 0),
        # digits with a leading zero that are not octal: a float
        ("09", 9.0), ("08", 8.0),
        ("1e3", 1000.0), (".5", 0.5), ("1.", 1.0), ("-2.5e-3", -0.0025),
        ("99999999999999999999", 1e20),  # beyond uint64: float64
        # not numbers for Helm
        ("1:00", "1:00"), ("0x", "0x"), ("1e", "1e"), ("0o", "0o"),
        # dates and timestamps stay strings
        ("2024-01-02", "2024-01-02"), ("2024-01-02T10:00:00Z", "2024-01-02T10:00:00Z"),
        ("2024-1-2 10:00", "2024-1-2 10:00"),
        # quoted scalars are never resolved
        ("'0777'", "0777"), ('"yes"', "yes"), ("'~'", "~"), ('"2024-01-02"', "2024-01-02"),
        ("|\n  no\n", "no\n"),
    ],
)  # fmt: skip
def test_scalars_resolve_like_helm(text: str, expected: object) -> None:
    got = value(text)
    assert got == expected
    assert type(got) is type(expected)


def test_special_floats() -> None:
    assert value(".inf") == math.inf
    assert value("-.Inf") == -math.inf
    assert math.isnan(value(".NaN"))  # type: ignore[arg-type]


def test_keys_are_strings_as_sigs_yaml_makes_them() -> None:
    doc = helm_yaml.load("1: a\ntrue: b\nyes: c\n~: d\n0x10: e\n")
    assert doc.data == {"1": "a", "true": "c", "null": "d", "16": "e"}
    assert doc.duplicates == [(("true",), Position(3, 1))]


def test_positions_are_one_based() -> None:
    doc = helm_yaml.load("token: abc\nroles:\n  - a\n  - b\nttl: [x, y]\n")
    assert doc.keys[("token",)] == Position(1, 1)
    assert doc.values[("token",)] == Position(1, 8)
    assert doc.keys[("roles",)] == Position(2, 1)
    assert doc.values[("roles", 0)] == Position(3, 5)
    assert doc.values[("roles", 1)] == Position(4, 5)
    assert doc.values[("ttl", 1)] == Position(5, 10)
    assert doc.position(("roles", 1)) == Position(4, 5)
    assert doc.position(("roles",)) == Position(3, 3)  # the value: where the list starts
    assert doc.position(("roles",), key=True) == Position(2, 1)  # the key itself
    assert doc.position(("roles", 1), key=True) == Position(4, 5)  # list items have no key
    assert doc.position(("nope", 3)) == Position(1, 1)


def test_styles_and_raw_text() -> None:
    doc = helm_yaml.load("a: 0777\nb: '0777'\nc: |\n  x\n")
    assert doc.styles == {("a",): "plain", ("b",): "quoted", ("c",): "block"}
    assert doc.raw[("a",)] == "0777"
    assert doc.data == {"a": 511, "b": "0777", "c": "x\n"}


def test_duplicates_are_recorded_and_the_last_wins() -> None:
    doc = helm_yaml.load("a: 1\nb:\n  c: 1\n  c: 2\na: 3\n")
    assert doc.data == {"a": 3, "b": {"c": 2}}
    assert doc.duplicates == [(("b", "c"), Position(4, 3)), (("a",), Position(5, 1))]


def test_merge_keys() -> None:
    doc = helm_yaml.load(
        "base: &b {x: 1, z: 2}\n"
        "more: &m {w: 5}\n"
        "one:\n  <<: *b\n  z: 3\n"
        "many:\n  <<: [*b, *m]\n"
        "quoted:\n  '<<': *b\n"
    )
    assert doc.data["one"] == {"x": 1, "z": 3}  # explicit keys win over merged ones
    assert doc.data["many"] == {"x": 1, "z": 2, "w": 5}
    assert doc.data["quoted"] == {"<<": {"x": 1, "z": 2}}  # a quoted << is an ordinary key


def test_aliases_expand() -> None:
    doc = helm_yaml.load("a: &x [1, 2]\nb: *x\n")
    assert doc.data == {"a": [1, 2], "b": [1, 2]}


def test_alias_bomb_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    """Expanded values are counted (the real limit is exercised by the CLI corpus)."""
    lines = ["l0: &l0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 10) + "]" for i in range(1, 9)]
    with pytest.raises(YamlError, match="expands to more than 1000 values") as info:
        helm_yaml.load("\n".join(lines) + "\n", max_nodes=1000)
    assert info.value.position >= Position(1, 1)
    # Just under the limit is fine: the same aliases, fewer levels.
    assert len(helm_yaml.load("\n".join(lines[:2]) + "\n").data["l1"]) == 10


def _count(value: Any) -> int:
    """Values in plain data as the builder counts them: each mapping, list and scalar."""
    if isinstance(value, dict):
        return 1 + sum(map(_count, value.values()))
    if isinstance(value, list):
        return 1 + sum(map(_count, value))
    return 1


@pytest.fixture
def builds(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many values ``helm_yaml`` built (one count per ``_Builder.build`` call)."""
    calls = [0]
    real = yaml_values.Builder.build

    def counting(self: Any, *args: Any) -> Any:
        calls[0] += 1
        return real(self, *args)

    monkeypatch.setattr(yaml_values.Builder, "build", counting)
    return calls


def test_merge_key_bomb_is_refused_before_anything_is_built(builds: list[int]) -> None:
    """Each level merges the one below it and refers to it twice (3**30 values): lint spent
    3.5-3.9 s and 128 MB building 200,000 values before it gave up; the count refuses it
    first, having built nothing."""
    lines = ["a0: &a0 {k0: 1, k1: 1}"]
    lines += [f"a{i}: &a{i} {{<<: [*a{i - 1}], x: *a{i - 1}, y: *a{i - 1}}}" for i in range(1, 30)]
    with pytest.raises(YamlError, match="expands to more than 200000 values") as info:
        helm_yaml.load("\n".join(lines) + "\n")
    assert info.value.kind is ErrorKind.LIMIT
    assert builds == [0]


def test_repeated_merges_of_one_mapping_cost_nothing(builds: list[int]) -> None:
    """``<<: [*l, *l, ...]`` sets the same keys again: the benchmarks' 1.1 KB merge-key bomb
    (10 merges per level, 12 levels) is small once merges are resolved as yaml.v2 does."""
    from benchmarks.inputs.anchors import merge_bomb

    doc = helm_yaml.load(merge_bomb())
    assert _count(doc.data) == builds[0] < 1000
    assert doc.duplicates == []


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(alias_documents())
def test_the_count_is_exact_and_comes_before_the_work(text: str) -> None:
    """Generator: documents of aliases and merge keys.  With ``max_nodes`` equal to what the
    document expands to it loads; one less and it is refused, before any value is built."""
    total = _count(helm_yaml.load(text).data)
    assert _count(helm_yaml.load(text, max_nodes=total).data) == total
    calls = [0]
    real = yaml_values.Builder.build

    def counting(self: Any, *args: Any) -> Any:
        calls[0] += 1
        return real(self, *args)

    yaml_values.Builder.build = counting  # type: ignore[method-assign]
    try:
        with pytest.raises(YamlError, match="expands to more than") as info:
            helm_yaml.load(text, max_nodes=total - 1)
    finally:
        yaml_values.Builder.build = real  # type: ignore[method-assign]
    assert info.value.kind is ErrorKind.LIMIT
    assert calls == [0]


def test_merge_keys_follow_yaml_v2_order() -> None:
    """yaml.v2 (Helm) sets entries in order, a merge included, so a merge after a key
    overrides it; in a list of merges the first wins.  Merged keys are not duplicates."""
    doc = helm_yaml.load(
        "a: &a {k: 1, j: 1}\nb: &b {k: 2, m: 2}\n"
        "first-wins:\n  <<: [*a, *b]\n"
        "merge-last:\n  k: 3\n  <<: *a\n"
        "same-twice:\n  <<: [*a, *a, *a]\n"
    )
    assert doc.data["first-wins"] == {"k": 1, "j": 1, "m": 2}
    assert doc.data["merge-last"] == {"k": 1, "j": 1}
    assert doc.data["same-twice"] == {"k": 1, "j": 1}
    assert doc.duplicates == []


def test_a_merge_of_something_that_is_not_a_mapping_is_unreadable_for_helm() -> None:
    doc = helm_yaml.load("a: &a [1]\nb:\n  <<: *a\n  c: 1\n")
    assert [what for _, what in doc.unreadable] == ["a merge key (<<) whose value is not a mapping"]


def test_merges_of_merges_are_levels() -> None:
    """A merge source that merges another, 300 times nested: counted as levels, refused as
    nesting is (the count must not recurse without bound)."""
    text = "a: " + "{<<: " * 300 + "{k: 1}" + "}" * 300 + "\n"
    with pytest.raises(YamlError, match="merge keys") as info:
        helm_yaml.load(text)
    assert info.value.kind is ErrorKind.LIMIT


def test_deep_nesting_is_refused() -> None:
    with pytest.raises(YamlError, match="nesting deeper than"):
        helm_yaml.load("[" * 150 + "]" * 150)


def test_multiple_documents_are_refused() -> None:
    with pytest.raises(YamlError, match="more than one YAML document") as info:
        helm_yaml.load("a: 1\n---\nb: 2\n")
    assert info.value.position == Position(3, 1)


def test_one_document_with_markers_is_fine() -> None:
    assert helm_yaml.load("---\na: 1\n...\n").data == {"a": 1}


@pytest.mark.parametrize(
    ("text", "position", "fragment"),
    [
        ("a: [1\n", Position(1, 6), "expected ',' or ']'"),
        # libyaml's wording and positions: Go's yaml.v2 (Helm) is a port of libyaml.
        ("a: b: c\n", Position(1, 5), "mapping values are not allowed in this context"),
        ("a:\n\tb: 1\n", Position(2, 1), "found character that cannot start any token"),
        ('a: "x\\q"\n', Position(1, 6), "found unknown escape character"),
    ],
)
def test_syntax_errors_have_positions(text: str, position: Position, fragment: str) -> None:
    with pytest.raises(YamlError) as info:
        helm_yaml.load(text)
    assert info.value.position == position
    assert info.value.message.startswith("invalid YAML: ")
    assert fragment in info.value.message


def test_syntax_error_message_does_not_quote_the_line() -> None:
    with pytest.raises(YamlError) as info:
        helm_yaml.load("token: SuperSecretValue123: x\n")
    assert "SuperSecret" not in info.value.message
    assert "SuperSecret" not in str(info.value)


def test_complex_keys_are_refused() -> None:
    with pytest.raises(YamlError, match="a mapping key must be a plain value") as info:
        helm_yaml.load("? [a, b]\n: 1\n")
    assert info.value.position == Position(1, 3)


def test_empty_documents() -> None:
    assert helm_yaml.load("").data is None
    assert helm_yaml.load("# only a comment\n").data is None
    assert helm_yaml.load("---\n").data is None


def test_tags_are_ignored() -> None:
    assert helm_yaml.load("a: !!python/object:os.system echo\n").data == {"a": "echo"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [("0777", 511), ("yes", True), ("2024-01-02", "2024-01-02"), ("hello", "hello")],
)
def test_resolve_plain(text: str, expected: object) -> None:
    assert resolve_plain(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # What gopkg.in/yaml.v2 (2.4.0, Go 1.19) answered in tests/test_oracle_helm_yaml.py:
        # strconv.ParseFloat out of range is an error, so the scalar stays text
        ("1e400", "1e400"), ("-1e400", "-1e400"), (".5e999", ".5e999"), ("1.8e308", "1.8e308"),
        ("1e-400", 0.0),  # underflow is not an error
        # a "." start goes straight to ParseFloat, which takes Go's digit separators
        (".5_0", 0.5), (".1_2_3", 0.123), (".5e1_0", 5e9), ("._5", "._5"), (".5_", ".5_"),
        # ParseUint takes no sign: a signed value beyond int64 is a float, or text if not decimal
        ("+9223372036854775808", 9.223372036854776e18),
        ("+0x8000000000000000", "+0x8000000000000000"),
        ("+01000000000000000000000", 1e21), ("-9223372036854775809", -9.223372036854776e18),
        ("18446744073709551615", 18446744073709551615), ("9223372036854775808", 2**63),
        # resolve.go retries "0b..." with ParseInt(rest, 2, 64), which takes a sign
        ("0b-101", -5), ("0b+101", 5), ("0B-1", "0B-1"), ("-0b-1", "-0b-1"),
    ],
)  # fmt: skip
def test_resolve_plain_matches_go_edge_cases(text: str, expected: object) -> None:
    got = resolve_plain(text)
    assert got == expected
    assert type(got) is type(expected)
