"""The YAML composer: libyaml imported without PyYAML's unused Unicode regex, ruamel as fallback."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from configgen.findings import ErrorKind
from configgen.parsing import helm_yaml, libyaml

SAMPLES = ["plain text", "tab\there", "bell\x07", "\x85nel", "\ud800", "\ufffe", "😀", "\x7f", ""]


def test_pyyaml_gets_the_stand_in_and_it_matches_like_the_real_pattern() -> None:
    script = (
        "from configgen.parsing import helm_yaml\n"
        "helm_yaml.load('a: 1\\n')\n"
        "import yaml.reader\n"
        "pattern = yaml.reader.Reader.NON_PRINTABLE\n"
        "print(type(pattern).__name__)\n"
        f"print([bool(pattern.search(s)) for s in {SAMPLES!r}])\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    real = re.compile(libyaml.NON_PRINTABLE)
    assert out == ["LazyPattern", str([bool(real.search(s)) for s in SAMPLES])]


def test_the_stand_in_compiles_on_first_use() -> None:
    lazy = libyaml.LazyPattern(libyaml.NON_PRINTABLE)
    assert lazy.compiled is None
    match = lazy.search("ok\x07")
    assert match is not None
    assert match.start() == 2
    assert lazy.compiled is not None


def test_ruamel_composes_the_same_values_when_pyyaml_has_no_libyaml(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import yaml

    text = "a: [1, yes, '0777']\nb: {c: ~}\n"
    expected = helm_yaml.load(text).data
    libyaml.composer.cache_clear()
    monkeypatch.setattr(yaml, "__with_libyaml__", False)
    try:
        assert libyaml.composer().marked_error.__module__.startswith("ruamel")
        assert helm_yaml.load(text).data == expected
        with pytest.raises(helm_yaml.YamlError) as broken:
            helm_yaml.load("a: [1,\n")
        assert broken.value.kind is ErrorKind.SYNTAX
    finally:
        libyaml.composer.cache_clear()
