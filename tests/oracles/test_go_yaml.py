"""configgen's model of how Helm reads plain YAML scalars, checked against the real Go code.

Helm reads values files with ``sigs.k8s.io/yaml`` over ``gopkg.in/yaml.v2`` (YAML 1.1 rules, then a
JSON round trip that makes every number a float64).  ``configgen.yamlfile`` emulates that in
Python (``resolve_plain``), and the ``yaml11-scalar`` rule relies on it.  Each test here sends a
few thousand generated documents to the Go oracle (``yaml_oracle.py``) in one batch and compares,
per scalar:

- yaml.v2 alone: ``resolve_plain``'s type and exact value against the Go type and value;
- Helm: ``helm_yaml.load``'s value after the same JSON round trip (ints become float64; ``.inf`` and
  ``.nan`` make Helm fail) against what ``.Values`` holds, and what ``{{ .Values.k }}`` prints;
- the lint rule: ``yaml11-scalar`` reports a bootstrap string as "not the text written" exactly
  when Go does not read a string there.

Run ``python tests/test_oracle_helm_yaml.py`` (with the oracle built as in ``yaml_oracle.py``) for
the agreement numbers; the tests themselves require full agreement.  Keys are compared too
(``test_plain_keys_read_like_helm``).
"""

from __future__ import annotations

import itertools
import math
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from configgen.findings import Severity
from configgen.parsing import documents, helm_yaml
from configgen.parsing.helm_yaml import YamlError
from configgen.product.profiles import DEFAULT_PROFILE
from configgen.rules import yaml11
from configgen.rules.base import Context
from testing import yaml_oracle
from testing.fuzz import alias_document

pytestmark = pytest.mark.oracle


# --------------------------------------------------------------------------------------------
# The scalars: every YAML 1.1 edge case yaml.v2 has, near misses, and reproducible random tokens.


def case_variants(word: str) -> list[str]:
    """Every upper/lower-case spelling of ``word`` (``on``: on, oN, On, ON)."""
    options = [(c.lower(), c.upper()) if c.isalpha() else (c,) for c in word]
    return ["".join(p) for p in itertools.product(*options)]


def number_forms(n: int) -> list[str]:
    """``n`` written in decimal, hex, octal (both spellings) and binary, with signs."""
    forms = [str(abs(n)), hex(abs(n)), "0" + oct(abs(n))[2:], "0o" + oct(abs(n))[2:]]
    forms.append(bin(abs(n)))
    sign = "-" if n < 0 else ""
    return [sign + f for f in forms] + ([f"+{f}" for f in forms] if n >= 0 else [])


BOUNDARIES = [2**k + d for k in (7, 8, 15, 16, 31, 32, 53, 63, 64, 65) for d in (-1, 0, 1)]

