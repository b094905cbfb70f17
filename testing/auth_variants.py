"""Generated ``stackstate.authentication`` sections for the differential test of ``lint``.

Each variant is a whole values document. It starts from one complete set-up (an LDAP, OIDC,
Keycloak or Rancher provider, file logins, or only an ``adminPassword``), sometimes with a
bootstrap token, roles, a session lifetime or ``fromExternalSecret`` beside it, and then gets
one break of a given *kind* -- or none (``intact``), so that lint's false errors show too:

- ``missing``: one key removed from the provider block (a required one most of the time);
- ``wrong-type``: a string for a list, a list for a string, ``ldaps`` for a port...;
- ``two-providers``: a second provider block (or an ``adminPassword`` next to a provider);
- ``misspelled``: a misspelled, wrong-case or unknown key inside a provider block, renaming the
  real key or written beside it (``scopes``, ``discoveryURI``, ``URL``, ``userquery``...);
- ``file-logins``: edits to ``file.logins`` (empty, a field missing, an odd username...);
- ``roles``: role groups and custom roles (``resourcePermissions`` as a mapping or a list...);
- ``session``: ``sessionLifetime`` values, good and bad;
- ``bootstrap``: the bootstrap service token block (``servicetoken``, ISO ttl, string roles...);
- ``external``: ``fromExternalSecret``, with and without a provider.

The generator is seeded (``random.Random``), so a count and a seed name the same documents on
every machine. It knows nothing of configgen: what is broken is for the charts to say.
"""

from __future__ import annotations

import copy
import random
from collections import Counter
from collections.abc import Callable
from typing import Any, NamedTuple

import yaml

KINDS = (
    "intact",
    "missing",
    "wrong-type",
    "two-providers",
    "misspelled",
    "file-logins",
    "roles",
    "session",
    "bootstrap",
    "external",
)
PROVIDERS = ("ldap", "oidc", "keycloak", "rancher", "file", "adminPassword")
TOKEN = "Vb3kR8qLx2Tn7YwPz5Hd9GmC4sJf6Ua1"  # fixed, long and random-looking: never "weak"
MD5 = "5f4dcc3b5aa765d61d8327deb882cf99"
BCRYPT = "$2a$10$Hc8AZOxNpjWM8Ue0zFnRbOh7pHR9h7E0P0xPprl9n4bS0tMq0Jt2e"
CERT = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIU\n-----END CERTIFICATE-----\n"

Auth = dict[str, Any]


class Variant(NamedTuple):
    """One generated document: its kind of break, what was done, and the values text."""

    kind: str
    detail: str  # e.g. "ldap: removed userQuery.usernameKey"
    provider: str  # the provider the set-up started from
    text: str


# --- complete providers ----------------------------------------------------------------------


def _ldap(rng: random.Random) -> Auth:
    block: Auth = {
        "host": rng.choice(["ldap.example.org", "10.0.0.5"]),
        "port": rng.choice([389, 636, 3269]),
        "userQuery": {
            "parameters": [{"ou": "people"}, {"dc": "example"}, {"dc": "org"}],
            "usernameKey": rng.choice(["uid", "sAMAccountName"]),
        },
        "groupQuery": {
            "parameters": [{"ou": "groups"}, {"dc": "example"}, {"dc": "org"}],
            "rolesKey": "cn",
        },
    }
    if rng.random() < 0.7:
        block["bind"] = {"dn": "cn=svc,ou=people,dc=example,dc=org", "password": "bind-secret"}
    if rng.random() < 0.5:
        block["ssl"] = {"type": rng.choice(["ssl", "starttls"]), "trustCertificates": CERT}
    if rng.random() < 0.5:
        block["userQuery"]["emailKey"] = "mail"
    if rng.random() < 0.5:
        block["groupQuery"]["groupMemberKey"] = "member"
    return block


def _some(rng: random.Random, block: Auth, extras: tuple[tuple[float, str, Any], ...]) -> Auth:
    """``block`` with each optional key added with its chance."""
    for chance, key, value in extras:
        if rng.random() < chance:
            block[key] = copy.deepcopy(value)
    return block


CLAIMS = {"usernameField": "preferred_username", "groupsField": "groups"}
REDIRECT = "https://observability.example.org/loginCallback"


