"""Schema violations in the authentication settings, mapped to positions."""

from __future__ import annotations

from collections.abc import Iterable

from configgen import messages
from configgen.findings import Finding, JsonPath, Severity
from configgen.parsing.kinds import HELM
from configgen.rules import keys
from configgen.rules.base import Context, rule
from configgen.schema import validate

SCHEMA = rule(
    "schema",
    Severity.ERROR,
    "A HOCON value has the wrong type or form.",
    """
    The HOCON authentication settings are checked against configgen's JSON Schema (print it
    with ``configgen schema hocon-authentication``): types, allowed keys, list items, duration
    formats. A wrong type makes the server refuse to start. The token, roles and ttl of the
    bootstrap block have dedicated rules with more precise messages. Helm values are checked
    key by key by ``auth-key-missing``, ``auth-value-type`` and the key rules instead.

    Example: ``sessionLifetime = [7d]`` (a list, not a duration).
    Fix: follow the message; the schema names the expected type.
""",
)

RULES = (SCHEMA,)
_OWN_RULES = ("token", "roles", "ttl")  # bootstrap keys that dedicated rules explain better


def check(ctx: Context) -> Iterable[Finding]:
    """Validate the section that holds the authentication settings."""
    doc = ctx.doc
    prefix: JsonPath = ()
    if doc.kind == HELM:
        if not isinstance(doc.data, dict):
            if doc.data is not None:
                yield ctx.finding(SCHEMA, (), "a values file must be a mapping of keys")
            return
        # Everything under stackstate.authentication is checked key by key, with the
        # product's own facts, by the auth_section rules; the schema adds nothing there.
        return
    else:
        section = doc.get(doc.section)
        if not isinstance(section, dict):
            return
        name, data, prefix = "hocon-authentication", section, doc.section
    for problem in validate.check(name, data, prefix=prefix):
        path = problem.json_path
        if path[: len(doc.bootstrap) + 1] in ((*doc.bootstrap, k) for k in _OWN_RULES):
            continue
        if problem.suggestion is not None:
            yield ctx.finding(
                keys.MISSPELLED,
                path,
                messages.ignored_key(str(path[-1]), problem.suggestion),
                at_key=True,
            )
        elif problem.at_key:
            yield ctx.finding(
                keys.UNKNOWN,
                path,
                f"{problem.message}: it is silently ignored; remove it",
                at_key=True,
            )
        else:
            yield ctx.finding(SCHEMA, path, problem.message)
