"""configgen.durations mirrors Lightbend config's getDuration and explains what it refuses."""

from __future__ import annotations

import pytest

from configgen.product import durations
from configgen.product.durations import LONG_MAX, DurationError

NS = {"ns": 1, "us": 10**3, "ms": 10**6, "s": 10**9, "m": 60 * 10**9, "h": 3600 * 10**9}
NS["d"] = 24 * NS["h"]


@pytest.mark.parametrize(
    ("text", "unit", "nanos"),
    [
        ("24h", "h", 24 * NS["h"]),
        ("1 d", "d", NS["d"]),
        ("  7 days  ", "d", 7 * NS["d"]),
        ("1 day", "d", NS["d"]),
        ("90m", "m", 90 * NS["m"]),
        ("10 minutes", "m", 10 * NS["m"]),
        ("1 minute", "m", NS["m"]),
        ("30s", "s", 30 * NS["s"]),
        ("1 second", "s", NS["s"]),
        ("500ms", "ms", 500 * NS["ms"]),
        ("5 millis", "ms", 5 * NS["ms"]),
        ("5 milli", "ms", 5 * NS["ms"]),
        ("7 micros", "us", 7 * NS["us"]),
        ("7us", "us", 7 * NS["us"]),
        ("3 nanoseconds", "ns", 3),
        ("3 nano", "ns", 3),
        ("86400", "ms", 86400 * NS["ms"]),  # no unit: milliseconds
        ("1.5h", "h", int(1.5 * NS["h"])),
        ("-5s", "s", -5 * NS["s"]),
        ("+5s", "s", 5 * NS["s"]),
        ("1e3s", "s", 1000 * NS["s"]),
    ],
)
def test_parse_accepts_what_lightbend_accepts(text: str, unit: str, nanos: int) -> None:
    parsed = durations.parse(text)
    assert parsed.unit == unit
    assert parsed.nanos == nanos
    assert not parsed.saturated
    assert parsed.text == text


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("24H", "unknown unit 'H'"),
        ("PT24H", "unknown unit"),
        ("1h30m", "cannot read the number '1h30'"),
        ("2w", "unknown unit 'w'"),
        ("1y", "unknown unit 'y'"),
        ("10 sec", "unknown unit 'sec'"),
        ("10 min", "unknown unit 'min'"),
        ("", "no number"),
        ("h", "no number"),
        ("1.2.3s", "cannot read the number"),
        ("99999999999999999999s", "too large"),
    ],
)
def test_parse_refuses(text: str, fragment: str) -> None:
    with pytest.raises(DurationError, match=fragment.replace("(", r"\(")):
        durations.parse(text)


def test_saturation() -> None:
    assert durations.parse(f"{LONG_MAX}ns").saturated is False
    huge = durations.parse("999999999d")
    assert huge.saturated
    assert huge.nanos == LONG_MAX
    assert durations.parse("-999999999d").nanos == -LONG_MAX - 1
    assert durations.parse("1e300d").saturated


@pytest.mark.parametrize(
    ("text", "explanation"),
    [
        ("24H", "units are lower case: write 24h"),
        ("10 S", "units are lower case: write 10 s"),
        ("5 Days", "units are lower case: write 5 days"),
        ("PT24H", "ISO 8601 durations are not accepted: write a number and a unit, e.g. 24h"),
        ("P1D", "ISO 8601 durations are not accepted: write a number and a unit, e.g. 24h"),
        ("pt1h", "ISO 8601 durations are not accepted: write a number and a unit, e.g. 24h"),
        ("1h30m", "combined units are not accepted: write one number and one unit, "
                  "e.g. 90m for 1h30m"),
        ("2h45m", "combined units are not accepted: write one number and one unit, "
                  "e.g. 90m for 1h30m"),
        ("2w", "there is no week unit: write days, e.g. 14d"),
        ("2 weeks", "there is no week unit: write days, e.g. 14d"),
        ("1y", "there is no year unit: write days, e.g. 365d"),
        ("1 year", "there is no year unit: write days, e.g. 365d"),
        ("10 sec", "write s or seconds, e.g. 30s"),
        ("10 min", "write m or minutes, e.g. 10m"),
        ("3hrs", "write h or hours, e.g. 24h"),
        ("", "it is empty: write a number and a unit, e.g. 24h"),
        ("123456789012345678901d", "the number is too large: write a smaller number, e.g. 3650d"),
        ("soon", "write a whole number and one of the units s, m, h, d (e.g. 24h)"),
    ],
)  # fmt: skip
def test_explain(text: str, explanation: str) -> None:
    assert durations.explain(text) == explanation


@pytest.mark.parametrize("text", ["24h", "86400", "1.5h", "-5s", "10 minutes", "1 hour"])
def test_explain_is_none_for_what_the_server_accepts(text: str) -> None:
    assert durations.explain(text) is None


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("24h", True),
        ("7d", True),
        ("30s", True),
        ("10 minutes", True),
        ("1 hour", True),
        ("10m", False),  # old Scala parsers lack m
        ("500ms", False),
        ("86400", False),
        ("0s", False),
        ("1.5h", False),
        ("-5s", False),
        ("999999999d", False),  # saturated
    ],
)
def test_is_safe(text: str, safe: bool) -> None:
    assert durations.parse(text).is_safe is safe
