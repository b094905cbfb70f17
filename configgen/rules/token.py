"""The bootstrap token itself: present, not a placeholder, strong, and writable by the chart."""

from __future__ import annotations

from collections.abc import Iterable

from configgen.findings import Finding, Severity
from configgen.parsing.kinds import HELM
from configgen.parsing.unresolved import Unresolved
from configgen.product import tokens
from configgen.rules.base import Context, rule

MISSING = rule(
    "token-missing",
    Severity.ERROR,
    "A bootstrap block without a token.",
    """
    The charts emit the bootstrap configuration only when ``serviceToken.bootstrap.token`` is a
    non-empty string, and the server needs one; without it no token is created. With
    ``--require-token`` a file with no bootstrap token at all is reported too.

    Example: ``bootstrap: {roles: [stackstate-power-user]}``.
    Fix: add ``token`` (``configgen render --generate-token`` makes one).
""",
)

INVALID = rule(
    "token-invalid",
    Severity.ERROR,
    "The token is not a usable string.",
    """
    The token must be a single string. A list or mapping makes the chart render nonsense. The
    stackstate 5.1 and stackstate-k8s charts write the token inside double quotes in HOCON, so a
    token with ``"``, ``\\`` or control characters breaks the server's configuration.

    Example: ``token: {value: abc}``.
    Fix: write the token as one quoted string of letters, digits and ``. _ ~ + / = -``.
""",
)

PLACEHOLDER = rule(
    "token-placeholder",
    Severity.ERROR,
    "The token is a placeholder.",
    """
    Tokens copied from the documentation (``<token>``, ``<random token>``) or left as
    ``changeme``, ``...``, ``TODO`` would become the real credential of the installation.
    Not reported next to ``fromExternalSecret`` on suse-observability 2.2.0 and later: the
    values token is never used there and a placeholder is what it should be (configgen writes
    ``"<from the external Secret>"``); the ``external-secret-*`` rules check it instead.

    Example: ``token: <token>``.
    Fix: ``configgen render --generate-token`` writes a random 256-bit token.
""",
)

WEAK = rule(
    "token-weak",
    Severity.WARNING,
    "The token is short or easy to guess.",
    """
    A bootstrap token grants the roles it is given to anyone who knows it. configgen estimates
    its strength from its length and the kinds of characters used and warns below 128 bits
    (for example, fewer than 32 hexadecimal characters). Not reported next to
    ``fromExternalSecret`` (2.2.0 and later), where the values token is never used.

    Example: ``token: stackstate123``.
    Fix: use a random token of at least 32 characters (``--generate-token``).
""",
)

RULES = (MISSING, INVALID, PLACEHOLDER, WEAK)

_HOCON_BREAKERS = frozenset('"\\')


def check(ctx: Context) -> Iterable[Finding]:
    """Token presence, type, placeholders and strength."""
    doc = ctx.doc
    path = (*doc.bootstrap, "token")
    if not ctx.bootstrap_configured:
        if ctx.require_token:
            where = ".".join(str(p) for p in doc.bootstrap)
            yield ctx.finding(
                MISSING,
                (),
                f"no bootstrap token in this file ({where}) and --require-token is set: add one",
            )
        return
    if ctx.external_secret is not None:
        return  # the values token is only a placeholder there: see rules.external_secret
    token = doc.get(path)
    if isinstance(token, Unresolved):
        return  # explained by the substitution rule
    if token is None or token == "":
        yield ctx.finding(
            MISSING,
            doc.bootstrap if not doc.has(path) else path,
            "the bootstrap block has no token, so no token is created: add token "
            "(configgen render --generate-token makes one)",
            at_key=True,
        )
        return
    if isinstance(token, (dict, list)):
        yield ctx.finding(INVALID, path, "token must be one string, not a list or mapping")
        return
    if not isinstance(token, str):
        return  # a number or boolean: explained by the yaml11-scalar rule
    if tokens.is_placeholder(token):
        yield ctx.finding(
            PLACEHOLDER,
            path,
            tokens.PLACEHOLDER_MESSAGE,
        )
        return
    inlined = doc.kind == HELM and not ctx.profile.at_least("suse-observability", 2, 2, 0)
    if inlined and any(c in _HOCON_BREAKERS or ord(c) < 0x20 for c in token):
        yield ctx.finding(
            INVALID,
            path,
            f"{ctx.profile} writes the token inside double "
            "quotes in HOCON; a quote, backslash or control character in it "
            "breaks the server's configuration: use letters, digits and . _ ~ "
            "+ / = -",
        )
    if tokens.is_weak(token):
        yield ctx.finding(WEAK, path, tokens.weak_message(token))
