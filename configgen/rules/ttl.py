"""The bootstrap token's ttl, as the server's duration parser reads it."""

from __future__ import annotations

from collections.abc import Iterable

from configgen import messages
from configgen.findings import Finding, Severity
from configgen.parsing.kinds import HOCON
from configgen.parsing.unresolved import Unresolved
from configgen.product import durations
from configgen.rules.base import Context, rule

INVALID = rule(
    "ttl-invalid",
    Severity.ERROR,
    "The server cannot read the ttl.",
    """
    The server reads ``ttl`` with Lightbend config's duration parser: a number, optional
    spaces, and an optional lower-case unit (``ns us ms s m h d`` or long forms such as
    ``hours``). ``24H``, ``PT24H``, ``1h30m``, ``2w``, ``1y``, ``10 sec`` and ``10 min`` are
    refused, and the server does not start.

    Example: ``ttl: 24H``.
    Fix: ``ttl: 24h``; combine units into one (``90m``), weeks into days (``14d``).
""",
)

RISKY = rule(
    "ttl-risky",
    Severity.WARNING,
    "The ttl is read, but probably not as meant.",
    """
    Accepted by the server, but surprising: a bare number means *milliseconds* (``86400`` is
    86.4 seconds); zero, negative and fractional values; values so large they saturate; and
    units outside the subset every duration parser agrees on (``ns``, ``us``, ``ms`` and the
    bare ``m`` are unknown to older Scala parsers).

    Example: ``ttl: 86400``.
    Fix: a positive whole number with ``s``, ``h``, ``d``, ``minutes``, ``hours`` or ``days``.
""",
)

UNQUOTED = rule(
    "ttl-unquoted",
    Severity.WARNING,
    "An unquoted ttl in HOCON.",
    """
    Lightbend reads ``ttl = 24h`` as the string ``24h``, but other HOCON tools (pyhocon, and
    anything built on it) turn unquoted durations into duration objects and write them back
    differently (``1 days``). Quoting keeps the value the same everywhere.

    Example: ``ttl = 24h``.
    Fix: ``ttl = "24h"``.
""",
)

RULES = (INVALID, RISKY, UNQUOTED)


def check(ctx: Context) -> Iterable[Finding]:
    """Whether the server accepts the ttl, and whether it means what it seems."""
    doc = ctx.doc
    path = (*doc.bootstrap, "ttl")
    if not doc.has(path):
        return
    value = doc.get(path)
    if isinstance(value, Unresolved):
        return
    if doc.kind == HOCON and doc.hocon is not None:
        from configgen.parsing.hocon import HNumber, HString

        node = doc.hocon.get(tuple(str(p) for p in path))
        if isinstance(node, (HNumber, HString)) and not getattr(node, "quoted", False):
            yield ctx.finding(
                UNQUOTED,
                path,
                'unquoted ttl: quote it (ttl = "...") so every HOCON tool reads the same string',
            )
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        yield ctx.finding(
            INVALID,
            path,
            f'ttl must be a duration string, not {messages.type_name(value)}: write e.g. "24h"',
        )
        return
    text = value if isinstance(value, str) else _go_number_text(value)
    explanation = durations.explain(text)
    shown = messages.shown(text, path)
    if explanation is not None:
        yield ctx.finding(
            INVALID, path, f"ttl {shown} is not a duration the server accepts: {explanation}"
        )
        return
    parsed = durations.parse(text)
    problem = durations.risk(parsed)
    if problem:
        yield ctx.finding(RISKY, path, f"ttl {shown} {problem}")


def _go_number_text(value: float) -> str:
    """How a Helm template prints a YAML number (always a float64 after JSON conversion)."""
    as_float = float(value)
    if as_float.is_integer() and abs(as_float) < 1e21:
        return str(int(as_float))
    return repr(as_float)  # Go's %v and Python's repr agree below 1e16 and in exponent form