EDGE_CASES = [
    # nulls and things near them
    "", "~", "~~", "nil", "None", "none", "NuLL", "Null", "nulls", "null!",
    # special floats and their near misses
    "inf", "Inf", "nan", "NaN", "infinity", "Infinity", "+inf", "-inf", ".infinity", ".in",
    "..inf", ".inf.", "+.nan", "-.nan", "+.NaN", ".na", "+nan", ".5inf",
    # integers
    "0", "00", "000", "-0", "+0", "007", "08", "09", "0777", "-0777", "+0777", "0778", "01_0",
    "0o17", "0O17", "0o", "0o8", "-0o17", "+0o17", "0o_17", "0x1F", "0X1f", "-0x1F", "+0x1F",
    "0x", "0xg", "0x_1F", "0x1F_", "0xFFFFFFFFFFFFFFFF", "0x1FFFFFFFFFFFFFFFF",
    "-0x8000000000000000", "-0x8000000000000001",
    "0b101", "0B101", "-0b101", "+0b101", "0b", "0b2", "0b_101", "-0b",
    "0b-101", "0b+101", "0b-", "-0b-1", "-0b+1", "+0b-1", "0b1_", "0b-1_0", "0B-1", "-0B1",
    "0b" + "1" * 63, "0b" + "1" * 64, "0b" + "1" * 65, "-0b1" + "0" * 63, "-0b1" + "0" * 64,
    ".5e1_0", ".5_0e1", ".5__0", ".5_e3", ".5e_3", ".5e+_3", ".5e3_", ".1_2_3", ".5e-1_0",
    "1_000", "1__000", "_1000", "1000_", "_", "__", "+_1", "-_1", "1_000_000", "0_777", "0_8",
    "1,000", "1 000", "10Mi", "5s", "24h", "1d", "100%", "$1", "#1", "1#2",
    # floats
    "1.5", ".5", "5.", "-.5", "+.5", "-5.", "1e3", "1E3", "1e+3", "1E+3", "1e-3", "1.5e3",
    "-1.5E-3", "1_000.5", "1_000.5e1_0", "1e3_0", ".5_0", "._5", ".5_", "1_e3", "1e_3", "1.e3",
    ".e3", "1e", "1E", "1e+", "1e-", "e3", "E3", "1.5.5", "0.1", "0.0001", "0.00001", "1.0",
    "-0.0", "0.", "00.5", "0777.5", "09.5", "123456.0", "1234567.0", "100000", "1000000",
    "12345678", "1e6", "1e20", "1e21", "1e22", "1e308", "1.8e308", "1e309", "1e400", "-1e400",
    "1e-320", "1e-400", ".5e999", ".5e-999", "4.9e-324", "2.5e-324", "0x1p3", "0x1.8p1", "1p3",
    "9007199254740993", "9007199254740993.0", "0.30000000000000004", "1.7976931348623157e308",
    # timestamps (strings for Helm) and near misses
    "2024-01-02", "2024-1-2", "2024-01-02T03:04:05Z", "2024-01-02t03:04:05Z",
    "2024-01-02 03:04:05", "2024-01-02T03:04:05.123+02:00", "2024-01-02T03:04:05.5",
    "2024-13-45", "2024-02-30", "20240102", "2024-01-02T", "99999-01-02", "999-01-02",
    "2024-01", "2024-", "2024_01_02", "2024-01-02x", "1-2-3", "2001-12-14 21:59:43.10 -5",
    # sexagesimal (strings for yaml.v2) and clock times
    "1:30", "190:20:30", "-1:30", "+1:30", "1:30.5", "12:00", "00:00", "1:2:3:4", "1:",
    # near misses of booleans and words
    "yes!", "no.", "y.", "Yes.", "yess", "ye", "YEs", "nO", "oN", "ofF", "tRue", "FaLsE", "truee",
    "ttrue", "on1", "yes no", "y n", "true false", "t", "f", "T", "F", "0n", "1y", "o", "O",
    # punctuation and short tokens
    "+", "-", ".", "..", "...", "+-1", "-+1", "--1", "++1", "1-1", "1+1", "-.", "+.", ".-1",
    "..5", "1..5", "0e0", "0.e0", ".e1", "1.e1", "0777a", "a0777", "0x0x1", "00x1", "x1F",
    "1 2", "0777 x", "1e3 x", "yes x",
    # non-ASCII digits (Python's str.isdigit() is true for these, Go's table is ASCII)
    "١٢٣", "１２３", "²", "0x١", "1٣", "٣.5",  # noqa: RUF001
]  # fmt: skip


def generated() -> Iterator[str]:
    """Reproducible tokens: the same on every run."""
    rng = random.Random(20240102)
    for word in ("y", "yes", "n", "no", "on", "off", "true", "false", "null", ".inf", ".nan"):
        yield from case_variants(word)
        for sign in "+-":
            yield from (sign + v for v in case_variants(word) if word in (".inf", ".nan"))
    for n in BOUNDARIES:
        for value in (n, -n):
            yield from number_forms(value)
            yield f"{value:_}"  # 1_000_000
            yield f"{value}.0"
            yield f"{value}e0"
    # Digit-only tokens of many lengths: with a leading zero (octal, or a float when 8 or 9
    # follows), octal digits only, and any digits.
    for length in range(1, 41):
        for _ in range(4):
            yield "".join(rng.choice("0123456789") for _ in range(length))
        yield "0" + "".join(rng.choice("01234567") for _ in range(length))
        yield "0" + "".join(rng.choice("0123456789") for _ in range(length))
        yield "0" * length
        yield "9" * length
    # Tokens of hex digits only: "1e5" is a float, "12e4567" a float out of range, "0e12" zero.
    for length in range(1, 41):
        for alphabet in ("0123456789abcdef", "0123456789ABCDEF", "0123456789eE"):
            for _ in range(3):
                yield "".join(rng.choice(alphabet) for _ in range(length))
    # Random tokens over the characters that make up YAML 1.1 numbers.
    for _ in range(700):
        yield "".join(rng.choice("0123456789+-._eExXoObB") for _ in range(rng.randint(1, 8)))