def _oidc(rng: random.Random) -> Auth:
    block: Auth = {
        "clientId": "observability",
        "secret": "client-secret-value",
        "discoveryUri": "https://idp.example.org/.well-known/openid-configuration",
    }
    scope = rng.choice([["openid", "email"], ["openid", "profile", "groups"]])
    return _some(rng, block, (
        (0.5, "redirectUri", REDIRECT), (0.6, "scope", scope),
        (0.4, "authenticationMethod", "client_secret_basic"), (0.3, "jwsAlgorithm", "RS256"),
        (0.3, "customParameters", {"access_type": "offline"}), (0.6, "jwtClaims", CLAIMS),
        (0.1, "oidcLogout", True), (0.1, "skipLoginPage", False),
    ))  # fmt: skip


def _keycloak(rng: random.Random) -> Auth:
    block: Auth = {
        "url": "https://keycloak.example.org/auth",
        "realm": "observability",
        "clientId": "observability",
        "secret": "client-secret-value",
    }
    return _some(rng, block, (
        (0.5, "redirectUri", REDIRECT + "/"), (0.3, "authenticationMethod", "client_secret_basic"),
        (0.3, "jwsAlgorithm", "RS256"), (0.5, "jwtClaims", {**CLAIMS, "groupsField": "roles"}),
        (0.1, "oidcLogout", True),
    ))  # fmt: skip


def _rancher(rng: random.Random) -> Auth:
    block: Auth = {"clientId": "client-rancher", "secret": "rancher-secret-value"}
    if rng.random() < 0.7:
        block["baseUrl"] = "https://rancher.example.org/"
    else:
        block["discoveryUri"] = "https://rancher.example.org/oidc/.well-known/openid-configuration"
    return _some(
        rng, block, ((0.4, "redirectUri", REDIRECT), (0.3, "customParameters", {"prompt": "login"}))
    )


def _login(rng: random.Random, name: str) -> Auth:
    password = rng.choice([MD5, BCRYPT])
    return {"username": name, "passwordHash": password, "roles": [rng.choice(ROLE_NAMES)]}


def _file(rng: random.Random) -> Auth:
    names = rng.sample(["admin", "guest_user", "ops", "viewer1"], rng.randint(1, 3))
    return {"logins": [_login(rng, n) for n in names]}


ROLE_NAMES = ("stackstate-admin", "stackstate-power-user", "stackstate-guest")
MAKERS: dict[str, Callable[[random.Random], Auth]] = {
    "ldap": _ldap,
    "oidc": _oidc,
    "keycloak": _keycloak,
    "rancher": _rancher,
    "file": _file,
}


def complete(rng: random.Random, provider: str) -> Auth:
    """A complete set-up of ``provider`` as a section (``adminPassword``: the password only)."""
    if provider == "adminPassword":
        return {"adminPassword": MD5}
    return {provider: MAKERS[provider](rng)}


def bootstrap(rng: random.Random) -> Auth:
    block: Auth = {"token": TOKEN, "roles": [rng.choice(ROLE_NAMES)]}
    if rng.random() < 0.6:
        block["ttl"] = rng.choice(["24h", "7d", "30m", "1 day", "2h"])
    return {"bootstrap": block}


def _extras(rng: random.Random, auth: Auth) -> None:
    """Good settings beside the provider: a token, roles, a session lifetime."""
    if rng.random() < 0.35:
        auth["serviceToken"] = bootstrap(rng)
    if rng.random() < 0.25:
        auth["roles"] = {"guest": ["observers"]}
    if rng.random() < 0.2:
        auth["sessionLifetime"] = rng.choice(["12h", "7d", "30 minutes"])


# --- the breaks ------------------------------------------------------------------------------

# Keys a provider block cannot do without (dotted inside the block), and ones it can.
REQUIRED = {
    "ldap": ("host", "port", "userQuery", "userQuery.parameters", "userQuery.usernameKey",
             "groupQuery", "groupQuery.parameters", "groupQuery.rolesKey", "ssl.type"),
    "oidc": ("clientId", "secret", "discoveryUri"),
    "keycloak": ("url", "realm", "clientId", "secret"),
    "rancher": ("clientId", "secret", "baseUrl"),
    "file": ("logins",),
}  # fmt: skip
OPTIONAL = {
    "ldap": ("bind", "bind.dn", "bind.password", "userQuery.emailKey", "ssl.trustCertificates"),
    "oidc": ("redirectUri", "scope", "jwtClaims", "jwtClaims.groupsField", "customParameters"),
    "keycloak": ("redirectUri", "jwtClaims", "jwtClaims.usernameField", "jwsAlgorithm"),
    "rancher": ("redirectUri", "customParameters"),
    "file": (),
}

