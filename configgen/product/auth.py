"""Login providers: the ``authServerType`` names the server knows, and the Helm provider keys."""

from __future__ import annotations

SERVICE_TOKEN_AUTH_SERVER = "serviceTokenAuthServer"
LOGIN_PROVIDERS = (
    "stackstateAuthServer",
    "ldapAuthServer",
    "oidcAuthServer",
    "keycloakAuthServer",
    "k8sServiceAccountAuthServer",
)
AUTH_SERVER_TYPES = frozenset({*LOGIN_PROVIDERS, SERVICE_TOKEN_AUTH_SERVER})
DEFAULT_LOGIN_PROVIDERS = ("stackstateAuthServer",)

# The primary login providers of the Helm charts' values: at most one may be configured.
PRIMARY_PROVIDER_KEYS = ("ldap", "oidc", "keycloak", "file", "rancher")


def with_service_tokens(login_providers: tuple[str, ...] | list[str]) -> list[str]:
    """``authServerType`` for a Linux file: the login providers kept, then service tokens."""
    kept = [p for p in login_providers if p != SERVICE_TOKEN_AUTH_SERVER]
    return [*kept, SERVICE_TOKEN_AUTH_SERVER]