def unique(items: Iterator[str] | Sequence[str]) -> list[str]:
    return list(dict.fromkeys(items))


SCALARS = unique(itertools.chain(EDGE_CASES, generated()))

# Quoted scalars are strings for both, whatever they say.
QUOTED = [
    "'yes'", '"no"', "'0777'", '"0x1F"', "'1e3'", '"~"', "''", '""', "'.inf'", '".nan"',
    "'2024-01-02'", '"1_000"', "'null'", '"1e400"',
]  # fmt: skip

# Documents Helm refuses although yaml.v2 reads them: JSON has no infinity or NaN, and JSON keys
# must be strings (sigs.k8s.io/yaml has no string for a null or uint64 key).
REFUSED = [
    "k: .inf\n", "k: -.Inf\n", "k: +.INF\n", "k: .nan\n", "k: .NaN\n", "k: [1, .inf]\n",
    "k: {a: .nan}\n", "~: x\n", "null: x\n", "18446744073709551615: x\n",
]  # fmt: skip


# --------------------------------------------------------------------------------------------
# Python models of the Go side.


def go_type_class(go_type: str) -> str:
    """The Python type yaml.v2's Go type corresponds to."""
    return {
        "int": "int",
        "int64": "int",
        "uint64": "int",
        "float64": "float",
        "string": "str",
        "bool": "bool",
        "<nil>": "NoneType",
    }.get(go_type, go_type)


def go_print_float(f: float) -> str:
    """``fmt.Sprint(f)`` for a float64: shortest digits, %e when the exponent is < -4 or >= 6.

    (strconv's 'g' with the shortest precision: ``eprec = 6``; so 1000000 prints ``1e+06``.)
    """
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    sign = "-" if math.copysign(1.0, f) < 0 else ""
    if f == 0:
        return sign + "0"
    # repr() is the shortest round-trip form, as Go's shortest formatting.
    _, digit_tuple, exponent = Decimal(repr(abs(f))).normalize().as_tuple()
    assert isinstance(exponent, int)
    digits = "".join(map(str, digit_tuple))
    point = len(digits) + exponent  # where the decimal point goes
    exp = point - 1
    if exp < -4 or exp >= 6:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return sign + digits + "0" * (point - len(digits))
    return f"{sign}{digits[:point]}.{digits[point:]}"


@dataclass(frozen=True)
class HelmView:
    """What Helm would hold for configgen's value: after the JSON round trip, and printed."""

    go_type: str | None  # None: Helm fails (no JSON for infinity/NaN)
    value: Any = None
    printed: str = ""


def helm_view(value: Any) -> HelmView:
    """configgen's value as Helm's templates would see it, by configgen's own model."""
    if value is None:
        return HelmView("<nil>", None, "<no value>")
    if isinstance(value, bool):
        return HelmView("bool", value, "true" if value else "false")
    if isinstance(value, (int, float)):
        number = float(value)  # JSON numbers are float64 in Go
        if not math.isfinite(number):
            return HelmView(None)
        return HelmView("float64", number, go_print_float(number))
    if isinstance(value, str):
        return HelmView("string", value, value)
    raise AssertionError(f"unexpected value {value!r}")


