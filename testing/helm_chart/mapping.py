"""Where each ``stackstate.authentication`` setting lands in the server config, per chart.

Facts learned by reading and rendering the five chart packages (the research notes behind them
are ``research/charts/FACTS.md``); the rows are our own summary, never chart text. A row says:
the values key (under ``stackstate.authentication``; ``*`` = any map key, ``[]`` = each item of
a list), the charts that read it, the HOCON path it becomes, how the HOCON value should follow
from what the user wrote (``None``: presence is all that is checked), and the Lightbend getter
the server is assumed to read it with.

The getters are **inferred** (the server is closed source): they are what a Lightbend-config
application reading the types the chart writes would use. ``TYPED`` lists them by path. The
LDAP query ``parameters`` are read as an object or a list of objects, the two forms the
documentation shows; a string there is refused.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from testing.helm_chart.charts import CHART_IDS
from testing.helm_chart.reader import (
    BOOLEAN,
    DURATION_MS,
    INT,
    OBJECT,
    OBJECT_LIST,
    OBJECT_OR_LIST,
    STRING,
    STRING_LIST,
    VALUE,
)
from testing.helm_chart.values import helm_str

A = "stackstate.api.authentication"
S = A + ".authServer"
AUTHZ = "stackstate.authorization"
BOOTSTRAP = S + ".serviceTokenAuthServer.bootstrap"
AUTH_SERVER_TYPE = S + ".authServerType"
LDAP = S + ".ldapAuthServer"
OIDC = S + ".oidcAuthServer"
KEYCLOAK = S + ".keycloakAuthServer"
FILE = S + ".stackstateAuthServer"


def since(first: str) -> frozenset[str]:
    """``first`` and every later chart."""
    return frozenset(CHART_IDS[CHART_IDS.index(first) :])


def only(*ids: str) -> frozenset[str]:
    return frozenset(ids)


ALL = frozenset(CHART_IDS)
K8S = since("1.12.1")  # stackstate-k8s and suse-observability
V2 = since("2.2.0")  # suse-observability: secrets as ${key} + the auth Secret


# --- how the expected HOCON value follows from what the user wrote ---------------------------

Expect = Callable[[Any], Any]  # a value to compare with, or a predicate on the value read


def as_string(value: Any) -> str:
    return helm_str(value)


def trim_slash(value: Any) -> str:
    """URLs: the charts remove one trailing ``/``."""
    text = helm_str(value)
    return text[:-1] if text.endswith("/") else text


def as_list(value: Any) -> list[str]:
    """A list the chart ``compact``s and joins unquoted: what the server should get."""
    items = value if isinstance(value, list) else [value]
    return [helm_str(i) for i in items if i not in (None, "", 0, False, [], {})]


def as_json(value: Any) -> Any:
    return value


def as_bool(value: Any) -> Any:
    """YAML 1.1 booleans as Helm reads them (yes/no/on/off/y/n, any case)."""
    text = str(value).lower()
    if text in ("true", "yes", "on", "y"):
        return True
    if text in ("false", "no", "off", "n"):
        return False
    return value


BCRYPT = re.compile(r"^\$2[abxy]?\$\d\d\$[./0-9A-Za-z]{53}$")


def admin_password(value: Any) -> Callable[[Any], bool]:
    """2.10.x stores a plain-text adminPassword as a bcrypt hash (a new salt every render)."""
    want = helm_str(value)
    return lambda got: got in (want, f"$plain${want}") or bool(BCRYPT.match(str(got)))


def rancher_discovery(value: Any) -> str:
    return trim_slash(value) + "/oidc/.well-known/openid-configuration"


@dataclass(frozen=True)
class Rule:
    """One values key of one set of charts, and where it lands."""

    key: str  # dotted values key under stackstate.authentication; "*" any map key
    charts: frozenset[str]
    hocon: str  # HOCON path; "{}" is replaced by the matched "*" key or list item (quoted)
    expect: Expect | None = as_string
    kind: str = STRING  # the getter the server is assumed to use (INFERRED)
    secret_key: str | None = None  # 2.x: the value travels through this auth Secret key
    note: str = ""  # why it may be absent although the chart reads it


RULES: tuple[Rule, ...] = (
    Rule("adminPassword", ALL, FILE + ".defaultPassword", admin_password,
         secret_key="default_password",
         note="only when no ldap/oidc/keycloak/rancher/file block is set"),
    Rule("sessionLifetime", ALL, A + ".sessionLifetime", as_json, DURATION_MS),
    Rule("serviceToken.bootstrap.token", ALL, BOOTSTRAP + ".token",
         secret_key="bootstrap_token"),
    Rule("serviceToken.bootstrap.roles", ALL, BOOTSTRAP + ".roles", as_list, STRING_LIST,
         note="only when the token is non-empty"),
    Rule("serviceToken.bootstrap.ttl", ALL, BOOTSTRAP + ".ttl", kind=DURATION_MS,
         note="only when the token is non-empty"),
    Rule("serviceToken.bootstrap.dedicatedSubject", since("2.3.6"),
         BOOTSTRAP + ".dedicatedSubject", note="only when the token is non-empty"),
    Rule("ldap.host", ALL, LDAP + ".connection.host"),
    Rule("ldap.port", ALL, LDAP + ".connection.port", kind=INT),
    Rule("ldap.bind.dn", ALL, LDAP + ".connection.bindCredentials.dn"),
    Rule("ldap.bind.password", ALL, LDAP + ".connection.bindCredentials.password",
         secret_key="ldap_password"),
    Rule("ldap.ssl.type", ALL, LDAP + ".connection.ssl.sslType"),
    Rule("ldap.ssl.trustCertificates", ALL, LDAP + ".connection.ssl.trustCertificatesPath", None),
    Rule("ldap.ssl.trustCertificatesBase64Encoded", ALL,
         LDAP + ".connection.ssl.trustCertificatesPath", None),
    Rule("ldap.ssl.trustStore", ALL, LDAP + ".connection.ssl.trustStorePath", None),
    Rule("ldap.ssl.trustStoreBase64Encoded", ALL, LDAP + ".connection.ssl.trustStorePath", None),
    Rule("ldap.userQuery.parameters", ALL, LDAP + ".userQuery.parameters", as_json,
         OBJECT_OR_LIST),
    Rule("ldap.userQuery.usernameKey", ALL, LDAP + ".userQuery.usernameKey"),
    Rule("ldap.userQuery.emailKey", ALL, LDAP + ".userQuery.emailKey"),
    Rule("ldap.groupQuery.parameters", ALL, LDAP + ".groupQuery.parameters", as_json,
         OBJECT_OR_LIST),
    Rule("ldap.groupQuery.rolesKey", ALL, LDAP + ".groupQuery.rolesKey"),
    Rule("ldap.groupQuery.groupMemberKey", ALL, LDAP + ".groupQuery.groupMemberKey"),
    Rule("oidc.clientId", ALL, OIDC + ".clientId", secret_key="oidc_client_id"),
    Rule("oidc.secret", ALL, OIDC + ".secret", secret_key="oidc_secret"),
    Rule("oidc.discoveryUri", ALL, OIDC + ".discoveryUri"),
    Rule("oidc.redirectUri", ALL, OIDC + ".redirectUri", trim_slash),
    Rule("oidc.scope", ALL, OIDC + ".scope", as_json, STRING_LIST),
    Rule("oidc.authenticationMethod", ALL, OIDC + ".authenticationMethod"),
    Rule("oidc.jwsAlgorithm", ALL, OIDC + ".jwsAlgorithm"),
    Rule("oidc.customParameters", ALL, OIDC + ".customParams", as_json, VALUE),
    Rule("oidc.jwtClaims.usernameField", ALL, OIDC + ".jwtClaims.usernameField"),
    Rule("oidc.jwtClaims.groupsField", ALL, OIDC + ".jwtClaims.groupsField"),
    Rule("oidc.oidcLogout", only("2.10.3"), A + ".oidcLogout", as_bool, BOOLEAN),
    Rule("oidc.skipLoginPage", only("2.10.3"), A + ".skipLoginPage", as_bool, BOOLEAN),
    Rule("keycloak.url", ALL, KEYCLOAK + ".keycloakBaseUri"),
    Rule("keycloak.realm", ALL, KEYCLOAK + ".realm"),
    Rule("keycloak.clientId", ALL, KEYCLOAK + ".clientId", secret_key="keycloak_client_id"),
    Rule("keycloak.secret", ALL, KEYCLOAK + ".secret", secret_key="keycloak_secret"),
    Rule("keycloak.redirectUri", ALL, KEYCLOAK + ".redirectUri", trim_slash),
    Rule("keycloak.scope", K8S, KEYCLOAK + ".scope", as_json, STRING_LIST),
    Rule("keycloak.authenticationMethod", ALL, KEYCLOAK + ".authenticationMethod"),
    Rule("keycloak.jwsAlgorithm", ALL, KEYCLOAK + ".jwsAlgorithm"),
    Rule("keycloak.jwtClaims.usernameField", ALL, KEYCLOAK + ".jwtClaims.usernameField"),
    Rule("keycloak.jwtClaims.groupsField", ALL, KEYCLOAK + ".jwtClaims.groupsField"),
    Rule("keycloak.oidcLogout", only("2.10.3"), A + ".oidcLogout", as_bool, BOOLEAN),
    Rule("keycloak.skipLoginPage", only("2.10.3"), A + ".skipLoginPage", as_bool, BOOLEAN),
    Rule("rancher.clientId", since("2.3.6"), OIDC + ".clientId", secret_key="oidc_client_id"),
    Rule("rancher.secret", since("2.3.6"), OIDC + ".secret", secret_key="oidc_secret"),
    Rule("rancher.discoveryUri", since("2.3.6"), OIDC + ".discoveryUri", trim_slash),
    Rule("rancher.baseUrl", since("2.3.6"), OIDC + ".discoveryUri", rancher_discovery,
         note="ignored when rancher.discoveryUri is set"),
    Rule("rancher.redirectUri", since("2.3.6"), OIDC + ".redirectUri", trim_slash),
    Rule("rancher.customParameters", since("2.3.6"), OIDC + ".customParams", as_json, VALUE),
    Rule("rancher.oidcLogout", only("2.10.3"), A + ".oidcLogout", as_bool, BOOLEAN),
    Rule("rancher.skipLoginPage", only("2.10.3"), A + ".skipLoginPage", as_bool, BOOLEAN),
    # file.logins is checked login by login (verdict.py)
    Rule("file.logins", ALL, FILE + ".logins", None, OBJECT_LIST),
    Rule("roles.admin[]", only("5.1.15"), AUTHZ + ".adminGroups", None, VALUE),
    Rule("roles.platformAdmin[]", only("5.1.15"), AUTHZ + ".platformAdminGroups", None, VALUE),
    Rule("roles.powerUser[]", only("5.1.15"), AUTHZ + ".powerUserGroups", None, VALUE),
    Rule("roles.guest[]", only("5.1.15"), AUTHZ + ".guestGroups", None, VALUE),
    Rule("roles.admin[]", K8S, AUTHZ + ".staticSubjects.{}", None, VALUE),
    Rule("roles.platformAdmin[]", only("1.12.1"), AUTHZ + ".staticSubjects.{}", None, VALUE),
    Rule("roles.powerUser[]", K8S, AUTHZ + ".staticSubjects.{}", None, VALUE),
    Rule("roles.guest[]", K8S, AUTHZ + ".staticSubjects.{}", None, VALUE),
    Rule("roles.k8sTroubleshooter[]", K8S, AUTHZ + ".staticSubjects.{}", None, VALUE),
    Rule("roles.custom.*.systemPermissions", ALL, AUTHZ + ".staticSubjects.{}.systemPermissions",
         as_json, STRING_LIST),
    Rule("roles.custom.*.viewPermissions", ALL, AUTHZ + ".staticSubjects.{}.viewPermissions",
         as_json, STRING_LIST),
    # resourcePermissions: a map (the charts document {} as its default), read as an object
    Rule("roles.custom.*.resourcePermissions", since("2.3.6"),
         AUTHZ + ".staticSubjects.{}.resourcePermissions", as_json, OBJECT),
    Rule("roles.custom.*.topologyScope", K8S, AUTHZ + ".staticSubjects.{}.query"),
    Rule("fromExternalSecret", V2, "", None, note="names the Secret the pods read; no config key"),
)  # fmt: skip

# The keys of one ``file.logins`` item every chart reads (``passwordMd5`` only when
# ``passwordHash`` is empty); any other key of a login is dropped.
LOGIN_KEYS = frozenset({"username", "passwordHash", "passwordMd5", "roles"})

# Typed paths: how the server is assumed to read them (INFERRED, see the module docstring).
# Each is queried on every render, so a wrong type shows up even when no setting asked for it.
TYPED: tuple[tuple[str, str], ...] = (
    (A + ".sessionLifetime", DURATION_MS),
    (AUTH_SERVER_TYPE, STRING_LIST),
    (BOOTSTRAP + ".token", STRING),
    (BOOTSTRAP + ".roles", STRING_LIST),
    (BOOTSTRAP + ".ttl", DURATION_MS),
    (BOOTSTRAP + ".dedicatedSubject", STRING),
    (LDAP + ".connection.host", STRING),
    (LDAP + ".connection.port", INT),
    (LDAP + ".connection.ssl.sslType", STRING),
    (LDAP + ".connection.bindCredentials.dn", STRING),
    (LDAP + ".connection.bindCredentials.password", STRING),
    (LDAP + ".userQuery.usernameKey", STRING),
    (LDAP + ".groupQuery.rolesKey", STRING),
    (OIDC + ".clientId", STRING),
    (OIDC + ".secret", STRING),
    (OIDC + ".discoveryUri", STRING),
    (OIDC + ".redirectUri", STRING),
    (OIDC + ".scope", STRING_LIST),
    (KEYCLOAK + ".keycloakBaseUri", STRING),
    (KEYCLOAK + ".realm", STRING),
    (KEYCLOAK + ".clientId", STRING),
    (KEYCLOAK + ".secret", STRING),
    (KEYCLOAK + ".redirectUri", STRING),
    (KEYCLOAK + ".scope", STRING_LIST),
    (FILE + ".defaultPassword", STRING),
    (FILE + ".logins", OBJECT_LIST),
    (A + ".oidcLogout", BOOLEAN),
    (A + ".skipLoginPage", BOOLEAN),
    (AUTHZ + ".adminGroups", STRING_LIST),
    (AUTHZ + ".platformAdminGroups", STRING_LIST),
    (AUTHZ + ".powerUserGroups", STRING_LIST),
    (AUTHZ + ".guestGroups", STRING_LIST),
)

# Keys the 2.x auth Secret may hold (the charts' own names): what an external Secret named by
# fromExternalSecret is expected to provide.
SECRET_KEY = re.compile(
    r"^(bootstrap_token|default_password|ldap_password|oidc_client_id|oidc_secret"
    r"|keycloak_client_id|keycloak_secret|file_[A-Za-z0-9_]+_password)$"
)

# The 5.1 chart extends the server's built-in role lists
# (``adminGroups = ${stackstate.authorization.adminGroups} [...]``); that built-in config is not
# public. This stands in for it with empty lists (an ASSUMPTION). The other charts write no
# self-reference, so they get no stand-in: an unresolved reference there is a finding.
_CLASSIC_DEFAULTS = "".join(
    f"{AUTHZ}.{name} = []\n"
    for name in ("adminGroups", "platformAdminGroups", "powerUserGroups", "guestGroups")
)


def server_defaults(chart: str) -> str:
    """The stand-in for the server's built-in config that ``chart``'s output relies on."""
    return _CLASSIC_DEFAULTS if chart == "5.1.15" else ""


def reads_external_secret(chart: str) -> bool:
    """Whether ``chart`` reads ``fromExternalSecret`` (the 2.x line)."""
    return chart in V2


def rules_for(chart: str, key: str) -> list[Rule]:
    """The rules of ``chart`` that match a concrete values key (``roles.custom.*.query``...)."""
    return [rule for rule in RULES if chart in rule.charts and _match(rule.key, key)]


def reads(chart: str, key: str) -> bool:
    """Whether ``chart`` reads the values key at all (``serviceToken.bootstrap.token``...)."""
    return bool(rules_for(chart, key))


def _match(pattern: str, key: str) -> bool:
    p, k = pattern.split("."), key.split(".")
    return len(p) == len(k) and all(a in ("*", b) for a, b in zip(p, k, strict=True))
