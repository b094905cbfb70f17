"""The duration grammar of the StackState server (Lightbend config ``getDuration``).

The server reads ``ttl`` with Typesafe/Lightbend config, so this module mirrors
``SimpleConfig.parseDuration`` from that library: trim, split trailing letters off as the unit,
parse the rest as a Java long or double.  No unit means milliseconds and units are case-sensitive.
``explain`` turns a rejected or risky value into a message that says how to write it instead.
"""

from __future__ import annotations

import math
import re
from typing import NamedTuple

DEFAULT_TTL = "24h"  # the charts' default, and configgen's

NANOS_PER_UNIT: dict[str, int] = {
    "ns": 1,
    "us": 1_000,
    "ms": 1_000_000,
    "s": 1_000_000_000,
    "m": 60_000_000_000,
    "h": 3_600_000_000_000,
    "d": 86_400_000_000_000,
}

# Every spelling Lightbend accepts after its "add an s to units longer than two letters" step.
_UNIT_ALIASES: dict[str, str] = {
    "": "ms",
    "ns": "ns",
    "nanos": "ns",
    "nanoseconds": "ns",
    "us": "us",
    "micros": "us",
    "microseconds": "us",
    "ms": "ms",
    "millis": "ms",
    "milliseconds": "ms",
    "s": "s",
    "seconds": "s",
    "m": "m",
    "minutes": "m",
    "h": "h",
    "hours": "h",
    "d": "d",
    "days": "d",
}

# Units every known duration reader agrees on (Lightbend and Scala's ``Duration``).
SAFE_UNITS = frozenset(
    {"s", "h", "d", "second", "seconds", "minute", "minutes", "hour", "hours", "day", "days"}
)
LONG_MAX = 2**63 - 1
_JAVA_LONG = re.compile(r"[+-]?[0-9]+")
# Java's Double.parseDouble grammar: decimal with an optional f/d suffix, NaN, Infinity, and
# hexadecimal floating point.
_JAVA_DOUBLE = re.compile(
    r"[+-]?(?:NaN|Infinity"
    r"|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[fFdD]?"
    r"|0[xX](?:[0-9a-fA-F]+\.?|[0-9a-fA-F]*\.[0-9a-fA-F]+)[pP][+-]?[0-9]+[fFdD]?)"
)
_SAFE = re.compile(r"([1-9][0-9]*) ?([a-z]+)")


class DurationError(ValueError):
    """A duration string the server would refuse; the message says why."""


class Duration(NamedTuple):
    """A duration as the server reads it."""

    text: str
    number: str
    unit: str  # canonical: ns us ms s m h d
    unit_written: str
    nanos: int
    saturated: bool

    @property
    def is_safe(self) -> bool:
        """True for a positive whole number with a unit every known reader agrees on."""
        match = _SAFE.fullmatch(self.text.strip())
        return match is not None and match.group(2) in SAFE_UNITS and not self.saturated


def _java_double(number: str) -> float:
    """``Double.parseDouble`` for text that matches ``_JAVA_DOUBLE``."""
    body = number[:-1] if number[-1] in "fFdD" else number
    if "x" not in body.lower():
        return float(body)  # Python reads NaN and signed Infinity the same way
    try:
        return float.fromhex(body)
    except OverflowError:  # Java gives an infinity
        return -math.inf if body.startswith("-") else math.inf


def _trailing_letters(text: str) -> str:
    end = len(text)
    while end > 0 and text[end - 1].isalpha():
        end -= 1
    return text[end:]


