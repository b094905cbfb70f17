"""Plain YAML scalars that Helm reads differently from what they seem to say."""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

from configgen import messages
from configgen.findings import Finding, JsonPath, Severity
from configgen.parsing.kinds import HELM
from configgen.product.helm_scalars import resolve_core12, resolve_plain
from configgen.rules.base import Context, rule

SCALAR = rule(
    "yaml11-scalar",
    Severity.WARNING,
    "Helm reads this plain value differently.",
    """
    Helm reads values files with YAML 1.1 rules (Go's yaml.v2), where plain ``yes``, ``no``,
    ``on``, ``off``, ``y``, ``n`` are booleans, ``0777`` is octal 511, ``1_000`` is 1000 and
    ``0b101`` is 5; and every number passes through float64, so a long run of digits becomes a
    different number. Editors and YAML 1.2 tools read the same text as a string. An error in the
    bootstrap token, roles, ttl and dedicatedSubject (``roles: [no]`` becomes ``false``, a
    digit-only token becomes another number); a warning elsewhere in
    ``stackstate.authentication``.

    Example: ``token: 0123456789012345678901234567``.
    Fix: quote the value: ``token: "0123456789012345678901234567"``.
""",
)

RULES = (SCALAR,)
_BOOTSTRAP_STRINGS = ("token", "roles", "ttl", "dedicatedSubject")


def _helm_text(value: Any) -> str:
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    if value is None:
        return "null"
    if isinstance(value, int) and abs(value) > 2**53:
        return f"the number {float(value):g} (float64 cannot hold every digit)"
    if isinstance(value, (int, float)):
        return f"the number {value:g}" if isinstance(value, float) else f"the number {value}"
    return f"the text {value}"


def _kind(value: Any, path: JsonPath) -> str:
    if messages.is_secret(path):
        return "a boolean" if isinstance(value, bool) else "null" if value is None else "a number"

    return _helm_text(value)


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and a == b


def check(ctx: Context) -> Iterable[Finding]:
    """Plain scalars under stackstate.authentication whose YAML 1.1 reading differs."""
    doc = ctx.doc
    if doc.kind != HELM or doc.yaml is None:
        return
    section = doc.section
    bootstrap = doc.bootstrap
    for path, style in doc.yaml.styles.items():
        if style != "plain" or path[: len(section)] != section:
            continue
        text = doc.yaml.raw[path]
        raw = messages.shown(text, path)
        helm = resolve_plain(text)
        critical = _is_bootstrap_string(path, bootstrap)
        if critical and not isinstance(helm, str):
            yield ctx.finding(
                SCALAR,
                path,
                f"Helm reads {raw} here as {_kind(helm, path)}, not as the text written: quote it",
                severity=Severity.ERROR,
            )
        elif not _same(helm, resolve_core12(text)) or (isinstance(helm, int) and abs(helm) > 2**53):
            yield ctx.finding(
                SCALAR,
                path,
                f"Helm (YAML 1.1) reads {raw} as "
                f"{_helm_text(helm)}; YAML 1.2 tools read it differently: quote "
                "it if you mean the text",
            )


def _is_bootstrap_string(path: JsonPath, bootstrap: JsonPath) -> bool:
    if path[: len(bootstrap)] != bootstrap or len(path) <= len(bootstrap):
        return False
    return path[len(bootstrap)] in _BOOTSTRAP_STRINGS
