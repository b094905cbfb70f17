"""What a values file asks for, as its author wrote it, and how Helm prints a scalar.

The verdict compares what the server reads with what the user *wrote*, not with what Helm made
of it: ``token: 123456789`` asks for the text "123456789", and a chart that prints Helm's
float64 ``1.23456789e+08`` has changed it. So the values under test are read as YAML text
(``yaml.compose``): every scalar stays the characters typed, only ``null`` is null.

This module is the oracle's own model, independent of configgen's (``configgen.product``), so
that the tests compare two independent readings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml

# Keys whose value is a map passed through whole (toJson), not a tree of settings.
MAP_LEAVES = frozenset({"oidc.customParameters", "rancher.customParameters"})
ROLE_GROUPS = "roles"  # roles.<group> lists: each item is its own setting
CUSTOM_ROLES = ("roles", "custom")  # roles.custom.<name>.<key>: "<name>" becomes "*"


@dataclass(frozen=True)
class Setting:
    """One non-empty leaf of ``stackstate.authentication`` in the values under test."""

    key: str  # e.g. "ldap.port", "roles.admin[]", "roles.custom.*.systemPermissions"
    value: Any  # what the user wrote: scalars as their text (see ``as_written``)
    map_key: str | None = None  # the "*" name or list item that fills "{}" in a HOCON path


def as_written(node: yaml.Node | None) -> Any:
    """A composed YAML node as plain data; every scalar stays the text the user typed (``yes``
    stays "yes", which Helm would print as "true": a change for a token), except null."""
    if node is None:
        return None
    if isinstance(node, yaml.MappingNode):
        return {str(as_written(k)): as_written(v) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [as_written(v) for v in node.value]
    if node.tag == "tag:yaml.org,2002:null":
        return None
    return node.value


def authentication(values_text: str) -> Any:
    """``stackstate.authentication`` of a values text, as written (None when absent)."""
    root = as_written(yaml.compose(values_text) if values_text.strip() else None)
    return dig(root, "stackstate", "authentication")


def settings(values_text: str) -> list[Setting]:
    """The settings a values text makes: the non-empty leaves of ``stackstate.authentication``.

    ``null``, ``""``, ``[]`` and ``{}`` are "not set" (Go-template truthiness, as the charts
    test them). Each item of a ``roles.<group>`` list is one setting; ``file.logins`` is one
    (checked login by login); ``roles.custom.<name>.<key>`` becomes ``roles.custom.*.<key>``."""
    found: list[Setting] = []

    def walk(node: Any, keys: list[str], star: str | None) -> None:
        key = ".".join(keys)
        if is_empty(node):
            return
        if isinstance(node, dict) and key not in MAP_LEAVES and not _custom_leaf(keys):
            custom = tuple(keys) == CUSTOM_ROLES
            for k, v in node.items():
                walk(v, [*keys, "*" if custom else k], k if custom else star)
        elif isinstance(node, list) and len(keys) == 2 and keys[0] == ROLE_GROUPS:
            found.extend(Setting(key + "[]", i, str(i)) for i in node if not is_empty(i))
        else:
            found.append(Setting(key, node, star))

    walk(authentication(values_text), [], None)
    return found


def custom_roles(values_text: str) -> list[str]:
    """The names under ``roles.custom`` (their permissions are typed paths too)."""
    custom = dig(authentication(values_text), "roles", "custom")
    return [str(k) for k in custom] if isinstance(custom, dict) else []


def _custom_leaf(keys: list[str]) -> bool:
    return len(keys) == 4 and tuple(keys[:2]) == CUSTOM_ROLES


def is_empty(value: Any) -> bool:
    """Not set, for a chart: null, "", [] or {}."""
    return value is None or value == "" or value == [] or value == {}


def dig(node: Any, *keys: str) -> Any:
    """``node[k1][k2]...``, None where a level is missing or not a map."""
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node


# --- how Helm prints a values scalar into a template (Go's %v on YAML-decoded values) ---------


def helm_str(value: Any) -> str:
    """What ``{{ value }}`` or ``quote`` prints: Helm decodes every number as a float64."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return go_float(float(value))
    if value is None:
        return ""
    return str(value)


def go_float(f: float) -> str:
    """Go's ``%v`` for a float64 (what Helm prints for every YAML number): the shortest
    round-trip digits, in exponent form when the decimal exponent is < -4 or >= 6 (389 -> 389,
    1000000 -> 1e+06, 123456789 -> 1.23456789e+08, 0.00001 -> 1e-05; checked with Helm 3.17)."""
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "+Inf" if f > 0 else "-Inf"
    if f == 0:
        return "0"
    sign = "-" if f < 0 else ""
    digits, exponent = _shortest_digits(abs(f))
    if exponent < -4 or exponent >= 6:
        mantissa = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        return f"{sign}{mantissa}e{'+' if exponent >= 0 else '-'}{abs(exponent):02d}"
    point = exponent + 1  # digits before the decimal point
    if point <= 0:
        return f"{sign}0.{'0' * -point}{digits}"
    if point >= len(digits):
        return f"{sign}{digits}{'0' * (point - len(digits))}"
    return f"{sign}{digits[:point]}.{digits[point:]}"


def _shortest_digits(f: float) -> tuple[str, int]:
    """(significant digits, decimal exponent of the first one); ``repr`` is the shortest
    round-trip form, as Go's."""
    _, digit_tuple, exponent = Decimal(repr(f)).normalize().as_tuple()
    text = "".join(map(str, digit_tuple))
    return text, len(text) + int(exponent) - 1