# Wrong types: (dotted key inside the provider block, bad value).
WRONG_TYPES = {
    "ldap": (("port", "ldaps"), ("port", "389a"), ("host", ["a.example.org", "b.example.org"]),
             ("userQuery.parameters", "ou=people,dc=example"), ("userQuery", "uid"),
             ("ssl", "ssl"), ("port", [389])),
    "oidc": (("scope", "openid email"), ("scope", "openid"), ("jwtClaims", "preferred_username"),
             ("discoveryUri", ["https://idp.example.org"]), ("clientId", ["a", "b"]),
             ("customParameters", "access_type=offline")),
    "keycloak": (("scope", "openid"), ("jwtClaims", "groups"), ("url", ["https://k.example"]),
                 ("realm", ["a"])),
    "rancher": (("baseUrl", ["https://rancher.example.org"]), ("clientId", ["c"]),
                ("customParameters", "prompt=login")),
    "file": (("logins", {"username": "admin", "passwordHash": MD5, "roles": ["stackstate-admin"]}),
             ("logins", "admin")),
}  # fmt: skip

# Misspellings: (dotted key inside the provider block, the wrong key written instead).
MISSPELLINGS = {
    "ldap": (("userQuery", "userquery"), ("groupQuery", "groupquery"), ("host", "hostname"),
             ("port", "Port"), ("userQuery.usernameKey", "userQuery.userNameKey"),
             ("groupQuery.rolesKey", "groupQuery.roleKey"), ("bind.dn", "bind.DN"),
             ("ssl.type", "ssl.sslType"), ("userQuery.emailKey", "userQuery.mailKey")),
    "oidc": (("scope", "scopes"), ("discoveryUri", "discoveryURI"), ("clientId", "clientID"),
             ("jwtClaims.usernameField", "jwtClaims.usernamefield"),
             ("jwtClaims.groupsField", "jwtClaims.groupField"),
             ("jwtClaims.usernameField", "jwtClaims.displayNameField"),
             ("redirectUri", "redirectUrl"), ("discoveryUri", "baseUrl"),
             ("customParameters", "customParams")),
    "keycloak": (("url", "URL"), ("url", "baseUrl"), ("realm", "Realm"),
                 ("jwtClaims.groupsField", "jwtClaims.groupField"), ("secret", "clientSecret"),
                 ("redirectUri", "redirectURI")),
    "rancher": (("baseUrl", "baseURL"), ("baseUrl", "url"), ("clientId", "clientid"),
                ("redirectUri", "redirectUrl")),
    "file": (("logins", "login"), ("logins", "Logins")),
}  # fmt: skip
# Unknown keys written beside the real ones (nothing renamed).
UNKNOWN = {
    "ldap": ("timeout", "userQuery.displayNameKey", "bindDn"),
    "oidc": ("displayName", "jwtClaims.displayNameField", "jwtClaims.emailField", "baseUrl"),
    "keycloak": ("scopes", "jwtClaims.emailField", "discoveryUri"),
    "rancher": ("scope", "jwtClaims", "realm"),
    "file": ("users",),
}


def _get(block: Auth, dotted: str) -> tuple[Auth | None, str]:
    """The map holding the last key of ``dotted`` (None where a level is missing)."""
    *head, last = dotted.split(".")
    node: Any = block
    for key in head:
        node = node.get(key) if isinstance(node, dict) else None
    return (node if isinstance(node, dict) else None), last


def _put(block: Auth, dotted: str, value: Any) -> None:
    *head, last = dotted.split(".")
    node = block
    for key in head:
        if not isinstance(node.get(key), dict):
            node[key] = {}
        node = node[key]
    node[last] = value


def _has(block: Auth, dotted: str) -> bool:
    parent, last = _get(block, dotted)
    return parent is not None and last in parent


def _block_provider(rng: random.Random) -> str:
    return rng.choice(PROVIDERS[:-1])  # a provider with a block


def _missing(rng: random.Random, auth: Auth, provider: str) -> str:
    block = auth[provider]
    if provider == "file" and rng.random() < 0.5:
        login = rng.choice(block["logins"])
        field = rng.choice(["username", "passwordHash", "roles"])
        del login[field]
        return f"file: a login without {field}"
    pool = REQUIRED[provider] if rng.random() < 0.75 else OPTIONAL[provider] or REQUIRED[provider]
    if provider == "ldap" and not _has(block, "ssl") and rng.random() < 0.5:
        block["ssl"] = {"trustCertificates": CERT}
        return "ldap: ssl without type"
    key = rng.choice([k for k in pool if _has(block, k)] or list(REQUIRED[provider]))
    if provider == "rancher" and key == "baseUrl":
        block.pop("baseUrl", None)
        block.pop("discoveryUri", None)
        return "rancher: no baseUrl and no discoveryUri"
    parent, last = _get(block, key)
    if parent is not None:
        parent.pop(last, None)
    return f"{provider}: removed {key}"


