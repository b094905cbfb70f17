"""Every key of ``stackstate.authentication`` as the charts read it, per chart line and version.

Learned by reading the templates of stackstate 5.1.15, stackstate-k8s 1.12.1 and
suse-observability 2.2.0, 2.3.6 and 2.10.3, and by rendering variants with Helm 3.17; written
here in our own words. One row (``KeySpec``) per key:

- ``path``: dotted, below ``stackstate.authentication``; ``*`` stands for any map key (a custom
  role's name), ``[]`` for each item of a list (a file login).
- ``type``: what the chart and the server accept (see the constants below).
- ``required``: what happens when the key is missing while its block is set
  (``REQUIRED``: the render fails; ``SECRET``: the render fails, but on products that render the
  auth Secret only when that Secret is rendered, i.e. not when ``fromExternalSecret`` names
  one; ``ELSEWHERE``: needed, but usually set in another values file -- a warning at most).
- ``alternatives``: sibling keys that satisfy the requirement instead (``rancher.baseUrl`` for
  ``rancher.discoveryUri``).
- ``when``: the ``Profile`` property that is true where the chart reads the key ("" = every
  version); keys a product does not read are ignored by its chart.
- ``required_when``: the ``Profile`` property under which ``required`` holds ("" = wherever
  the key is read).
- ``fallback``: the value outside this section the chart uses when the key is missing.
- ``nullable``: False where an empty value (``ldap:`` with nothing after it) makes the render
  fail: Helm then drops the chart's default block, and templates that read inside it stop.
- ``unparsable``: for a required key whose absence does not fail the render but leaves a line
  the server cannot parse (``ldap.bind.dn``): ``ALWAYS``, or the ``Profile`` property under
  which the render fails instead.

This module is data: the lint rules (``configgen.rules.auth_section``) and the JSON Schema
builder read the same table.
"""

from __future__ import annotations

from functools import cache
from typing import NamedTuple

from configgen.product.profiles import Profile

# --- types ------------------------------------------------------------------------------------
STRING = "string"  # any scalar (the chart quotes it); a list or mapping is wrong
SECRET = "secret string"  # a string; products that render the auth Secret refuse other scalars
INT = "int"  # a whole number, or a string of digits (written into HOCON unquoted)
STRING_LIST = "list of strings"
MAPPING = "mapping"  # a block of keys; a scalar makes the render fail
ANY_MAPPING = "mapping of any keys"  # copied as it is (custom parameters, permissions)
PARAMETERS = "list or mapping"  # LDAP query parts: the docs write a list of one-key mappings
LOGINS = "list of mappings"
DURATION = "duration"  # as the server reads it: a number with an optional unit
BOOLEAN = "boolean"  # true/false (the server also takes yes/no/on/off)
TYPES = (
    STRING,
    SECRET,
    INT,
    STRING_LIST,
    MAPPING,
    ANY_MAPPING,
    PARAMETERS,
    LOGINS,
    DURATION,
    BOOLEAN,
)

# --- what a missing key does ------------------------------------------------------------------
OPTIONAL = ""
REQUIRED = "required"
SECRET_REQUIRED = "required unless fromExternalSecret"
ELSEWHERE = "usually from another values file"
ALWAYS = "always"  # KeySpec.unparsable: on every version


class KeySpec(NamedTuple):
    """One key of the authentication section (see the module docstring)."""

    path: str
    type: str
    required: str = OPTIONAL
    when: str = ""
    required_when: str = ""
    alternatives: tuple[str, ...] = ()
    fallback: str = ""
    note: str = ""
    nullable: bool = True
    # Missing, the chart does not fail but writes a line the server cannot parse: ``ALWAYS``,
    # or on the versions where the named profile property is false.
    unparsable: str = ""

    @property
    def parts(self) -> tuple[str, ...]:
        """The path, level by level."""
        return tuple(self.path.split("."))

    def read_by(self, profile: Profile) -> bool:
        """True when ``profile``'s chart reads this key."""
        return not self.when or bool(getattr(profile, self.when))

    def missing_breaks_server(self, profile: Profile) -> bool:
        """True when, without this key, the render succeeds but the server cannot start."""
        if self.unparsable == ALWAYS:
            return True
        return bool(self.unparsable) and not getattr(profile, self.unparsable)

    def required_by(self, profile: Profile) -> bool:
        """True when ``profile``'s chart fails the render without this key (block set)."""
        if self.required not in (REQUIRED, SECRET_REQUIRED) or not self.read_by(profile):
            return False
        return not self.required_when or bool(getattr(profile, self.required_when))


_K8S = "reads_k8s_settings"
_RANCHER = "reads_rancher"
_LOGIN_PAGE = "reads_login_page_options"
_REDIRECT = "stackstate.baseUrl (or stackstate.receiver.baseUrl) + /loginCallback"

