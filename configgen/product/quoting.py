"""One quoting rule for every value configgen writes into YAML or HOCON.

``json.dumps(value, ensure_ascii=False)`` yields a double-quoted literal that Lightbend config,
pyhocon, ruamel.yaml and Helm's Go YAML all read back as exactly ``value`` -- as long as the
string holds none of the code points below.  Some of those are escaped by ``json.dumps`` into
forms that pyhocon does not decode (``\\uXXXX``) or that YAML treats as line breaks; others are
rejected by one consumer or another.  Such values are refused rather than written.
"""

from __future__ import annotations

import json
import re

# C0/C1 controls, DEL, YAML/JS line separators, BOM, non-characters and lone surrogates.
UNREADABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")

# What the Helm chart can splice into HOCON *without quotes* and still mean the same string:
# letters, digits and a few punctuation marks, not starting with a sign or digit-dot pattern
# that HOCON reads as a number, and not a HOCON keyword.
_UNQUOTED_HOCON_SAFE = re.compile(r"[A-Za-z_][A-Za-z0-9_.\-]*")
_HOCON_KEYWORDS = frozenset({"true", "false", "null", "include"})


class UnquotableError(ValueError):
    """A value holding a code point that some consumer would not read back exactly."""

    def __init__(self, code_point: str) -> None:
        self.code_point = code_point
        super().__init__(f"U+{ord(code_point):04X}")


def first_unreadable(value: str) -> str | None:
    """The first code point that cannot be written safely, or ``None``."""
    match = UNREADABLE.search(value)
    return match.group(0) if match else None


def literal(value: str) -> str:
    """The double-quoted literal for ``value``, identical in YAML and HOCON."""
    bad = first_unreadable(value)
    if bad is not None:
        raise UnquotableError(bad)
    return json.dumps(value, ensure_ascii=False)


def is_unquoted_hocon_safe(value: str) -> bool:
    """True when writing ``value`` unquoted in a HOCON list reads back as the same string.

    The Helm charts join ``roles`` with ", " into HOCON without quotes, so a role outside this
    set is split, merged with its neighbour, turned into a number or keyword, or breaks parsing.
    """
    return (
        _UNQUOTED_HOCON_SAFE.fullmatch(value) is not None
        and value not in _HOCON_KEYWORDS
        and "//" not in value
    )
