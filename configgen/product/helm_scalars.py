"""What Helm makes of a plain YAML scalar: yaml.v2's YAML 1.1 resolution, as Go does it.

Helm reads values with ``sigs.k8s.io/yaml`` over ``gopkg.in/yaml.v2``: plain ``no`` is false,
``0777`` is 511, ``1_000`` is 1000, and float map keys are named with float32 precision.  These
functions reproduce that, value for value; tests/test_oracle_helm_yaml.py checks them against
the real Go code.
"""

from __future__ import annotations

import math
import re
import struct
from typing import Any

# yaml.v2's resolve table (resolve.go): plain scalars that are not strings.
_TRUE = ("y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE")
_FALSE = ("n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE")
_BOOLS = {**dict.fromkeys(_TRUE, True), **dict.fromkeys(_FALSE, False)}
NULLS = frozenset(("", "~", "null", "Null", "NULL"))  # the same in YAML 1.1 and 1.2
_SPECIAL_FLOATS = {
    **dict.fromkeys((".nan", ".NaN", ".NAN"), math.nan),
    **dict.fromkeys((".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"), math.inf),
    **dict.fromkeys(("-.inf", "-.Inf", "-.INF"), -math.inf),
}
FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
# A plain scalar starting with "." goes straight to strconv.ParseFloat, which also takes Go's digit
# separators: one "_" between two digits (".5_0" is 0.5, "._5" and ".5_" are text).
_DOT_FLOAT = re.compile(r"\.[0-9]+(_[0-9]+)*([eE][-+]?[0-9]+(_[0-9]+)*)?")
_TIMESTAMP = re.compile(r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?")
_GO_INT = re.compile(r"[-+]?(0[xX][0-9a-fA-F]+|0[oO]?[0-7]*|0[bB][01]+|[1-9][0-9]*)")
# resolve.go's last try: "0b" (lower case only) then ParseInt(rest, 2, 64), which takes a sign.
_GO_BINARY_RETRY = re.compile(r"0b[-+]?[01]+")
_NUMBER_START = frozenset("0123456789+-")  # resolve.go's table: ASCII digits and signs only
INT64 = (-(2**63), 2**63 - 1)
_UINT64_MAX = 2**64 - 1


def _go_parse_int(text: str) -> int | None:
    """``strconv.ParseInt(text, 0, 64)``, else ``ParseUint``; ``None`` when Go would fail.

    ParseInt takes a sign and the int64 range; ParseUint takes no sign at all, so a signed value
    beyond int64 (``+9223372036854775808``, ``+0xffffffffffffffff``) is not an integer for Go.
    """
    if not _GO_INT.fullmatch(text):
        return None
    signed = text[0] in "+-"
    sign = -1 if text.startswith("-") else 1
    digits = text.lstrip("+-")
    if len(digits.lstrip("0")) > 70:  # beyond 64 bits in any base; int() would refuse >4300
        return None
    if digits[:2] in ("0x", "0X"):
        value = int(digits[2:], 16)
    elif digits[:2] in ("0b", "0B"):
        value = int(digits[2:], 2)
    elif digits[:2] in ("0o", "0O"):
        if len(digits) == 2:
            return None
        value = int(digits[2:], 8)
    elif digits.startswith("0") and len(digits) > 1:
        value = int(digits[1:], 8)
    else:
        value = int(digits)
    value *= sign
    if INT64[0] <= value <= INT64[1] or (not signed and 0 <= value <= _UINT64_MAX):
        return value
    return None


def resolve_plain(text: str) -> Any:
    """What Helm reads for a plain (unquoted) scalar: yaml.v2's YAML 1.1 resolution."""
    if text in NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if text in _SPECIAL_FLOATS:
        return _SPECIAL_FLOATS[text]
    first = text[0]
    if first == "." and _DOT_FLOAT.fullmatch(text):
        as_float = float(text.replace("_", ""))
        return text if math.isinf(as_float) else as_float  # ParseFloat fails out of range
    if first in _NUMBER_START:
        if _TIMESTAMP.fullmatch(text):
            return text  # yaml.v2 keeps timestamps as strings when decoding into interface{}
        plain = text.replace("_", "")
        as_int = _go_parse_int(plain)
        if as_int is not None:
            return as_int
        if FLOAT.fullmatch(plain) and not math.isinf(float(plain)):
            return float(plain)  # out of range ("1e400") ParseFloat fails: the text stays
        if _GO_BINARY_RETRY.fullmatch(plain) and len(plain) <= 70:
            value = int(plain[2:], 2)  # "0b-101" is -5
            if INT64[0] <= value <= INT64[1]:
                return value
    return text


def go_float32_text(value: float) -> str:
    """How sigs.k8s.io/yaml names a float key: ``strconv.FormatFloat(value, 'g', -1, 32)``."""
    # sigs.k8s.io/yaml then spells Go's +Inf, -Inf and NaN the YAML way.
    if math.isnan(value):
        return ".nan"
    single = struct.unpack("f", struct.pack("f", value))[0] if abs(value) < 3.5e38 else math.inf
    if math.isinf(single) or abs(single) >= 2**128:
        return ".inf" if value > 0 else "-.inf"
    if single == 0:
        return "0" if math.copysign(1, single) > 0 else "-0"
    for digits in range(1, 10):  # the shortest decimal that reads back as the same float32
        text = f"{single:.{digits - 1}e}"
        if struct.unpack("f", struct.pack("f", float(text)))[0] == single:
            break
    mantissa, exponent_text = text.split("e")
    exponent = int(exponent_text)
    significant = mantissa.replace(".", "").lstrip("-").rstrip("0") or "0"
    sign = "-" if single < 0 else ""
    if exponent < -4 or exponent >= 6:  # Go switches to %e at 6 for the shortest form
        head = significant[0] + ("." + significant[1:] if len(significant) > 1 else "")
        return f"{sign}{head}e{'-' if exponent < 0 else '+'}{abs(exponent):02d}"
    if exponent < 0:
        return f"{sign}0.{'0' * (-exponent - 1)}{significant}"
    whole = significant[: exponent + 1].ljust(exponent + 1, "0")
    fraction = significant[exponent + 1 :]
    return f"{sign}{whole}{'.' + fraction if fraction else ''}"


_CORE_INT = re.compile(r"[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+")


def resolve_core12(text: str) -> Any:
    """What a YAML 1.2 (core schema) reader makes of a plain scalar."""
    if text in NULLS:
        return None
    if text in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return text.lower() == "true"
    if _CORE_INT.fullmatch(text):
        try:
            return int(text, 0) if text[:2] in ("0o", "0x") else int(text)
        except ValueError:  # more digits than Python converts: a (huge) number all the same
            return math.inf
    if FLOAT.fullmatch(text):
        return float(text)
    if re.fullmatch(r"[-+]?\.(inf|Inf|INF)", text):
        return -math.inf if text.startswith("-") else math.inf
    if text in (".nan", ".NaN", ".NAN"):
        return math.nan
    return text