# The OIDC-like providers share these optional keys.
_OIDC_OPTIONS = (
    ("authenticationMethod", STRING, ""),
    ("jwsAlgorithm", STRING, ""),
    ("jwtClaims", MAPPING, ""),
    ("jwtClaims.usernameField", STRING, ""),
    ("jwtClaims.groupsField", STRING, ""),
)


def _oidc_like(block: str, when: str = "") -> tuple[KeySpec, ...]:
    rows = [
        KeySpec(f"{block}.{key}", kind, when=when or extra) for key, kind, extra in _OIDC_OPTIONS
    ]
    rows += [
        KeySpec(f"{block}.oidcLogout", BOOLEAN, when=_LOGIN_PAGE),
        KeySpec(f"{block}.skipLoginPage", BOOLEAN, when=_LOGIN_PAGE),
    ]
    return tuple(rows)


SPECS: tuple[KeySpec, ...] = (
    KeySpec(
        "adminPassword",
        SECRET,
        ELSEWHERE,
        note="the password of the built-in admin; the render fails without it when no login "
        "provider block is set (2.10 also takes global.suseObservability.adminPassword and "
        "keeps the one already installed)",
    ),
    KeySpec("sessionLifetime", DURATION, note="empty: 7d (16h with rancher from 2.3)"),
    KeySpec(
        "fromExternalSecret",
        STRING,
        when="reads_external_secret",
        note="names a Secret holding every authentication secret; the chart renders none",
    ),
    # --- ldap ---
    KeySpec("ldap", MAPPING, nullable=False, note="an empty ldap: fails the render"),
    KeySpec("ldap.host", STRING, REQUIRED),
    KeySpec("ldap.port", INT, REQUIRED, note="written unquoted; the server reads a number"),
    KeySpec("ldap.bind", MAPPING),
    KeySpec(
        "ldap.bind.dn",
        STRING,
        REQUIRED,
        note="once bind is set: without it the chart writes a line the server cannot parse",
        unparsable=ALWAYS,
    ),
    KeySpec(
        "ldap.bind.password",
        SECRET,
        SECRET_REQUIRED,
        note="once bind is set: 5.1 and 1.x then write a line the server cannot parse, 2.2+ "
        "fail the render",
        unparsable="renders_auth_secret",
    ),
    KeySpec("ldap.ssl", MAPPING, note="once present, anything but a mapping fails the render"),
    KeySpec("ldap.ssl.type", STRING, REQUIRED, note="required once ssl is set"),
    KeySpec("ldap.ssl.trustCertificates", STRING),
    KeySpec("ldap.ssl.trustCertificatesBase64Encoded", STRING),
    KeySpec("ldap.ssl.trustStore", STRING),
    KeySpec("ldap.ssl.trustStoreBase64Encoded", STRING),
    KeySpec("ldap.userQuery", MAPPING, REQUIRED),
    KeySpec("ldap.userQuery.parameters", PARAMETERS, REQUIRED),
    KeySpec("ldap.userQuery.usernameKey", STRING, REQUIRED),
    KeySpec("ldap.userQuery.emailKey", STRING),
    KeySpec("ldap.groupQuery", MAPPING, REQUIRED),
    KeySpec("ldap.groupQuery.parameters", PARAMETERS, REQUIRED),
    KeySpec("ldap.groupQuery.rolesKey", STRING, REQUIRED),
    KeySpec("ldap.groupQuery.groupMemberKey", STRING),
    # --- oidc ---
    KeySpec("oidc", MAPPING),
    KeySpec("oidc.clientId", SECRET, SECRET_REQUIRED),
    KeySpec("oidc.secret", SECRET, SECRET_REQUIRED),
    KeySpec("oidc.discoveryUri", STRING, REQUIRED),
    KeySpec("oidc.redirectUri", STRING, fallback=_REDIRECT),
    KeySpec("oidc.scope", STRING_LIST),
    KeySpec("oidc.customParameters", ANY_MAPPING),
    *_oidc_like("oidc"),
    # --- keycloak ---
    KeySpec("keycloak", MAPPING),
    KeySpec("keycloak.url", STRING, REQUIRED),
    KeySpec("keycloak.realm", STRING, REQUIRED),
    KeySpec("keycloak.clientId", SECRET, SECRET_REQUIRED),
    KeySpec("keycloak.secret", SECRET, SECRET_REQUIRED),
    KeySpec("keycloak.redirectUri", STRING, fallback=_REDIRECT),
    KeySpec("keycloak.scope", STRING_LIST, when=_K8S),
    *_oidc_like("keycloak"),
    # --- rancher (an OIDC provider with fixed scope, algorithm and claims) ---
    KeySpec("rancher", MAPPING, when=_RANCHER),
    KeySpec("rancher.clientId", SECRET, SECRET_REQUIRED, when=_RANCHER),
    KeySpec("rancher.secret", SECRET, SECRET_REQUIRED, when=_RANCHER),
    KeySpec("rancher.discoveryUri", STRING, REQUIRED, when=_RANCHER, alternatives=("baseUrl",)),
    KeySpec(
        "rancher.baseUrl",
        STRING,
        when=_RANCHER,
        note="the Rancher server; its discovery document is used when discoveryUri is not set",
    ),
    KeySpec("rancher.redirectUri", STRING, when=_RANCHER, fallback=_REDIRECT),
    KeySpec("rancher.customParameters", ANY_MAPPING, when=_RANCHER),
    KeySpec("rancher.oidcLogout", BOOLEAN, when=_LOGIN_PAGE),
    KeySpec("rancher.skipLoginPage", BOOLEAN, when=_LOGIN_PAGE),
    # --- file ---
    KeySpec("file", MAPPING),
    KeySpec("file.logins", LOGINS, REQUIRED, note="must not be empty once file is set"),
    KeySpec("file.logins.[]", MAPPING),
    KeySpec("file.logins.[].username", SECRET, REQUIRED),
    KeySpec("file.logins.[].passwordHash", SECRET, REQUIRED, alternatives=("passwordMd5",)),
    KeySpec("file.logins.[].passwordMd5", SECRET, note="older name of passwordHash"),
    KeySpec("file.logins.[].roles", STRING_LIST, REQUIRED, note="must not be empty"),
    # --- roles ---
    KeySpec("roles", MAPPING, nullable=False),
    KeySpec("roles.admin", STRING_LIST),
    KeySpec("roles.platformAdmin", STRING_LIST, when="reads_platform_admin"),
    KeySpec("roles.powerUser", STRING_LIST),
    KeySpec("roles.guest", STRING_LIST),
    KeySpec("roles.k8sTroubleshooter", STRING_LIST, when=_K8S),
    KeySpec("roles.custom", MAPPING, note="custom subjects by name"),
    KeySpec("roles.custom.*", MAPPING, nullable=False, note="a custom role must be a mapping"),
    KeySpec("roles.custom.*.systemPermissions", STRING_LIST),
    KeySpec("roles.custom.*.viewPermissions", STRING_LIST),
    KeySpec(
        "roles.custom.*.resourcePermissions",
        ANY_MAPPING,
        when="reads_resource_permissions",
        note="a mapping of resource kind to permissions",
    ),
    KeySpec("roles.custom.*.topologyScope", STRING, when=_K8S),
    # --- serviceToken ---
    KeySpec("serviceToken", MAPPING, nullable=False),
    KeySpec("serviceToken.bootstrap", MAPPING, nullable=False),
    KeySpec("serviceToken.bootstrap.token", SECRET, when="supports_bootstrap_token"),
    KeySpec("serviceToken.bootstrap.roles", STRING_LIST, when="supports_bootstrap_token"),
    KeySpec("serviceToken.bootstrap.ttl", DURATION, when="supports_bootstrap_token"),
    KeySpec("serviceToken.bootstrap.dedicatedSubject", STRING, when="reads_dedicated_subject"),
)

