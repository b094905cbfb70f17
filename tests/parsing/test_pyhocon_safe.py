"""configgen.hoconfile: includes are found before pyhocon runs and never followed."""

from __future__ import annotations

import datetime

import pytest

from configgen.parsing import pyhocon_safe
from configgen.parsing.hocon import includes
from configgen.parsing.hocon.includes import Include
from configgen.parsing.pyhocon_safe import HoconError, IncludeRefused
from configgen.parsing.unresolved import Unresolved


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ('include "other.conf"\n', 1, 1),
        ('INCLUDE "other.conf"\n', 1, 1),
        ('Include file("x")\n', 1, 1),
        ('a = 1\n  include url("http://example.com/x")\n', 2, 3),
        ('include classpath("x")\n', 1, 1),
        ('include package("mod:x.conf")\n', 1, 1),
        ('include required(file("x"))\n', 1, 1),
        ('include required("x")\n', 1, 1),
        ('include   \n"x"\n', 1, 1),
        ('a = [1, include "x"]\n', 1, 9),
        ('a {\n  b = [\n    include file("/etc/passwd")\n  ]\n}\n', 3, 5),
        ('a { include "x" }\n', 1, 5),
        ('a = "q" include "x"\n', 1, 9),
    ],
)
def test_find_includes(text: str, line: int, column: int) -> None:
    found = includes.find_includes(text)
    assert len(found) == 1
    assert (found[0].line, found[0].column) == (line, column)
    assert found[0].text.lower().startswith("include")


@pytest.mark.parametrize(
    "text",
    [
        'a = "include \\"x\\""\n',
        'a = "include url(\\"x\\")"\n',
        '# include "x"\n',
        '// include url("x")\n',
        'a = 1 // include "x"\n',
        'a = 1 # include file("x")\n',
        'a = """include "x" """\n',
        'a = """\ninclude "x"\n"""\n',
        "a.include = 1\n",
        "includes = 1\n",
        "my-include = 1\n",
        "include_file = 1\n",
        'a = "x" # "\ninclude_me = 2\n',
    ],
)
def test_find_includes_ignores_quotes_comments_and_other_words(text: str) -> None:
    assert includes.find_includes(text) == []


def test_find_includes_finds_every_one() -> None:
    text = 'include "a"\nx = 1\ninclude url("b") // c\n'
    assert includes.find_includes(text) == [
        Include(1, 1, 'include "'),
        Include(3, 1, "include url("),
    ]


@pytest.mark.parametrize(
    "text",
    [
        'include "other.conf"\na = 1\n',
        'a = [include file("/etc/passwd")]\n',
        'INCLUDE url("http://127.0.0.1:9/x")\n',
        'include package("os:x.conf")\n',
    ],
)
def test_parse_refuses_includes(text: str) -> None:
    with pytest.raises(IncludeRefused) as info:
        pyhocon_safe.parse(text)
    assert info.value.line >= 1
    assert info.value.column >= 1
    assert "include directives are not followed" in str(info.value)


def test_parse_does_not_resolve_substitutions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONFIGGEN_SECRET", "from-the-environment")
    data = pyhocon_safe.parse('a = ${CONFIGGEN_SECRET}\nb = ${?x.y}\nc = "${CONFIGGEN_SECRET}"\n')
    assert data["a"] == Unresolved("${CONFIGGEN_SECRET}")
    assert data["b"] == Unresolved("${?x.y}")
    assert data["c"] == "${CONFIGGEN_SECRET}"  # literal inside quotes
    assert "from-the-environment" not in repr(data)


def test_parse_quoted_strings_read_back_exactly() -> None:
    text = 'a = "q\\"\\\\ ${x} # // , ] } 🚀"\nb = ["x,y", "cn=a,ou=b"]\n'
    assert pyhocon_safe.parse(text) == {"a": 'q"\\ ${x} # // , ] } 🚀', "b": ["x,y", "cn=a,ou=b"]}


def test_parse_paths_nest() -> None:
    data = pyhocon_safe.parse("a.b.c = 1\na { b { d = 2 } }\n")
    assert data == {"a": {"b": {"c": 1, "d": 2}}}


def test_unquoted_durations_lose_their_text() -> None:
    """Why configgen quotes ttl: pyhocon turns an unquoted duration into a timedelta."""
    data = pyhocon_safe.parse('ttl = 24h\nquoted = "24h"\n')
    assert data["ttl"] == datetime.timedelta(hours=24)
    assert data["quoted"] == "24h"


def test_syntax_error_has_a_position_and_no_text() -> None:
    with pytest.raises(HoconError) as info:
        pyhocon_safe.parse('a {\n  token = "SuperSecret123"\n  b = [1,,2]\n')
    assert info.value.line >= 1
    assert "SuperSecret" not in str(info.value)
