"""Facts about the real product that several modules share: names the server and charts know."""

from __future__ import annotations

# Predefined roles across StackState 5.1, stackstate-k8s 1.x and suse-observability 2.x.
KNOWN_ROLES = frozenset(
    {
        "stackstate-admin",
        "stackstate-platform-admin",
        "stackstate-power-user",
        "stackstate-guest",
        "stackstate-k8s-troubleshooter",
        "stackstate-k8s-admin",
    }
)

SERVICE_TOKEN_AUTH_SERVER = "serviceTokenAuthServer"
LOGIN_PROVIDERS = (
    "stackstateAuthServer",
    "ldapAuthServer",
    "oidcAuthServer",
    "keycloakAuthServer",
    "k8sServiceAccountAuthServer",
)
AUTH_SERVER_TYPES = frozenset({*LOGIN_PROVIDERS, SERVICE_TOKEN_AUTH_SERVER})

DEFAULT_TTL = "24h"
DEFAULT_LOGIN_PROVIDERS = ("stackstateAuthServer",)

# Where the bootstrap token lives in Helm values and in the server's HOCON configuration.
HELM_BOOTSTRAP_PATH = ("stackstate", "authentication", "serviceToken", "bootstrap")
HOCON_AUTHENTICATION_PATH = ("stackstate", "api", "authentication")

PRIMARY_PROVIDER_KEYS = ("ldap", "oidc", "keycloak", "file", "rancher")  # Helm values
