"""Login providers: ``authServerType`` in HOCON, and primary providers in Helm values."""

from __future__ import annotations

from collections.abc import Iterable

from configgen import messages
from configgen.findings import Finding, Severity
from configgen.parsing.kinds import HELM
from configgen.parsing.unresolved import Unresolved
from configgen.product import auth
from configgen.rules.base import Context, rule

MISSING = rule(
    "auth-server-missing",
    Severity.ERROR,
    "Service tokens are not enabled.",
    """
    On Linux the server accepts service tokens only when ``serviceTokenAuthServer`` is listed
    in ``authServerType``. With a bootstrap block but without that entry, the token is never
    accepted.

    Example: ``authServerType = [stackstateAuthServer]`` next to a bootstrap block.
    Fix: ``authServerType = ["stackstateAuthServer", "serviceTokenAuthServer"]``.
""",
)

UNKNOWN = rule(
    "auth-server-unknown",
    Severity.WARNING,
    "An unknown authServerType name.",
    """
    ``authServerType`` names the login providers the server enables. Known names:
    ``stackstateAuthServer``, ``ldapAuthServer``, ``oidcAuthServer``, ``keycloakAuthServer``,
    ``serviceTokenAuthServer``, ``k8sServiceAccountAuthServer``.

    Example: ``authServerType = [serviceTokenAuthserver]``.
    Fix: use the exact, case-sensitive name.
""",
)

CONFLICT = rule(
    "login-provider-conflict",
    Severity.ERROR,
    "More than one primary login provider.",
    """
    The Helm charts fail the render when more than one of ``ldap``, ``oidc``, ``keycloak``,
    ``file`` (and ``rancher`` from suse-observability 2.3.0) is configured under
    ``stackstate.authentication``.

    Example: both ``ldap:`` and ``oidc:`` set.
    Fix: keep one primary provider.
""",
)

RULES = (MISSING, UNKNOWN, CONFLICT)


def check(ctx: Context) -> Iterable[Finding]:
    """Provider lists and conflicts."""
    if ctx.doc.kind == HELM:
        yield from _helm_conflicts(ctx)
        return
    doc = ctx.doc
    path = (*doc.section, "authServer", "authServerType")
    value = doc.get(path)
    names = [value] if isinstance(value, str) else value if isinstance(value, list) else None
    if names is not None:
        for index, name in enumerate(names):
            if isinstance(name, str) and name not in auth.AUTH_SERVER_TYPES:
                where = path if isinstance(value, str) else (*path, index)
                hint = messages.did_you_mean(name, sorted(auth.AUTH_SERVER_TYPES))
                yield ctx.finding(
                    UNKNOWN, where, f"unknown authServerType {messages.shown(name, where)}{hint}"
                )
    if not ctx.bootstrap_configured or isinstance(value, Unresolved):
        return
    if names is None or any(isinstance(n, Unresolved) for n in names):
        if value is None:
            yield ctx.finding(
                MISSING,
                doc.bootstrap,
                "a bootstrap token is configured but "
                "authServerType is not set in this file: add authServerType = "
                '["stackstateAuthServer", "serviceTokenAuthServer"]',
                at_key=True,
            )
        return
    if auth.SERVICE_TOKEN_AUTH_SERVER not in names:
        yield ctx.finding(
            MISSING,
            path,
            "serviceTokenAuthServer is missing from authServerType, "
            "so the bootstrap token is never accepted: add it to the list",
        )


def _helm_conflicts(ctx: Context) -> Iterable[Finding]:
    section = ctx.doc.get(ctx.doc.section)
    if not isinstance(section, dict):
        return
    keys = [k for k in auth.PRIMARY_PROVIDER_KEYS if section.get(k) not in (None, {}, [])]
    if "rancher" in keys and not ctx.profile.reads_rancher:
        keys.remove("rancher")
    if len(keys) > 1:
        yield ctx.finding(
            CONFLICT,
            (*ctx.doc.section, keys[1]),
            "more than one primary login "
            f"provider ({', '.join(keys)}): the chart's render fails; keep one",
            at_key=True,
        )