def _wrong_type(rng: random.Random, auth: Auth, provider: str) -> str:
    roll = rng.random()
    if roll < 0.25:  # outside the provider block
        key, value = rng.choice(
            [("sessionLifetime", "forever"), ("sessionLifetime", ["7d"]),
             ("serviceToken.bootstrap.roles", "stackstate-admin"),
             ("serviceToken.bootstrap.ttl", "PT24H"), ("serviceToken.bootstrap.ttl", "P1D"),
             ("serviceToken.bootstrap.token", ["a", "b"]), ("roles.admin", "admins"),
             ("adminPassword", ["x"]), ("serviceToken", "token")]
        )  # fmt: skip
        if key.startswith("serviceToken.") and "serviceToken" not in auth:
            auth["serviceToken"] = bootstrap(rng)
        _put(auth, key, value)
        return f"{key} = {value!r}"
    if provider == "adminPassword":
        auth["adminPassword"] = rng.choice([["x"], {"hash": MD5}])
        return "adminPassword not a string"
    key, value = rng.choice(WRONG_TYPES[provider])
    if provider == "file" and rng.random() < 0.4:
        login = rng.choice(auth["file"]["logins"])
        field, value = rng.choice([("roles", "stackstate-admin"), ("username", ["a"]),
                                   ("passwordHash", ["x"])])  # fmt: skip
        login[field] = value
        return f"file: a login's {field} = {value!r}"
    _put(auth[provider], key, copy.deepcopy(value))
    return f"{provider}.{key} = {value!r}"


def _two_providers(rng: random.Random, auth: Auth, provider: str) -> str:
    others = [p for p in PROVIDERS if p != provider and p not in auth]
    second = rng.choice(others)
    auth.update(complete(rng, second))
    return f"{provider} + {second}"


def _misspelled(rng: random.Random, auth: Auth, provider: str) -> str:
    block = auth[provider]
    if rng.random() < 0.3:  # an unknown key beside the real ones
        key = rng.choice(UNKNOWN[provider])
        _put(block, key, "https://x.example.org" if "rl" in key.lower() else "value")
        return f"{provider}: unknown key {key} added"
    right, wrong = rng.choice(MISSPELLINGS[provider])
    parent, last = _get(block, right)
    value = parent.pop(last) if parent is not None and last in parent else None
    if value is None:
        value = {"usernameField": "email"} if right == "jwtClaims" else "https://x.example.org"
        value = "email" if right.startswith("jwtClaims.") else value
    if rng.random() < 0.25:  # written beside the right key rather than instead of it
        _put(block, right, copy.deepcopy(value))
        _put(block, wrong, value)
        return f"{provider}: {wrong} beside {right}"
    _put(block, wrong, value)
    return f"{provider}: {right} written as {wrong}"


def _file_logins(rng: random.Random, auth: Auth, provider: str) -> str:
    auth.clear()
    auth["file"] = _file(rng)
    logins = auth["file"]["logins"]
    edit = rng.choice(["empty", "bad-name", "md5", "two-roles", "custom-role", "duplicate",
                       "null-roles", "empty-roles", "extra-field", "name-number"])  # fmt: skip
    if edit == "empty":
        auth["file"]["logins"] = []
    elif edit == "bad-name":
        logins[0]["username"] = rng.choice(["john.doe", "ops-team", "user@example", "a b"])
    elif edit == "md5":
        logins[0]["passwordMd5"] = logins[0].pop("passwordHash")
    elif edit == "two-roles":
        logins[0]["roles"] = ["stackstate-admin", "stackstate-guest"]
    elif edit == "custom-role":
        logins[0]["roles"] = ["my-custom-role"]
    elif edit == "duplicate":
        logins.append(copy.deepcopy(logins[0]))
    elif edit == "null-roles":
        logins[0]["roles"] = None
    elif edit == "empty-roles":
        logins[0]["roles"] = []
    elif edit == "extra-field":
        logins[0][rng.choice(["email", "password", "role"])] = "value"
    else:
        logins[0]["username"] = rng.choice([12345, "12345"])
    return f"file.logins: {edit}"


