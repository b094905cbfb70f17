"""HOCON substitutions where they decide the bootstrap token, roles or ttl.

Substitutions are legitimate HOCON and configgen never resolves them (it would read the
environment).  Only where one decides a bootstrap value is there something to say.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from configgen.findings import Finding, Severity
from configgen.parsing.unresolved import Unresolved
from configgen.rules.base import Context, rule

SUBSTITUTION = rule(
    "substitution",
    Severity.INFO,
    "A bootstrap value comes from a substitution.",
    """
    ``token = ${bootstrap_token}`` is how the suse-observability charts (2.2.0 and later) pass
    the token: the server fills it in at start-up from the environment (the chart's Secret).
    On Linux, ``token = ${STS_BOOTSTRAP_TOKEN}`` (``configgen render --token-env-var``) keeps
    the token out of the file the same way.
    configgen does not resolve substitutions, so it cannot check the value; roles or ttl set
    through a substitution are reported as a warning, since they are then checked nowhere.

    Example: ``token = ${bootstrap_token}``.
    Fix: nothing for the token; for roles and ttl, prefer literal values.
""",
)

RULES = (SUBSTITUTION,)
# Only a bare substitution is shown: literal text next to it may be part of the token.
_PLAIN = re.compile(r"\$\{\??[^}]*\}")


def check(ctx: Context) -> Iterable[Finding]:
    """Explain substituted bootstrap values."""
    doc = ctx.doc
    for key in ("token", "roles", "ttl"):
        path = (*doc.bootstrap, key)
        value = doc.get(path)
        if not isinstance(value, Unresolved):
            continue
        expression = (
            value.expression
            if _PLAIN.fullmatch(value.expression)
            else ("a substitution joined with literal text")
        )
        if key == "token":
            yield ctx.finding(
                SUBSTITUTION,
                path,
                f"the token comes from {expression}, "
                "filled in by the server at start-up, from the environment when the file does "
                "not define it (the suse-observability chart's form, and that of configgen "
                "render --token-env-var); configgen does not check it",
            )
        else:
            yield ctx.finding(
                SUBSTITUTION,
                path,
                f"{key} comes from {expression}, which "
                f"configgen does not resolve: write {key} literally so it can be "
                "checked",
                severity=Severity.WARNING,
            )
