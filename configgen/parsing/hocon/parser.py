"""Parse HOCON into a positioned syntax tree, following Lightbend config's grammar.

This mirrors Lightbend's ConfigDocumentParser and ConfigParser (the reference the StackState
server runs), including the corners where pyhocon differs: ``[1,,2]`` and ``a..b`` are errors,
a newline may replace a comma, one trailing comma is allowed, ``include`` is a directive only as
a lowercase unquoted word at the start of a field, ``+=`` is refused inside lists, and value
concatenations are folded as Lightbend folds them (``[1] foo`` is ``[1]``; ``"a" [1]`` is an
error).  Includes are recorded, never followed; substitutions are kept, never resolved.

The parser is recursive descent (at most three Python frames per level) under a hard nesting
limit that also counts the keys of dotted paths, so neither it nor the recursive walks in
merge.py can exhaust Python's stack; tokens are scanned once (linear time).
"""

from __future__ import annotations

import json

from configgen.findings import ErrorKind, Position
from configgen.parsing.hocon.lexer import SIMPLE, Kind, Token, tokenize
from configgen.parsing.hocon.model import (
    HBool,
    HField,
    HInclude,
    HList,
    HNull,
    HNumber,
    HObject,
    HoconDocument,
    HoconSyntaxError,
    HString,
    HSubstitution,
    Value,
    render_path,
)
from configgen.parsing.hocon.syntax import build_path, concatenate, position_of, valid_include_url
from configgen.parsing.limits import HARD_MAX_DEPTH

__all__ = ["parse"]

_KEY_PARTS = frozenset({Kind.STRING, Kind.UNQUOTED, Kind.NUMBER, Kind.TRUE, Kind.FALSE, Kind.NULL})
_BLANK = frozenset({Kind.WS, Kind.NEWLINE, Kind.COMMENT})
_WS = frozenset({Kind.WS})
_SEPARATORS = frozenset({Kind.COLON, Kind.EQUALS, Kind.PLUS_EQUALS})
_INCLUDE_KINDS = ("url(", "file(", "classpath(")


def parse(text: str, *, max_depth: int = HARD_MAX_DEPTH) -> HoconDocument:
    """Parse a HOCON document; raise HoconSyntaxError where Lightbend config would fail.

    The root braces are optional; the root must be an object.  Objects, lists and the keys of a
    dotted path count as levels; ``max_depth`` can lower the limit below ``HARD_MAX_DEPTH``,
    not raise it.  Never follows includes, never reads the environment, never raises anything but
    HoconSyntaxError.
    """
    parser = _Parser(tokenize(text), min(max_depth, HARD_MAX_DEPTH))
    try:
        root = parser.document()
    except RecursionError:  # a last line of defence if the caller's stack is already deep
        token = parser.tokens[parser.index]
        raise HoconSyntaxError(
            "nesting is too deep to read", token.line, token.column, ErrorKind.LIMIT
        ) from None
    return HoconDocument(root, tuple(parser.includes))


