"""Parse HOCON with pyhocon without letting the text reach outside itself.

pyhocon follows ``include`` while it parses -- URLs, files, globs and Python packages (an
import) -- and resolves ``${VAR}`` from the environment.  configgen never wants either:

1. ``find_includes`` locates include directives in the raw text first (any letter case, inside
   lists too), so callers can refuse them with a position before pyhocon sees the text;
2. while pyhocon runs, its loaders are replaced by ones that refuse (a second line of defence);
3. parsing always uses ``resolve=False``: substitutions stay unresolved and no environment
   variable is read.
"""

from __future__ import annotations

import contextlib
import datetime
import threading
from collections.abc import Iterator
from typing import Any

from configgen.findings import ErrorKind, LocatedError
from configgen.parsing.hocon.includes import find_includes
from configgen.parsing.unresolved import Unresolved

_GUARD = threading.Lock()


class HoconError(LocatedError):
    """The text is not HOCON configgen will read; carries a 1-based position if known."""


class IncludeRefused(HoconError):
    """pyhocon tried to load an include; configgen never follows them."""

    def __init__(self, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(message, line, column, ErrorKind.INCLUDE)


@contextlib.contextmanager
def _loaders_refused() -> Iterator[None]:
    from pyhocon import config_parser

    def refuse(*_args: Any, **_kwargs: Any) -> Any:
        raise IncludeRefused("include directives are not followed")

    factory, parser = config_parser.ConfigFactory, config_parser.ConfigParser
    saved = (factory.parse_URL, factory.parse_file, parser.resolve_package_path)
    saved_glob = config_parser.glob  # pyhocon lists directories before it loads a glob
    with _GUARD:
        factory.parse_URL = factory.parse_file = refuse
        parser.resolve_package_path = refuse
        config_parser.glob = refuse
        try:
            yield
        finally:
            factory.parse_URL, factory.parse_file, parser.resolve_package_path = saved
            config_parser.glob = saved_glob


def parse(text: str) -> Any:
    """Parse HOCON into plain data; substitutions stay ``Unresolved``; includes are refused."""
    includes = find_includes(text)
    if includes:
        first = includes[0]
        raise IncludeRefused("include directives are not followed", first.line, first.column)
    from pyhocon import ConfigFactory
    from pyparsing import ParseBaseException

    try:
        with _loaders_refused():
            tree = ConfigFactory.parse_string(text, resolve=False)
    except IncludeRefused:
        raise
    except ParseBaseException as err:
        # Only the position: pyparsing's message quotes the text, which may hold a secret.
        raise HoconError("HOCON syntax error", err.lineno, err.col) from None
    except RecursionError:
        raise HoconError("nesting too deep", kind=ErrorKind.LIMIT) from None
    except Exception as err:  # pyhocon raises assorted exceptions on malformed input
        raise HoconError(f"HOCON cannot be read ({type(err).__name__})") from None
    return to_plain(tree)


def to_plain(value: Any) -> Any:
    """pyhocon's tree as dicts, lists and scalars (``Unresolved`` for substitutions)."""
    from pyhocon.config_tree import ConfigTree, ConfigValues, NoneValue

    if isinstance(value, ConfigTree):
        return {str(k): to_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [to_plain(v) for v in value]
    if isinstance(value, ConfigValues):
        return Unresolved(_substitution_text(value))
    if type(value).__name__ == "ConfigSubstitution":
        return Unresolved(f"${{{'?' if value.optional else ''}{value.variable}}}")
    if isinstance(value, NoneValue) or value is NoneValue:
        return None
    if isinstance(value, datetime.timedelta):
        return value  # pyhocon turns unquoted durations into timedelta; the text is lost
    return value


def _substitution_text(values: Any) -> str:
    parts = []
    for token in values.tokens:
        if type(token).__name__ == "ConfigSubstitution":
            parts.append(f"${{{'?' if token.optional else ''}{token.variable}}}")
        else:
            parts.append(str(token))
    return "".join(parts)
