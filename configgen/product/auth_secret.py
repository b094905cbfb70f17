"""The Secret that suse-observability 2.2.0 and later read every authentication secret from.

Facts, checked with real Helm against the 2.2.0, 2.3.6 and 2.10.3 charts:

- The server configuration the chart writes refers to each secret as a substitution
  (``token = ${bootstrap_token}``, ``defaultPassword = ${default_password}`` ...), and the pods
  get every key of one Secret as an environment variable, which is where those substitutions
  are resolved from.
- By default the chart fills that Secret itself (``<release fullname>-auth``).  With
  ``stackstate.authentication.fromExternalSecret: NAME`` it renders none and the pods load the
  existing Secret ``NAME`` instead.  That Secret must then hold every key the configuration
  refers to; one missing key stops the server at start-up (an unresolved substitution).
- Which keys the configuration refers to follows from the values: ``bootstrap_token`` when the
  values token is non-empty (the chart writes the bootstrap block only then -- the trap of the
  documented recipe); ``default_password`` when no login provider is configured (the admin
  fallback); ``ldap_password`` with an LDAP ``bind``; ``oidc_client_id`` and ``oidc_secret`` for
  OIDC or Rancher; ``keycloak_client_id`` and ``keycloak_secret``; ``file_<username>_password``
  per file login.  A provider counts as configured when its block is a non-empty mapping.
- The 2.2.0 and 2.3.6 charts still demand ``adminPassword`` in the values when no provider is
  configured, even though its value is then unused; 2.10.3 does not.
- The stackstate 5.1 and stackstate-k8s 1.x charts have no such Secret: they write secrets into
  the configuration and ignore ``fromExternalSecret`` (``Profile.reads_external_secret``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, NamedTuple

from configgen.product.profiles import Profile

BOOTSTRAP_TOKEN = "bootstrap_token"
DEFAULT_PASSWORD = "default_password"
LDAP_PASSWORD = "ldap_password"
OIDC_CLIENT_ID, OIDC_SECRET = "oidc_client_id", "oidc_secret"
KEYCLOAK_CLIENT_ID, KEYCLOAK_SECRET = "keycloak_client_id", "keycloak_secret"

# The values key that names the external Secret, under stackstate.authentication.
FROM_EXTERNAL_SECRET = "fromExternalSecret"

# What Kubernetes accepts as a Secret's name (an RFC 1123 DNS subdomain).
SECRET_NAME = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
SECRET_NAME_MAX = 253
# File-login usernames the 2.x charts accept; the name becomes part of a Secret key.
FILE_USERNAME = re.compile(r"[A-Za-z0-9_]+")

_WHAT = {
    BOOTSTRAP_TOKEN: "the bootstrap service token",
    DEFAULT_PASSWORD: "the admin password as stackstate.authentication.adminPassword would "
    "hold it (a bcrypt or MD5 hash)",
    LDAP_PASSWORD: "the LDAP bind password (ldap.bind.password)",
    OIDC_CLIENT_ID: "the OIDC client id (oidc.clientId, or rancher.clientId)",
    OIDC_SECRET: "the OIDC client secret (oidc.secret, or rancher.secret)",
    KEYCLOAK_CLIENT_ID: "the Keycloak client id (keycloak.clientId)",
    KEYCLOAK_SECRET: "the Keycloak client secret (keycloak.secret)",
}

# Keys each login provider of a Linux-style spec (``loginProviders``) needs on Kubernetes.
_BY_AUTH_SERVER: dict[str, tuple[str, ...]] = {
    "stackstateAuthServer": (DEFAULT_PASSWORD,),
    "ldapAuthServer": (LDAP_PASSWORD,),
    "oidcAuthServer": (OIDC_CLIENT_ID, OIDC_SECRET),
    "keycloakAuthServer": (KEYCLOAK_CLIENT_ID, KEYCLOAK_SECRET),
    "k8sServiceAccountAuthServer": (),
}


class SecretKey(NamedTuple):
    """A key the external Secret must hold, why, and what goes there."""

    name: str
    what: str  # for a comment in a manifest, or a message
    cause: tuple[str | int, ...] = ()  # the values path (under the section) that asks for it
    # True when the key is needed only because no login provider appears in the values seen:
    # another values file passed to Helm may configure one.
    assumed: bool = False


def file_password_key(username: str) -> str:
    """The key of a file login's password hash."""
    return f"file_{username}_password"


