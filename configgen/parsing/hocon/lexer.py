"""Split HOCON text into tokens exactly where Lightbend config's Tokenizer does.

The rules come from Lightbend config (the parser the StackState server uses), not from pyhocon:
quoted strings are JSON strings, ``#`` and ``//`` start comments anywhere outside quotes, a
token starting with a digit or ``-`` is tried as a JSON number and falls back to text, and
``true``/``false``/``null`` are keywords only in lowercase and only at the start of a word.

Whitespace is kept as tokens because HOCON gives it meaning: between two simple values it is
part of the value (``foo bar`` is one string), elsewhere it is insignificant.

A lexical error does not raise here: it ends the token list with a PROBLEM token, so the parser
reports whichever error comes first in the text, as Lightbend does.
"""

from __future__ import annotations

import enum
import math
import re
from typing import NamedTuple


class Kind(enum.Enum):
    """Token kinds; each value says what the token is in an error message."""

    WS = "whitespace"
    NEWLINE = "a line break"
    COMMENT = "a comment"
    STRING = "a quoted string"
    UNQUOTED = "unquoted text"
    NUMBER = "a number"
    TRUE = "true"
    FALSE = "false"
    NULL = "null"
    SUBST = "a ${...} substitution"
    LBRACE = "'{'"
    RBRACE = "'}'"
    LBRACKET = "'['"
    RBRACKET = "']'"
    COMMA = "','"
    COLON = "':'"
    EQUALS = "'='"
    PLUS_EQUALS = "'+='"
    PROBLEM = "an error"
    EOF = "the end of the input"

    # Members are singletons: identity hashing keeps `kind in frozenset(...)` (the parser's
    # inner loop) in C instead of Enum's Python-level __hash__.
    __hash__ = object.__hash__


class Token(NamedTuple):
    """One token; ``text``: a string's decoded value, a PROBLEM's message, else the source."""

    kind: Kind
    text: str
    line: int
    column: int
    number: int | float | None = None
    inner: tuple[Token, ...] = ()  # SUBST: the path tokens between ``${`` and ``}``
    optional: bool = False  # SUBST: ``${?...}``


# Values that may touch each other to form a concatenation (Lightbend's "simple values").
SIMPLE = frozenset(
    {Kind.STRING, Kind.UNQUOTED, Kind.NUMBER, Kind.TRUE, Kind.FALSE, Kind.NULL, Kind.SUBST}
)