class _Parser:
    def __init__(self, tokens: list[Token], max_depth: int) -> None:
        self.tokens = tokens
        self.index = 0
        self.max_depth = max_depth
        self.depth = -1  # the root object is level 0
        self.in_list = 0  # lists (and += values) being parsed: Lightbend refuses += inside them
        self.includes: list[HInclude] = []
        # the path of the object being parsed (None: inside a list), for HInclude.scope
        self.scopes: list[tuple[str, ...] | None] = [()]

    # -- token access ------------------------------------------------------------------------

    def peek(self) -> Token:
        token = self.tokens[self.index]
        if token.kind is Kind.PROBLEM:
            raise HoconSyntaxError(token.text, token.line, token.column)
        return token

    def advance(self) -> Token:
        token = self.peek()
        self.index += 1
        return token

    def next_kind(self) -> Kind:
        """The kind of the token after the current one (there is always one: EOF ends the list)."""
        return self.tokens[self.index + 1].kind

    def skip(self, kinds: frozenset[Kind]) -> Token:
        """Move past tokens of ``kinds`` (never PROBLEM, which peek then raises)."""
        tokens, index = self.tokens, self.index
        while tokens[index].kind in kinds:
            index += 1
        self.index = index
        return self.peek()

    def fail(self, message: str, token: Token | None = None) -> HoconSyntaxError:
        token = token or self.peek()
        return HoconSyntaxError(message, token.line, token.column)

    def enter(self, token: Token, levels: int = 1) -> None:
        self.depth += levels
        if self.depth > self.max_depth:
            raise HoconSyntaxError(
                f"nesting deeper than {self.max_depth} levels",
                token.line,
                token.column,
                ErrorKind.LIMIT,
            )

    def separator(self) -> bool:
        """Consume a comma and/or line breaks after an element (checkElementSeparator)."""
        saw_newline = False
        while True:
            kind = self.peek().kind
            if kind is Kind.COMMA:
                self.index += 1
                return True
            if kind is Kind.NEWLINE:
                saw_newline = True
            elif kind not in (Kind.WS, Kind.COMMENT):
                return saw_newline
            self.index += 1

    # -- grammar -----------------------------------------------------------------------------

    def document(self) -> HObject:
        first = self.skip(_BLANK)
        if first.kind is Kind.LBRACKET:
            raise self.fail("the document root must be an object, not a list")
        root = self.object(braced=first.kind is Kind.LBRACE)
        last = self.skip(_BLANK)
        if last.kind is not Kind.EOF:
            raise self.fail(
                "unexpected text after the closing '}' of the document; remove it, or remove "
                "the outer braces",
                last,
            )
        return root

    def object(self, *, braced: bool) -> HObject:
        open_token = self.advance() if braced else self.tokens[self.index]
        self.enter(open_token)
        fields: list[HField] = []
        while True:
            token = self.skip(_BLANK)
            if token.kind is Kind.RBRACE or token.kind is Kind.EOF:
                break
            if token.kind is Kind.UNQUOTED and token.text == "include":
                self.include()
            else:
                fields.append(self.field())
            if not self.separator():
                token = self.skip(_WS)
                if token.kind not in (Kind.RBRACE, Kind.EOF):
                    where = "'}'" if braced else "the end of the input"
                    raise self.fail(
                        f"expected a comma, a line break or {where} after the value; quote the "
                        "value if this text belongs to it"
                    )
        if braced and token.kind is Kind.EOF:
            raise self.fail(
                f"the '{{' at line {open_token.line}, column {open_token.column} is never closed; "
                "add '}'"
            )
        if not braced and token.kind is Kind.RBRACE:
            raise self.fail("'}' without a matching '{'; remove it or add the '{'")
        if braced:
            self.index += 1
        self.depth -= 1
        start = position_of(open_token) if braced else Position(1, 1)
        return HObject(tuple(fields), start)

    def field(self) -> HField:
        key_tokens: list[Token] = []
        tokens, index = self.tokens, self.index
        while True:
            kind = tokens[index].kind
            # whitespace belongs to the key only between two words ("a b" = 1)
            if kind not in _KEY_PARTS and not (
                kind is Kind.WS and key_tokens and tokens[index + 1].kind in _KEY_PARTS
            ):
                break
            key_tokens.append(tokens[index])
            index += 1
        self.index = index
        if not key_tokens:
            raise self.fail(f"expected a key here, found {self.peek().kind.value}")
        path, positions = build_path(key_tokens)
        after = self.skip(_BLANK)
        append = after.kind is Kind.PLUS_EQUALS
        outer = self.scopes[-1]
        self.scopes.append(None if outer is None or append else (*outer, *path))
        if after.kind is Kind.LBRACE:
            self.enter(after, len(path) - 1)
            value: Value = self.object(braced=True)
        elif after.kind in _SEPARATORS:
            self.index += 1
            if append and self.in_list:
                raise self.fail(
                    "'+=' cannot be used inside a list or inside another '+=' value (Lightbend "
                    "refuses it); use '=' with the whole list",
                    after,
                )
            self.enter(after, len(path) - 1)
            self.in_list += append
            value = self.value()
            self.in_list -= append
        else:
            raise self.fail(f"expected '=', ':' or '{{' after the key, found {after.kind.value}")
        self.depth -= len(path) - 1
        self.scopes.pop()
        end = self.index  # the value ends where the blanks after it begin
        while end > 0 and self.tokens[end - 1].kind is Kind.WS:
            end -= 1
        after_value = position_of(self.tokens[end])
        return HField(path, positions[0], value, append, positions, after_value)

    def value(self) -> Value:
        """One value, or several written side by side (a concatenation, consolidateValues)."""
        token = self.skip(_BLANK)
        pieces: list[Value] = []
        previous_simple = False
        while True:
            kind = token.kind
            if kind is Kind.WS:
                # whitespace between two simple values is part of the value ("foo bar")
                if previous_simple and self.next_kind() in SIMPLE:
                    pieces.append(HString(token.text, False, position_of(token)))
                self.index += 1
            elif kind in SIMPLE:
                pieces.append(self.simple(token))
                self.index += 1
                previous_simple = True
            elif kind is Kind.LBRACE:
                pieces.append(self.object(braced=True))
                previous_simple = False
            elif kind is Kind.LBRACKET:
                pieces.append(self.list())
                previous_simple = False
            else:
                break
            token = self.peek()
        if not pieces:
            raise self.fail(
                f"expected a value, found {token.kind.value}; quote the value if it is text"
            )
        return concatenate(pieces)

    def simple(self, token: Token) -> Value:
        position = position_of(token)
        kind = token.kind
        if kind is Kind.STRING or kind is Kind.UNQUOTED:
            return HString(token.text, kind is Kind.STRING, position)
        if kind is Kind.NUMBER:
            assert token.number is not None  # the lexer sets it on every NUMBER
            return HNumber(token.text, token.number, position)
        if kind is Kind.TRUE or kind is Kind.FALSE:
            return HBool(kind is Kind.TRUE, position)
        if kind is Kind.NULL:
            return HNull(position)
        words = [t for t in token.inner if t.kind is not Kind.WS]
        if not words:
            raise self.fail("a ${...} substitution needs a path, such as ${a.b}", token)
        first, last = token.inner.index(words[0]), token.inner.index(words[-1])
        keys, _ = build_path(token.inner[first : last + 1], "a ${...} path")
        return HSubstitution(render_path(keys), token.optional, position, keys)

    def list(self) -> HList:
        open_token = self.advance()
        self.enter(open_token)
        self.in_list += 1
        self.scopes.append(None)
        items: list[Value] = []
        token = self.skip(_BLANK)
        while token.kind is not Kind.RBRACKET:
            if token.kind is Kind.COMMA:
                raise self.fail("two commas in a row (or a comma first) in a list; remove one")
            if token.kind is Kind.EOF:
                raise self.fail(
                    f"the '[' at line {open_token.line}, column {open_token.column} "
                    "is never closed; add ']'"
                )
            items.append(self.value())
            if self.separator():
                token = self.skip(_BLANK)
            elif (token := self.skip(_WS)).kind not in (Kind.RBRACKET, Kind.EOF):
                raise self.fail(
                    "expected ',' or ']' after a list element; quote the element if "
                    "this text belongs to it"
                )
        self.index += 1
        self.in_list -= 1
        self.scopes.pop()
        self.depth -= 1
        return HList(tuple(items), position_of(open_token))

    def include(self) -> None:
        keyword = self.advance()
        token = self.skip(_BLANK)
        required = token.kind is Kind.UNQUOTED and token.text.startswith("required(")
        if required:
            self.split_word(token, len("required("))
        kind, name = self.include_resource()
        if required:
            close = self.skip(_BLANK)
            if close.kind is not Kind.UNQUOTED or close.text != ")":
                raise self.fail("expected ')' to close required(")
            self.index += 1
        if kind == "url" and not valid_include_url(name):
            raise self.fail(
                "include url() needs a full URL with a known protocol (http:, https:, file:, ...)",
                keyword,
            )
        spelled = json.dumps(name) if kind == "heuristic" else f"{kind}({json.dumps(name)})"
        text = f"include {f'required({spelled})' if required else spelled}"
        scope = self.scopes[-1]
        self.includes.append(HInclude(text, position_of(keyword), kind, name, required, scope))

    def include_resource(self) -> tuple[str, str]:
        token = self.skip(_BLANK)
        if token.kind is Kind.STRING:
            self.index += 1
            return "heuristic", token.text
        prefix = next(
            (p for p in _INCLUDE_KINDS if token.kind is Kind.UNQUOTED and token.text.startswith(p)),
            None,
        )
        if prefix is None:
            raise self.fail(
                'include must be followed by a quoted name, or by url("..."), '
                'file("...") or classpath("...") with no space before "("'
            )
        self.split_word(token, len(prefix))
        name = self.skip(_BLANK)
        if name.kind is not Kind.STRING:
            raise self.fail(f"expected a quoted name inside {prefix}...)")
        self.index += 1
        close = self.skip(_BLANK)
        if close.kind is not Kind.UNQUOTED or not close.text.startswith(")"):
            raise self.fail(f"expected ')' to close {prefix}")
        self.split_word(close, 1)
        return prefix[:-1], name.text

    def split_word(self, token: Token, length: int) -> None:
        """Consume the first ``length`` characters of an unquoted word (Lightbend's put-back)."""
        rest = token.text[length:]
        if rest:
            self.tokens[self.index] = token._replace(text=rest, column=token.column + length)
        else:
            self.index += 1