BLOCK_TYPES = (MAPPING,)  # specs whose children are listed in the table
PROVIDERS = ("ldap", "oidc", "keycloak", "rancher", "file")


@cache
def by_path() -> dict[str, KeySpec]:
    """Every spec by its dotted path."""
    return {spec.path: spec for spec in SPECS}


@cache
def children(path: str) -> dict[str, KeySpec]:
    """The specs one level below the mapping at ``path`` ("" = the section itself)."""
    depth = len(path.split(".")) if path else 0
    prefix = f"{path}." if path else ""
    return {
        spec.parts[-1]: spec
        for spec in SPECS
        if spec.path.startswith(prefix) and len(spec.parts) == depth + 1
    }


def pattern_of(parts: tuple[str | int, ...]) -> str:
    """The spec path matching a concrete key path (``roles.custom.ops`` -> ``roles.custom.*``,
    ``file.logins.0.username`` -> ``file.logins.[].username``)."""
    out: list[str] = []
    for part in parts:
        joined = ".".join(out)
        if isinstance(part, int):
            out.append("[]")
        elif f"{joined}.*" in by_path():
            out.append("*")
        else:
            out.append(part)
    return ".".join(out)


def spec_at(parts: tuple[str | int, ...]) -> KeySpec | None:
    """The spec of a concrete key path below the section, if the table has one."""
    return by_path().get(pattern_of(parts))