# ConfigImplUtil.isWhitespace: Java's Character.isWhitespace plus the no-break spaces and the
# BOM.  '\n' is handled apart because it separates fields.
_WS_CLASS = (
    " \t\x0b\x0c\r\x1c\x1d\x1e\x1f\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_WS = re.compile(f"[{_WS_CLASS}]+")
# the same set for a fast first-character test (all but the BOM are below U+3001)
_WS_SET = frozenset(c for c in map(chr, range(0x3001)) if _WS.fullmatch(c)) | {"\ufeff"}
RESERVED = '$"{}[]:=,+#`^?!@*&\\'
# Unquoted text: anything but reserved characters, whitespace, and the start of a // comment.
_UNQUOTED = re.compile(r"(?:[^" + re.escape(RESERVED) + _WS_CLASS + r"\n/]|/(?!/))+")
_NUMBER_CHARS = re.compile(r"[0-9eE+.\-]*")
_LONG = re.compile(r"-?[0-9]+")
_DOUBLE = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_PLAIN_STRING = re.compile(r'[^"\\\x00-\x1f]*')
_HEX4 = re.compile(r"[0-9a-fA-F]{4}")
_ESCAPES = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_PUNCTUATION = {
    "{": Kind.LBRACE,
    "}": Kind.RBRACE,
    "[": Kind.LBRACKET,
    "]": Kind.RBRACKET,
    ",": Kind.COMMA,
    ":": Kind.COLON,
    "=": Kind.EQUALS,
}
_KEYWORDS = (("true", Kind.TRUE), ("null", Kind.NULL), ("false", Kind.FALSE))
_LONG_MIN, _LONG_MAX = -(2**63), 2**63 - 1


def _java_double(number: float) -> int | float:
    """Lightbend keeps a whole-valued double as an integer (``1.0`` and ``1e3`` read as ints).

    ConfigNumber.newNumber compares ``(long) number == number``; Java's cast saturates, so
    2**63 itself becomes Long.MAX_VALUE.
    """
    if not math.isfinite(number) or number != int(number):
        return number
    as_long = min(max(int(number), _LONG_MIN), _LONG_MAX)
    return as_long if float(as_long) == number else number


class _Problem(Exception):
    """Internal: a lexical error at a position (becomes a PROBLEM token)."""

    def __init__(self, message: str, offset: int) -> None:
        super().__init__(message)
        self.message = message
        self.offset = offset


def describe_char(char: str) -> str:
    """A character for an error message: itself if printable ASCII, else its code point."""
    if char == "\t":
        return "a tab"
    if " " < char < "\x7f":
        return f"'{char}'"
    return f"U+{ord(char):04X}"


class _Lexer:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.line_start = 0
        self.tokens: list[Token] = []

    def column(self, offset: int) -> int:
        return offset - self.line_start + 1

    def emit(
        self,
        kind: Kind,
        text: str,
        start: int,
        number: int | float | None = None,
        inner: tuple[Token, ...] = (),
        optional: bool = False,
    ) -> None:
        column = start - self.line_start + 1
        self.tokens.append(Token(kind, text, self.line, column, number, inner, optional))

    def run(self) -> list[Token]:
        try:
            self.scan(inside_substitution=False)
        except _Problem as problem:
            # from the offset: the problem may sit inside a token that spans lines
            line = self.text.count("\n", 0, problem.offset) + 1
            column = problem.offset - (self.text.rfind("\n", 0, problem.offset) + 1) + 1
            self.tokens.append(Token(Kind.PROBLEM, problem.message, line, column))
        self.tokens.append(Token(Kind.EOF, "", self.line, self.column(self.pos)))
        return self.tokens

    def scan(self, *, inside_substitution: bool) -> None:
        """Tokenize until the end (or the ``}`` closing a substitution)."""
        text, n = self.text, len(self.text)
        while self.pos < n:
            start, char = self.pos, text[self.pos]
            if char == "\n":
                if inside_substitution:
                    raise _Problem("a ${...} substitution must end on the line it starts", start)
                self.emit(Kind.NEWLINE, "\n", start)
                self.pos += 1
                self.line += 1
                self.line_start = self.pos
            elif char in _WS_SET:
                match = _WS.match(text, start)
                assert match is not None  # char is whitespace
                self.emit(Kind.WS, match.group(), start)
                self.pos = match.end()
            elif char == "#" or text.startswith("//", start):
                if inside_substitution:
                    raise _Problem("a comment cannot start inside ${...}; close it with '}'", start)
                end = text.find("\n", start)
                self.pos = n if end < 0 else end
                self.emit(Kind.COMMENT, text[start : self.pos], start)
            elif char == '"':
                self.quoted(start)
            elif inside_substitution and char == "}":
                self.pos += 1
                return
            elif char in _PUNCTUATION and not inside_substitution:
                self.emit(_PUNCTUATION[char], char, start)
                self.pos += 1
            elif char == "+" and not inside_substitution:
                if not text.startswith("+=", start):
                    raise _Problem(
                        "'+' is only allowed as '+=' outside quotes; put the value in double "
                        "quotes",
                        start,
                    )
                self.emit(Kind.PLUS_EQUALS, "+=", start)
                self.pos += 2
            elif char == "$" and not inside_substitution:
                self.substitution(start)
            elif char in "0123456789-":
                self.number(start)
            elif char in RESERVED or char in _PUNCTUATION:
                where = "inside ${...}, which takes a path only"
                if not inside_substitution:
                    where = "outside quotes; put the value in double quotes"
                raise _Problem(f"{describe_char(char)} is not allowed {where}", start)
            else:
                self.unquoted(start)
        if inside_substitution:
            raise _Problem("a ${...} substitution is not closed; add '}'", n)

    def unquoted(self, start: int) -> None:
        # Lightbend makes a keyword of true/false/null at the start of a word whatever follows
        # ("truex" is true then "x"; the concatenation makes it the string "truex" again).
        for word, kind in _KEYWORDS:
            if self.text.startswith(word, start):
                self.emit(kind, word, start)
                self.pos = start + len(word)
                return
        match = _UNQUOTED.match(self.text, start)
        assert match is not None  # the caller saw an allowed first character
        self.emit(Kind.UNQUOTED, match.group(), start)
        self.pos = match.end()

    def number(self, start: int) -> None:
        match = _NUMBER_CHARS.match(self.text, start + 1)
        assert match is not None  # the pattern accepts the empty string
        self.pos = match.end()
        word = self.text[start : self.pos]
        if (
            _LONG.fullmatch(word)
            and len(word.lstrip("+-").lstrip("0")) <= 19
            and _LONG_MIN <= _small_int(word) <= _LONG_MAX
        ):
            self.emit(Kind.NUMBER, word, start, _small_int(word))
        elif any(c in word for c in ".eE") and _DOUBLE.fullmatch(word):
            self.emit(Kind.NUMBER, word, start, _java_double(float(word)))
        elif "+" in word:
            # Not a number after all, and '+' cannot be in unquoted text (Lightbend rejects it).
            raise _Problem(
                "'+' is not allowed in an unquoted value; put it in double quotes", start
            )
        else:
            # Lightbend reads what is not a valid JSON number (1.2.3, 1-2, huge integers) as text.
            self.emit(Kind.UNQUOTED, word, start)

    def quoted(self, start: int) -> None:
        text = self.text
        if text.startswith('"""', start):
            end = text.find('"""', start + 3)
            if end < 0:
                raise _Problem('a """ string is not closed; add the closing """', start)
            while end + 3 < len(text) and text[end + 3] == '"':
                end += 1  # extra quotes before the closing three belong to the string
            self.emit(Kind.STRING, text[start + 3 : end], start)
            self.pos = end + 3
            newlines = text.count("\n", start, self.pos)
            if newlines:
                self.line += newlines
                self.line_start = text.rfind("\n", start, self.pos) + 1
            return
        parts: list[str] = []
        pos = start + 1
        while True:
            match = _PLAIN_STRING.match(text, pos)
            assert match is not None  # the pattern accepts the empty string
            parts.append(match.group())
            pos = match.end()
            if pos >= len(text):
                raise _Problem('a quoted string is not closed; add the closing "', start)
            char = text[pos]
            if char == '"':
                break
            if char != "\\":
                what = "a line break" if char == "\n" else describe_char(char)
                raise _Problem(
                    f'a quoted string cannot contain {what} as is; close the string with " or '
                    'write it as a JSON escape such as \\n or \\t (or use a """ string)',
                    pos,
                )
            escape = text[pos + 1 : pos + 2]
            if escape in _ESCAPES:
                parts.append(_ESCAPES[escape])
                pos += 2
            elif escape == "u" and _HEX4.fullmatch(text, pos + 2, pos + 6):
                parts.append(chr(int(text[pos + 2 : pos + 6], 16)))
                pos += 6
            elif escape == "u":
                raise _Problem("\\u must be followed by 4 hex digits", pos)
            else:
                raise _Problem(
                    "invalid escape in a quoted string: quoted strings use JSON escapes; "
                    "write \\\\ for a backslash",
                    pos,
                )
        value = "".join(parts)
        if "\\u" in text[start:pos]:
            # \uD83D\uDE00 is one character, as in Java; lone surrogates stay as they are.
            value = value.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
        self.emit(Kind.STRING, value, start)
        self.pos = pos + 1

    def substitution(self, start: int) -> None:
        text = self.text
        if not text.startswith("${", start):
            raise _Problem(
                "'$' must start a ${...} substitution; put the value in double quotes", start
            )
        optional = text.startswith("${?", start)
        outer = self.tokens
        self.tokens = []
        self.pos = start + (3 if optional else 2)
        try:
            self.scan(inside_substitution=True)
            inner = tuple(self.tokens)
        finally:
            self.tokens = outer
        self.emit(Kind.SUBST, text[start : self.pos], start, None, inner, optional)


def tokenize(text: str) -> list[Token]:
    """All tokens of ``text``, ending with EOF (after a PROBLEM token if the text is invalid).

    A byte-order mark at the very start is dropped so that columns match what editors show.
    """
    return _Lexer(text[1:] if text.startswith("\ufeff") else text).run()


def _small_int(word: str) -> int:
    """``int(word)`` for a decimal of at most 19 significant digits, however many leading zeros
    (Python refuses to convert strings of more than 4,300 digits)."""
    sign = -1 if word.startswith("-") else 1
    return sign * int(word.lstrip("+-").lstrip("0") or "0")