def same_number(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or (
        a == b and math.copysign(1, a) == math.copysign(1, b)
    )


def exact_value(scalar: yaml_oracle.Scalar) -> Any:
    """yaml.v2's value as Python: ints exactly, floats from Go's shortest text."""
    kind = go_type_class(scalar.type)
    if kind == "int":
        return int(scalar.text)
    if kind == "float":
        return float(scalar.text.replace("+Inf", "inf").replace("-Inf", "-inf"))
    if kind == "bool":
        return scalar.text == "true"
    if kind == "NoneType":
        return None
    return scalar.text


# --------------------------------------------------------------------------------------------
# Comparing.


@dataclass(frozen=True)
class Comparison:
    """One scalar, read by Go and by configgen."""

    text: str
    go: yaml_oracle.HelmRead
    ours: Any  # configgen's value, or a YamlError
    raw: str | None  # the plain scalar's text as configgen read it ("#1" is a comment: "")
    yaml_disagreement: str | None  # resolve_plain vs yaml.v2
    helm_disagreement: str | None  # load + JSON round trip vs Helm's .Values and printing


def compare(text: str, go: yaml_oracle.HelmRead) -> Comparison:
    raw = None
    try:
        doc = helm_yaml.load(f"k: {text}\n")
        ours: Any = doc.data["k"]
        raw = doc.raw.get(("k",))
    except YamlError as err:
        ours = err
    if go.stage == yaml_oracle.YAML or isinstance(ours, YamlError):
        # Syntax: both must refuse, or neither (ruamel composes, yaml.v2 parses).
        if (go.stage == yaml_oracle.YAML) != isinstance(ours, YamlError):
            problem = f"syntax: Go {go.stage} {go.error!r}, configgen {ours!r}"
            return Comparison(text, go, ours, raw, problem, problem)
        return Comparison(text, go, ours, raw, None, None)
    return Comparison(text, go, ours, raw, _yaml_problem(ours, go), _helm_problem(ours, go))


def _yaml_problem(ours: Any, go: yaml_oracle.HelmRead) -> str | None:
    scalar = go.yaml["k"]
    want = exact_value(scalar)
    kind = go_type_class(scalar.type)
    if type(ours).__name__ != kind:
        return f"yaml.v2 {scalar.type} {scalar.text!r}, configgen {type(ours).__name__} {ours!r}"
    if kind == "float" and same_number(ours, want):
        return None
    if kind != "float" and ours == want:
        return None
    return f"yaml.v2 {scalar.type} {scalar.text!r}, configgen {ours!r}"


def _helm_problem(ours: Any, go: yaml_oracle.HelmRead) -> str | None:
    view = helm_view(ours)
    if go.stage != yaml_oracle.OK or view.go_type is None:
        if go.stage == yaml_oracle.JSON and view.go_type is None:
            return None  # both: Helm cannot read this file
        return f"Helm {go.stage} {go.error!r}, configgen {ours!r} -> {view}"
    assert go.values is not None
    got_type, got, printed = go.types["k"], go.values["k"], go.printed["k"]
    if got_type != view.go_type:
        return f"Helm {got_type} {got!r}, configgen {view.go_type} {view.value!r}"
    if got_type == "float64":
        if not same_number(float(got), view.value):
            return f"Helm {got!r}, configgen {view.value!r}"
    elif got != view.value:
        return f"Helm {got!r}, configgen {view.value!r}"
    if printed != view.printed:
        return f"Helm prints {printed!r}, configgen's model prints {view.printed!r}"
    return None


def report(title: str, problems: Sequence[object], limit: int = 25) -> str:
    shown = "\n".join(f"  {p}" for p in problems[:limit])
    more = f"\n  ... and {len(problems) - limit} more" if len(problems) > limit else ""
    return f"{len(problems)} {title}:\n{shown}{more}"


@pytest.fixture(scope="module")
def comparisons(go_yaml: yaml_oracle.HelmYaml) -> list[Comparison]:
    reads = go_yaml.read(f"k: {text}\n" for text in SCALARS)
    return [compare(text, go) for text, go in zip(SCALARS, reads, strict=True)]


# --------------------------------------------------------------------------------------------
# The tests.


def test_enough_scalars() -> None:
    assert len(SCALARS) >= 2000


def test_go_print_model_matches_go(go_yaml: yaml_oracle.HelmYaml) -> None:
    """The test's own model of fmt.Sprint(float64), checked before it is used below."""
    rng = random.Random(7)
    numbers = [0.0, -0.0, 1.0, 1e20, 1e21, 1e-4, 1e-5, 123456.0, 1234567.0, 0.1, 1 / 3]
    numbers += [rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30) for _ in range(300)]
    numbers += [float(rng.randint(0, 10 ** rng.randint(1, 25))) for _ in range(300)]
    reads = go_yaml.read(f"k: {n!r}\n" for n in numbers)
    wrong = [
        (n, read.printed.get("k"), go_print_float(n))
        for n, read in zip(numbers, reads, strict=True)
        if read.printed.get("k") != go_print_float(n)
    ]
    assert not wrong, report("differences in printing floats (number, Go, model)", wrong)