def _roles(rng: random.Random, auth: Auth, provider: str) -> str:
    roles: Auth = {}
    group = rng.choice(["admin", "powerUser", "guest", "platformAdmin", "k8sTroubleshooter",
                        "admins", "Guest", "custom"])  # fmt: skip
    if group == "custom":
        name = rng.choice(["my-role", "team-a", "stackstate-admin"])
        role: Auth = {"systemPermissions": ["access-view", "get-settings"]}
        shape = rng.choice(["plain", "view", "resource-map", "resource-list", "scope",
                            "perm-string", "unknown-key"])  # fmt: skip
        if shape == "view":
            role["viewPermissions"] = ["access-view"]
        elif shape == "resource-map":
            role["resourcePermissions"] = {"monitors": ["get-monitors"]}
        elif shape == "resource-list":
            role["resourcePermissions"] = ["get-monitors"]
        elif shape == "scope":
            role["topologyScope"] = "label = 'team:a'"
        elif shape == "perm-string":
            role["systemPermissions"] = "access-view"
        else:
            role["permissions"] = ["access-view"]
        roles["custom"] = {name: role}
        detail = f"roles.custom ({shape})"
    else:
        value: Any = rng.choice([["ops-admins"], ["cn=admins,ou=groups,dc=example"], "ops"])
        roles[group] = value
        detail = f"roles.{group} = {value!r}"
    auth["roles"] = roles
    return detail


SESSION = ("7d", "12h", "30m", "1 day", "16 hours", "forever", "PT8H", "1h30m", "8 hrs", "3600",
           "", "never", "5 weeks", "2w")  # fmt: skip


def _session(rng: random.Random, auth: Auth, provider: str) -> str:
    value: Any = rng.choice(SESSION)
    if value == "3600" and rng.random() < 0.5:
        value = 3600
    auth["sessionLifetime"] = value
    return f"sessionLifetime = {value!r}"


def _bootstrap(rng: random.Random, auth: Auth, provider: str) -> str:
    token = bootstrap(rng)
    block = token["bootstrap"]
    edit = rng.choice(["good", "servicetoken", "iso-ttl", "roles-string", "subject", "no-token",
                       "unknown-key", "bootstrap-case", "compound-ttl", "no-roles"])  # fmt: skip
    key = "serviceToken"
    if edit == "servicetoken":
        key = rng.choice(["servicetoken", "ServiceToken", "service_token"])
    elif edit == "iso-ttl":
        block["ttl"] = rng.choice(["PT24H", "P1D", "PT30M"])
    elif edit == "roles-string":
        block["roles"] = "stackstate-admin"
    elif edit == "subject":
        block["dedicatedSubject"] = "bootstrap-subject"
    elif edit == "no-token":
        block["token"] = ""
    elif edit == "unknown-key":
        block[rng.choice(["tll", "role", "expiry"])] = "24h"
    elif edit == "bootstrap-case":
        token = {"Bootstrap": block}
    elif edit == "compound-ttl":
        block["ttl"] = "1h30m"
    elif edit == "no-roles":
        del block["roles"]
    auth.pop("serviceToken", None)
    auth[key] = token
    return f"bootstrap: {edit}"


def _external(rng: random.Random, auth: Auth, provider: str) -> str:
    auth["fromExternalSecret"] = rng.choice(["observability-auth", "my-auth"])
    if rng.random() < 0.4:
        auth["serviceToken"] = bootstrap(rng)
    return "fromExternalSecret" + (" + bootstrap" if "serviceToken" in auth else "")


BREAKS: dict[str, Callable[[random.Random, Auth, str], str]] = {
    "intact": lambda rng, auth, provider: "complete",
    "missing": _missing,
    "wrong-type": _wrong_type,
    "two-providers": _two_providers,
    "misspelled": _misspelled,
    "file-logins": _file_logins,
    "roles": _roles,
    "session": _session,
    "bootstrap": _bootstrap,
    "external": _external,
}
BLOCK_ONLY = frozenset({"missing", "misspelled"})  # need a provider block to work on


def variant(rng: random.Random, kind: str) -> Variant:
    """One document with a break of ``kind``."""
    provider = _block_provider(rng) if kind in BLOCK_ONLY else rng.choice(PROVIDERS)
    auth = complete(rng, provider)
    if kind not in ("file-logins",):
        _extras(rng, auth)
    detail = BREAKS[kind](rng, auth, provider)
    return Variant(kind, detail, provider, document(auth))


def document(auth: Auth) -> str:
    """``auth`` as a values document (``stackstate.authentication``)."""
    return yaml.safe_dump({"stackstate": {"authentication": auth}}, sort_keys=False)


def variants(count: int, seed: int) -> list[Variant]:
    """``count`` documents, the kinds taken in turn (so every kind gets its share)."""
    rng = random.Random(seed)
    return [variant(rng, KINDS[i % len(KINDS)]) for i in range(count)]


def mix(generated: list[Variant]) -> Counter[str]:
    """How many documents of each kind."""
    return Counter(v.kind for v in generated)
