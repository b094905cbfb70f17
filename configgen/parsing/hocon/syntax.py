"""Rules Lightbend config applies to the pieces of a document while parsing it.

Path expressions (``a."b.c"`` is two keys, ``a..b`` is an error), the folding of values written
side by side (``foo bar`` is one string, ``[1] [2]`` one list, ``"a" [1]`` an error), and the
check ``include url(...)`` gets.  Kept apart from the grammar so each stays small.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from configgen.findings import Position
from configgen.parsing.hocon.lexer import Kind, Token
from configgen.parsing.hocon.merge import effective_fields
from configgen.parsing.hocon.model import (
    HBool,
    HConcat,
    HList,
    HNull,
    HNumber,
    HObject,
    HoconSyntaxError,
    HString,
    HSubstitution,
    Value,
)

__all__ = ["build_path", "concatenate", "position_of", "valid_include_url"]

# java.net.URL knows these protocols out of the box; Lightbend rejects any other include url().
_URL_PROTOCOLS = frozenset({"file", "ftp", "http", "https", "jar", "jmod", "jrt", "mailto"})
_JAVA_TRIM = "".join(map(chr, range(33)))  # what Java's String.trim() removes
_JAVA_INT = re.compile(r"[+-]?\d+")  # Integer.parseInt: a sign, then any Unicode digits
_INT_MAX = 2**31 - 1


def position_of(token: Token) -> Position:
    """Where ``token`` starts."""
    return Position(token.line, token.column)


def build_path(
    tokens: Sequence[Token], what: str = "a path"
) -> tuple[tuple[str, ...], tuple[Position, ...]]:
    """Keys and their positions from the tokens of a path expression (PathParser rules).

    Dots outside quotes separate keys; quoted text never splits; whitespace between words is
    part of the key.  An empty key is an error unless written as ``""``; ``what`` names the
    path in that message.
    """
    keys, positions, may_be_empty = [""], [position_of(tokens[0])], [False]
    for token in tokens:
        if token.kind is Kind.STRING:
            keys[-1] += token.text
            may_be_empty[-1] = may_be_empty[-1] or not keys[-1]
            continue
        pieces = token.text.split(".")
        keys[-1] += pieces[0]
        offset = len(pieces[0]) + 1
        for piece in pieces[1:]:
            keys.append(piece)
            positions.append(Position(token.line, token.column + offset))
            may_be_empty.append(False)
            offset += len(piece) + 1
    written = "".join(token.text for token in tokens).strip()
    unquoted = all(token.kind is not Kind.STRING for token in tokens)
    if unquoted and len(written) >= 3 and not written.strip("."):
        raise HoconSyntaxError(
            f"{written!r} is a placeholder (documentation examples use it for settings they "
            "leave out), not configuration: replace it with your settings or delete it",
            positions[0].line,
            positions[0].column,
        )
    for key, position, allowed in zip(keys, positions, may_be_empty, strict=True):
        if not key and not allowed:
            raise HoconSyntaxError(
                f"{what} has an empty key (a leading, trailing or doubled '.'); remove the extra "
                'dot, or quote the key ("a.b") if the dot belongs to it',
                position.line,
                position.column,
            )
    return tuple(keys), tuple(positions)


def _text_of(value: Value) -> str | None:
    """The text a plain value contributes to a string concatenation (None for lists, objects)."""
    if isinstance(value, HString):
        return value.value
    if isinstance(value, HNumber):
        return value.text
    if isinstance(value, HBool):
        return "true" if value.value else "false"
    if isinstance(value, HNull):
        return "null"
    return None


def _as_list(obj: HObject) -> HList | None:
    """Lightbend's DefaultTransformer: next to a list, an object with index keys is a list.

    Keys that Java's Integer.parseInt reads as 0 or more become positions (``{1 = b, 0 = a}``
    is ``[a, b]``); other keys are dropped.  No index key: no conversion.
    """
    indexed: dict[int, Value] = {}
    for key, item in effective_fields(obj).items():
        if _JAVA_INT.fullmatch(key) and len(key.lstrip("0")) <= 10 and 0 <= int(key) <= _INT_MAX:
            indexed.setdefault(int(key), item)  # "1" and "01" collide; Java keeps either
    if not indexed:
        return None
    return HList(tuple(indexed[i] for i in sorted(indexed)), obj.pos)


def _join(left: Value, right: Value) -> Value | None:
    """Lightbend's ConfigConcatenation.join: the two values as one, or None to keep both."""
    if isinstance(left, (HSubstitution, HConcat)) or isinstance(right, (HSubstitution, HConcat)):
        return None  # only resolution can tell what these become
    if isinstance(left, HObject) and isinstance(right, HList):
        left = _as_list(left) or left
    elif isinstance(left, HList) and isinstance(right, HObject):
        right = _as_list(right) or right
    if isinstance(left, HObject) and isinstance(right, HObject):
        return HObject(left.fields + right.fields, left.pos)  # later fields win when merged
    if isinstance(left, HList) and isinstance(right, HList):
        return HList(left.items + right.items, left.pos)
    if isinstance(left, (HList, HObject)) and isinstance(right, HString) and not right.quoted:
        return left  # Lightbend drops unquoted text after a list or object
    left_text, right_text = _text_of(left), _text_of(right)
    if left_text is None or right_text is None:
        raise HoconSyntaxError(
            "a list or object cannot be concatenated with a string, number or a list/object of "
            "the other kind; put a comma or line break between values, or quote the text",
            right.pos.line,
            right.pos.column,
        )
    quoted = any(isinstance(v, HString) and v.quoted for v in (left, right))
    return HString(left_text + right_text, quoted, left.pos)


def concatenate(pieces: list[Value]) -> Value:
    """Fold values written side by side the way Lightbend does while parsing."""
    joined = [pieces[0]]
    for piece in pieces[1:]:
        merged = _join(joined[-1], piece)
        if merged is None:
            joined.append(piece)
        else:
            joined[-1] = merged
    return joined[0] if len(joined) == 1 else HConcat(tuple(joined), joined[0].pos)


def valid_include_url(name: str) -> bool:
    """Whether java.net.URL accepts ``name``: a known protocol, and a numeric port if any.

    Lightbend refuses ``include url(...)`` with a URL Java cannot build.  Protocol-specific
    checks beyond these (IPv6 literals and the like) are not modelled.
    """
    spec = name.strip(_JAVA_TRIM)
    if spec[:4].lower() == "url:":
        spec = spec[4:]
    protocol, colon, rest = spec.partition(":")
    protocol = protocol.lower()
    if not colon or protocol not in _URL_PROTOCOLS or (protocol == "jar" and "!/" not in rest):
        return False
    if protocol in ("jar", "mailto") or not rest.startswith("//"):
        return True
    authority = re.split("[/?#]", rest[2:], maxsplit=1)[0].rpartition("@")[2]
    _, bracket, after = authority.partition("]") if authority[:1] == "[" else ("", "", "")
    if authority[:1] == "[" and (not bracket or after[:1] not in ("", ":")):
        return False
    port = after[1:] if bracket else authority.partition(":")[2]
    return not port or (port.isascii() and port.isdigit())
