"""The YAML composer: libyaml through PyYAML, imported cheaply; ruamel.yaml as the fallback.

Go's yaml.v2, which Helm uses, is a port of libyaml, so libyaml accepts and refuses the same
text; it is also some forty times faster than ruamel's pure-Python composer, which matters when
pre-commit passes hundreds of files.  Only nodes are composed: no object is ever constructed
from a tag.

Importing PyYAML compiles ``Reader.NON_PRINTABLE``, a character class spanning all of Unicode,
which costs a fifth of a whole ``configgen lint`` run (about 80 million instructions); only
PyYAML's pure-Python reader uses it, and configgen never does.  So before PyYAML is imported,
``re``'s cache is given a stand-in for exactly that expression that compiles the real one when
first used.  Behaviour is unchanged; if a Python or PyYAML version keys the cache differently,
the stand-in is simply never found and PyYAML compiles the pattern itself.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from functools import cache
from typing import Any, NamedTuple

# PyYAML's Reader.NON_PRINTABLE (yaml/reader.py), character for character.
NON_PRINTABLE = "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]"


class LazyPattern:
    """A compiled pattern that is compiled when first used."""

    def __init__(self, pattern: str) -> None:
        self.source = pattern
        self.compiled: re.Pattern[str] | None = None

    def __getattr__(self, name: str) -> Any:
        if self.compiled is None:
            # A different but equivalent text, so that re's cache does not hand back ``self``.
            self.compiled = re.compile(f"(?:{self.source})")
        return getattr(self.compiled, name)


def _seed_re_cache() -> None:
    stand_in = LazyPattern(NON_PRINTABLE)
    for name in ("_cache2", "_cache"):  # 3.12+ looks in _cache2 first; 3.10 and 3.11 use _cache
        table = getattr(re, name, None)
        if isinstance(table, dict):
            table[(str, NON_PRINTABLE, 0)] = stand_in


class Composer(NamedTuple):
    """``compose_all(text)``, ``parse(text)`` (the events ``configgen.parsing.yaml_tree``
    composes from), and the two exception classes they raise: positioned, and other."""

    compose_all: Callable[[str], Any]
    marked_error: type[Exception]
    error: type[Exception]
    parse: Callable[[str], Any]


@cache
def composer() -> Composer:
    """libyaml when PyYAML was built with it, else ruamel.yaml's pure-Python composer."""
    try:
        if "yaml" not in sys.modules:
            _seed_re_cache()
        import yaml

        if not yaml.__with_libyaml__:
            raise ImportError("PyYAML without libyaml")
        loader = yaml.CSafeLoader
        return Composer(
            lambda text: yaml.compose_all(text, Loader=loader),
            yaml.MarkedYAMLError,
            yaml.YAMLError,
            lambda text: yaml.parse(text, Loader=loader),
        )
    except ImportError:
        from ruamel.yaml import YAML
        from ruamel.yaml.error import MarkedYAMLError, YAMLError

        ruamel = YAML(typ="rt", pure=True)
        return Composer(ruamel.compose_all, MarkedYAMLError, YAMLError, ruamel.parse)