def test_plain_scalars_resolve_like_yaml_v2(comparisons: list[Comparison]) -> None:
    """resolve_plain gives yaml.v2's type and exact value (before the JSON round trip)."""
    problems = [f"{c.text!r}: {c.yaml_disagreement}" for c in comparisons if c.yaml_disagreement]
    assert not problems, report("disagreements with yaml.v2", problems)


def test_plain_scalars_read_like_helm(comparisons: list[Comparison]) -> None:
    """load's values, after Helm's JSON round trip, are .Values, and print the same."""
    problems = [f"{c.text!r}: {c.helm_disagreement}" for c in comparisons if c.helm_disagreement]
    assert not problems, report("disagreements with Helm", problems)


def test_yaml11_rule_flags_exactly_what_go_does_not_read_as_text(
    comparisons: list[Comparison],
) -> None:
    """``roles: [<scalar>]`` is an error of yaml11-scalar exactly when Helm reads no string.

    All the scalars go into one values file as items of the bootstrap ``roles`` list (one lint run
    instead of thousands); each item is checked to have been read as the same plain text.
    """
    candidates = [
        c for c in comparisons if c.go.stage != yaml_oracle.YAML and c.text and c.raw == c.text
    ]
    lines = ["stackstate:", "  authentication:", "    serviceToken:", "      bootstrap:"]
    lines += ["        roles:", *(f"          - {c.text}" for c in candidates)]
    text = "\n".join(lines) + "\n"
    doc = documents.from_yaml("values.yaml", text, helm_yaml.load(text))
    assert doc.yaml is not None
    roles = (*doc.bootstrap, "roles")
    for i, c in enumerate(candidates):
        assert doc.yaml.raw[(*roles, i)] == c.text
        assert doc.yaml.styles[(*roles, i)] == "plain"
    flagged = {
        f.json_path[-1]
        for f in yaml11.check(Context(doc, DEFAULT_PROFILE))
        if f.severity == Severity.ERROR and f.json_path[:-1] == roles
    }
    problems = []
    for i, c in enumerate(candidates):
        go_not_text = c.go.stage == yaml_oracle.JSON or c.go.types.get("k") != "string"
        if (i in flagged) != go_not_text:
            problems.append(
                f"{c.text!r}: Go {c.go.types.get('k') or c.go.stage}, flagged {i in flagged}"
            )
    assert not problems, report("disagreements of the yaml11 rule with Go", problems)


@pytest.mark.parametrize("text", QUOTED)
def test_quoted_scalars_are_strings_for_both(go_yaml: yaml_oracle.HelmYaml, text: str) -> None:
    go = go_yaml.read_one(f"k: {text}\n")
    ours = helm_yaml.load(f"k: {text}\n").data["k"]
    assert go.ok, go.error
    assert go.types["k"] == "string"
    assert go.values == {"k": ours}
    assert go.printed["k"] == ours


def test_documents_helm_refuses(go_yaml: yaml_oracle.HelmYaml) -> None:
    """yaml.v2 reads these, but Helm fails ("error converting YAML to JSON").

    configgen's ``load`` reads them without complaint (infinity and NaN as floats, a null key as
    "null", a uint64 key as its digits): ``yamlfile`` has no way to say "Helm will fail here", so
    spotting these needs a lint finding of its own (see the report of this test's author).
    """
    reads = go_yaml.read(REFUSED)
    for text, go in zip(REFUSED, reads, strict=True):
        assert go.stage == yaml_oracle.JSON, (text, go)
        assert go.error.startswith("error converting YAML to JSON: "), go.error
        helm_yaml.load(text)  # configgen: no error