def is_set(value: Any) -> bool:
    """Go template truthiness, which decides what the chart writes: ``null``, ``""``, ``0``,
    ``false`` and empty lists and mappings are not set."""
    return value not in (None, "", 0, False, [], {})


def external_secret(authentication: Any) -> str | None:
    """The Secret ``fromExternalSecret`` names in a values section, if it names one."""
    if not isinstance(authentication, dict):
        return None
    name = authentication.get(FROM_EXTERNAL_SECRET)
    return name if isinstance(name, str) and name else None


def bootstrap_of(authentication: Any) -> dict[str, Any]:
    """``serviceToken.bootstrap`` of a values section (empty when it is not a mapping)."""
    bootstrap = _at(authentication, ("serviceToken", "bootstrap"))
    return bootstrap if isinstance(bootstrap, dict) else {}


def configured_providers(authentication: Any, profile: Profile) -> list[str]:
    """The login providers (``ldap``, ``oidc``, ``rancher``, ``keycloak``, ``file``) whose
    block is a non-empty mapping, in the chart's order; rancher only where it is read."""
    if not isinstance(authentication, dict):
        return []
    names = ["ldap", "oidc", "rancher", "keycloak", "file"]
    if not profile.reads_rancher:
        names.remove("rancher")
    return [n for n in names if isinstance(authentication.get(n), dict) and authentication[n]]


def required_keys(authentication: Any, profile: Profile) -> list[SecretKey]:
    """Every key the external Secret must hold for this ``stackstate.authentication`` section."""
    section = authentication if isinstance(authentication, dict) else {}
    keys: list[SecretKey] = []
    if is_set(bootstrap_of(section).get("token")):
        keys.append(_key(BOOTSTRAP_TOKEN, ("serviceToken", "bootstrap", "token")))
    providers = configured_providers(section, profile)
    if not providers:
        keys.append(_key(DEFAULT_PASSWORD, (), assumed=True))
    bind = section["ldap"].get("bind") if "ldap" in providers else None
    if isinstance(bind, dict) and bind:
        keys.append(_key(LDAP_PASSWORD, ("ldap", "bind")))
    for provider in ("oidc", "rancher"):
        if provider in providers:
            keys += [_key(OIDC_CLIENT_ID, (provider,)), _key(OIDC_SECRET, (provider,))]
            break
    if "keycloak" in providers:
        keys += [_key(KEYCLOAK_CLIENT_ID, ("keycloak",)), _key(KEYCLOAK_SECRET, ("keycloak",))]
    if "file" in providers:
        keys += _file_keys(section["file"].get("logins"))
    return _unique(keys)


def keys_for_login_providers(auth_servers: Iterable[str]) -> list[SecretKey]:
    """The keys for a spec's ``loginProviders`` (``authServerType`` names), token first."""
    keys = [_key(BOOTSTRAP_TOKEN, ())]
    for server in auth_servers:
        keys += [_key(name, ()) for name in _BY_AUTH_SERVER.get(server, ())]
    return _unique(keys)


def _file_keys(logins: Any) -> list[SecretKey]:
    keys = []
    for index, login in enumerate(logins if isinstance(logins, list) else []):
        name = login.get("username") if isinstance(login, dict) else None
        if isinstance(name, str) and FILE_USERNAME.fullmatch(name):
            what = f"the password hash of file login {name} (file.logins[].passwordHash)"
            keys.append(SecretKey(file_password_key(name), what, ("file", "logins", index)))
    return keys


def _key(name: str, cause: tuple[str | int, ...], *, assumed: bool = False) -> SecretKey:
    return SecretKey(name, _WHAT[name], cause, assumed)


def _unique(keys: list[SecretKey]) -> list[SecretKey]:
    seen: dict[str, SecretKey] = {}
    for key in keys:
        seen.setdefault(key.name, key)
    return list(seen.values())


def _at(data: Any, path: tuple[str, ...]) -> Any:
    value: Any = data
    for part in path:
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value