def parse(text: str) -> Duration:
    """Parse ``text`` as Lightbend ``getDuration`` does; raise ``DurationError`` otherwise."""
    stripped = text.strip()
    written = _trailing_letters(stripped)
    number = stripped[: len(stripped) - len(written)].strip()
    if not number:
        raise DurationError("no number")
    lookup = written if len(written) <= 2 or written.endswith("s") else written + "s"
    unit = _UNIT_ALIASES.get(lookup)
    if unit is None:
        raise DurationError(f"unknown unit {written!r}")
    per_unit = NANOS_PER_UNIT[unit]
    if _JAVA_LONG.fullmatch(number):
        # Python refuses int() on more than 4,300 digits: strip leading zeros first.
        significant = number.lstrip("+-").lstrip("0") or "0"
        if len(significant) > 19:
            raise DurationError("the number is too large")
        whole = -int(significant) if number.startswith("-") else int(significant)
        if not -LONG_MAX - 1 <= whole <= LONG_MAX:
            raise DurationError("the number is too large")
        exact = whole * per_unit
        nanos = max(-LONG_MAX - 1, min(LONG_MAX, exact))
        return Duration(text, number, unit, written, nanos, nanos != exact)
    if _JAVA_DOUBLE.fullmatch(number):
        value = _java_double(number) * per_unit
        if math.isnan(value):
            return Duration(text, number, unit, written, 0, False)  # Java's (long) NaN is 0
        if math.isinf(value) or abs(value) > LONG_MAX:
            nanos = LONG_MAX if value > 0 else -LONG_MAX - 1
            return Duration(text, number, unit, written, nanos, True)
        return Duration(text, number, unit, written, int(value), False)
    raise DurationError(f"cannot read the number {number!r}")


_UNIT_HINTS: dict[str, str] = {
    "w": "there is no week unit: write days, e.g. 14d",
    "week": "there is no week unit: write days, e.g. 14d",
    "weeks": "there is no week unit: write days, e.g. 14d",
    "y": "there is no year unit: write days, e.g. 365d",
    "year": "there is no year unit: write days, e.g. 365d",
    "years": "there is no year unit: write days, e.g. 365d",
    "sec": "write s or seconds, e.g. 30s",
    "secs": "write s or seconds, e.g. 30s",
    "min": "write m or minutes, e.g. 10m",
    "mins": "write m or minutes, e.g. 10m",
    "hr": "write h or hours, e.g. 24h",
    "hrs": "write h or hours, e.g. 24h",
}


def explain(text: str) -> str | None:
    """Say how to fix a TTL the server would refuse; ``None`` when the server accepts it."""
    try:
        parse(text)
    except DurationError:
        pass
    else:
        return None
    stripped = text.strip()
    if re.fullmatch(r"[+-]?P(?:T?[0-9.]+[A-Za-z])+", stripped, flags=re.IGNORECASE):
        return "ISO 8601 durations are not accepted: write a number and a unit, e.g. 24h"
    if re.fullmatch(r"([0-9.]+ *[A-Za-z]+ *){2,}", stripped):
        return "combined units are not accepted: write one number and one unit, e.g. 90m for 1h30m"
    written = _trailing_letters(stripped)
    lower = written.lower()
    if written != lower and lower in _UNIT_ALIASES | {u[:-1]: u for u in _UNIT_ALIASES if u}:
        return f"units are lower case: write {stripped[: len(stripped) - len(written)]}{lower}"
    if lower in _UNIT_HINTS:
        return _UNIT_HINTS[lower]
    if not stripped:
        return "it is empty: write a number and a unit, e.g. 24h"
    if re.fullmatch(r"[+-]?[0-9]{20,}", stripped[: len(stripped) - len(written)].strip()):
        return "the number is too large: write a smaller number, e.g. 3650d"
    return "write a whole number and one of the units s, m, h, d (e.g. 24h)"


def no_unit_message(number: str) -> str:
    """Why a bare number is a risky ttl, and how to write it."""
    return (
        f"has no unit, which the server reads as milliseconds: write {number}ms if you mean "
        f"that, or add a unit, e.g. {number}s or 24h"
    )


SATURATED_MESSAGE = "is longer than the server can count (about 292 years): use a smaller value"


def risk(parsed: Duration) -> str | None:
    """Why a ttl the server accepts is probably not what was meant (``None``: it is fine)."""
    number = parsed.number
    if parsed.unit_written == "":
        return no_unit_message(number)
    if parsed.nanos <= 0:
        return "is zero or negative: the token would expire at once; use e.g. 24h"
    if not number.lstrip("+").isdigit():
        return (
            f"is not a whole number ({number}): some duration parsers refuse it; use a "
            "smaller unit, e.g. 90m for 1.5h"
        )
    if parsed.saturated:
        return SATURATED_MESSAGE
    if not parsed.is_safe:
        return (
            "is outside the units every duration parser agrees on: write a positive whole "
            "number with s, h, d, minutes, hours or days"
        )
    return None