def test_plain_keys_read_like_helm(go_yaml: yaml_oracle.HelmYaml) -> None:
    """``<scalar>: v``: configgen's key is the string key Helm makes, and where Helm refuses the
    file (null keys, keys beyond int64), configgen records it as unreadable."""
    texts = [text for text in SCALARS if text]
    reads = go_yaml.read(f"{text}: v\n" for text in texts)
    problems = []
    for text, go in zip(texts, reads, strict=True):
        try:
            loaded = helm_yaml.load(f"{text}: v\n")
        except YamlError as err:
            if go.stage != yaml_oracle.YAML:
                problems.append(f"{text!r}: Helm {go.stage}, configgen {err!r}")
            continue
        if not go.ok:
            if not loaded.unreadable:
                problems.append(f"{text!r}: Helm refuses ({go.error}), configgen reads it")
            continue
        if go.values is None or list(go.values) != list(loaded.data or {}) or loaded.unreadable:
            problems.append(f"{text!r}: Helm {list(go.values or {})!r}, configgen "
                            f"{list(loaded.data or {})!r} {loaded.unreadable!r}")  # fmt: skip
    assert not problems, report("disagreements on keys", problems)


def test_empty_and_comment_only_documents(go_yaml: yaml_oracle.HelmYaml) -> None:
    texts = ["", "\n", "# only a comment\n", "---\n", "~\n"]
    for text, go in zip(texts, go_yaml.read(texts), strict=True):
        assert go.ok
        assert go.values == {}
        assert helm_yaml.load(text).data is None


def agreement(comparisons: Sequence[Comparison]) -> str:
    total = len(comparisons)
    yaml_ok = sum(c.yaml_disagreement is None for c in comparisons)
    helm_ok = sum(c.helm_disagreement is None for c in comparisons)
    return (
        f"{total} plain scalars: yaml.v2 level {yaml_ok}/{total} "
        f"({100 * yaml_ok / total:.2f}%), Helm level {helm_ok}/{total} "
        f"({100 * helm_ok / total:.2f}%)"
    )


if __name__ == "__main__":  # the agreement numbers, and every disagreement
    import sys
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        oracle = yaml_oracle.HelmYaml.build(Path(tmp))
        reads = oracle.read(f"k: {text}\n" for text in SCALARS)
    found = [compare(text, go) for text, go in zip(SCALARS, reads, strict=True)]
    for c in found:
        if c.yaml_disagreement or c.helm_disagreement:
            print(f"{c.text!r}\n  yaml.v2: {c.yaml_disagreement}\n  Helm:    {c.helm_disagreement}")
    print(agreement(found))
    sys.exit(0)


# --------------------------------------------------------------------------------------------
# Aliases and merge keys (issue #13): configgen resolves merges as yaml.v2 does.


def test_aliases_and_merge_keys_read_like_helm(go_yaml: yaml_oracle.HelmYaml) -> None:
    """Generator: 2,000 documents of anchors, aliases and merge keys (seeded): what configgen
    reads is what Helm reads, and Helm refuses exactly what configgen records as unreadable
    (a merge of something that is not a mapping)."""
    rng = random.Random(13)
    texts = [alias_document(rng) for _ in range(2000)]
    problems = []
    for text, go in zip(texts, go_yaml.read(texts), strict=True):
        loaded = helm_yaml.load(text)
        if go.stage == yaml_oracle.YAML:  # a merge yaml.v2 refuses
            if not loaded.unreadable:
                problems.append(f"{text!r}: Helm refuses ({go.error}), configgen reads it")
            continue
        assert go.ok, (text, go)
        if loaded.unreadable or go.values != loaded.data:
            problems.append(f"{text!r}: Helm {go.values!r}, configgen {loaded.data!r}")
    assert not problems, report("disagreements on aliases and merge keys", problems)
