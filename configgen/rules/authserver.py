"""Login providers: ``authServerType`` in HOCON, and primary providers in Helm values."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from configgen import messages
from configgen.findings import Finding, Severity
from configgen.parsing.kinds import HELM
from configgen.parsing.unresolved import Unresolved
from configgen.product import auth, auth_secret
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

ADMIN_IGNORED = rule(
    "admin-password-ignored",
    Severity.ERROR,
    "An adminPassword the chart ignores.",
    """
    The charts create the built-in ``admin`` login from ``adminPassword`` only when no primary
    login provider (``ldap``, ``oidc``, ``keycloak``, ``file``, and ``rancher`` from
    suse-observability 2.3.0) is configured. With a provider in the same values, the password
    is dropped without a word and nobody can log in as ``admin``. Only one values document is
    looked at: a provider in another values file of the same install is not seen.

    Example: ``adminPassword`` next to an ``ldap:`` block.
    Fix: remove ``adminPassword``, or remove the provider block to keep the admin login
    (``file`` logins can hold an admin user next to others).
""",
)

RANCHER_TOKEN = rule(
    "rancher-token-secret-broken",
    Severity.ERROR,
    "Rancher with a bootstrap token: a chart bug empties the auth Secret.",
    """
    suse-observability 2.3.0 to 2.8.1 write the Rancher client id and secret into the auth
    Secret with a deeper indentation than the keys after them. With a bootstrap token the
    Secret's text is no longer valid YAML, and the chart renders the Secret without any data
    instead of failing: the server then finds neither the Rancher client nor the token and
    does not start. 2.9.0 fixed it. Not reported with ``fromExternalSecret``, where the chart
    renders no auth Secret.

    Example: ``rancher:`` and ``serviceToken.bootstrap.token`` with
    ``--product suse-observability-2.3.6``.
    Fix: upgrade to 2.9.0 or later, or keep the secrets in your own Secret
    (``fromExternalSecret``), or create the token later with ``sts service-token create``.
""",
)

RULES = (MISSING, UNKNOWN, CONFLICT, ADMIN_IGNORED, RANCHER_TOKEN)


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
    yield from _helm_ignored(ctx, section)
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


def _helm_ignored(ctx: Context, section: dict[str, Any]) -> Iterable[Finding]:
    """What a provider block makes the chart drop or break (never with an external Secret,
    where the chart renders no auth Secret and uses none of the values' secrets)."""
    providers = auth_secret.configured_providers(section, ctx.profile)
    if not providers or (
        ctx.profile.reads_external_secret and auth_secret.external_secret(section)
    ):
        return
    password = section.get("adminPassword")
    if auth_secret.is_set(password) and not isinstance(password, Unresolved):
        yield ctx.finding(
            ADMIN_IGNORED,
            (*ctx.doc.section, "adminPassword"),
            f"adminPassword is ignored because {providers[0]} is configured: the chart creates "
            "the admin login only when no login provider is set; remove adminPassword, or the "
            f"{providers[0]} block to keep the admin login",
            at_key=True,
        )
    token = auth_secret.bootstrap_of(section).get("token")
    if (
        "rancher" in providers
        and ctx.profile.breaks_secret_with_rancher_token
        and auth_secret.is_set(token)
        and not isinstance(token, Unresolved)
    ):
        yield ctx.finding(
            RANCHER_TOKEN,
            (*ctx.doc.section, "rancher"),
            f"{ctx.profile} renders an empty auth Secret when rancher and a bootstrap token are "
            "both set (a chart bug, fixed in 2.9.0): the server finds neither the Rancher "
            "client nor the token; upgrade, or use fromExternalSecret",
            at_key=True,
        )
