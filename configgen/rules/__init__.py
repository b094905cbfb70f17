"""The lint rules: one small module per family, each documenting its rules in ``RULES``.

``configgen rules`` lists them; SARIF output embeds the same catalogue.  Findings that come from
reading the file itself (syntax, includes, limits, internal errors) are produced by
``configgen.lint``, and their ``RuleInfo`` lives in ``configgen.rules.reading``.
"""

from __future__ import annotations

import importlib
from functools import cache

from configgen.findings import RuleInfo
from configgen.rules.base import RuleModule

MODULES = (
    "reading",
    "keys",
    "schema",
    "auth_section",
    "token",
    "roles",
    "ttl",
    "authserver",
    "yaml11",
    "substitution",
    "versions",
    "external_secret",
)


@cache
def modules() -> tuple[RuleModule, ...]:
    """Every rule module, imported once."""
    loaded: list[RuleModule] = [
        importlib.import_module(f"configgen.rules.{name}") for name in MODULES
    ]
    return tuple(loaded)


@cache
def catalogue() -> dict[str, RuleInfo]:
    """Every rule by id, in documentation order."""
    return {info.id: info for module in modules() for info in module.RULES}
