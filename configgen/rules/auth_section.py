"""Every key of ``stackstate.authentication`` in Helm values, checked as the charts read it.

The facts (which keys each chart version reads, which are required, their types) are the table
in ``configgen.product.auth_section``; this module only walks the values along it. The bootstrap
token, roles and ttl have their own rules (``token``, ``roles``, ``ttl``) and are skipped here.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from configgen import messages
from configgen.findings import Finding, JsonPath, Severity
from configgen.parsing.kinds import HELM
from configgen.parsing.unresolved import Unresolved
from configgen.product import auth_secret
from configgen.product import auth_section as facts
from configgen.product.auth_section import KeySpec
from configgen.rules import keys
from configgen.rules.base import Context, rule

if TYPE_CHECKING:
    from configgen.product.profiles import Profile

MISSING = rule(
    "auth-key-missing",
    Severity.ERROR,
    "A key the chart needs is missing, so the render fails.",
    """
    Once a login provider block is set, the chart insists on some of its keys and stops the
    whole ``helm install`` without them: LDAP needs ``host``, ``port``, ``userQuery``
    (``parameters``, ``usernameKey``) and ``groupQuery`` (``parameters``, ``rolesKey``), and
    ``ssl.type`` once ``ssl`` is set; OIDC needs ``clientId``, ``secret`` and
    ``discoveryUri``; Keycloak ``url``, ``realm``, ``clientId`` and ``secret``; Rancher
    ``clientId``, ``secret`` and ``discoveryUri`` or ``baseUrl``; ``file`` a non-empty
    ``logins`` list whose every login has ``username``, ``passwordHash`` and ``roles``. An
    LDAP ``bind`` without ``dn`` (and, before 2.2, without ``password``) does not stop the
    render, but leaves a line the server cannot parse: an error too. On
    suse-observability 2.2 and later the client ids, secrets and the LDAP bind password are
    checked only when the chart writes the auth Secret itself, i.e. not when
    ``fromExternalSecret`` names one. Values another values file usually supplies (the
    ``adminPassword``, the ``stackstate.baseUrl`` the redirect URI is built from) are not
    reported. Reported at the block that lacks the key.

    Example: an ``oidc:`` block without ``discoveryUri``.
    Fix: add the key the message names.
""",
)

TYPE = rule(
    "auth-value-type",
    Severity.ERROR,
    "A value the chart or the server cannot use.",
    """
    The charts copy the authentication settings into the server's configuration, and both are
    strict about types: a string where the chart expects a list (``scope: openid``) or a
    mapping (``jwtClaims: sub``), a scalar where a block belongs, an empty ``ldap:`` or
    ``roles:`` (which drops the chart's defaults) make the render fail; an LDAP ``port`` that
    is not a number, a ``sessionLifetime`` that is not a duration, a single string for a list
    of permissions or login roles, or a value that is not a boolean for ``oidcLogout`` are
    refused by the server at start-up. From suse-observability 2.2 the client ids, secrets,
    password hashes and file-login usernames must be strings (the chart base64-encodes them).

    Example: ``oidc.scope: openid profile``.
    Fix: the form the message names, e.g. ``scope: [openid, profile]``.
""",
)

NOT_READ = rule(
    "auth-key-not-read",
    Severity.ERROR,
    "A key the selected version does not read.",
    """
    Some keys of ``stackstate.authentication`` exist in some chart versions only; the chart of
    the selected version (``--product``) drops them without a word: ``roles.platformAdmin``
    from suse-observability 2.2.0 (the platform-admin role was removed), ``rancher`` before
    2.3.0, ``roles.k8sTroubleshooter``, ``keycloak.scope`` and custom roles' ``topologyScope``
    on the classic stackstate chart, ``resourcePermissions`` of a custom role before 2.3.6,
    ``oidcLogout`` and ``skipLoginPage`` before 2.10, ``fromExternalSecret`` before 2.2.0
    (reported as ``external-secret-unsupported``). Empty values are not reported.

    Example: ``roles.platformAdmin: [ops]`` with ``--product suse-observability-2.3``.
    Fix: check ``--product``; upgrade, or use what the version reads (``roles.admin``).
""",
)

RULES = (MISSING, TYPE, NOT_READ)

_OWN_RULES = tuple(f"serviceToken.bootstrap.{key}" for key in ("token", "roles", "ttl"))
_REPORTED_ELSEWHERE = ("fromExternalSecret",)  # external-secret-unsupported
_BOOLEANS = frozenset({"true", "false", "yes", "no", "on", "off"})


def check(ctx: Context) -> Iterator[Finding]:
    """The authentication section of Helm values, key by key."""
    doc = ctx.doc
    if doc.kind != HELM:
        return
    section = doc.get(doc.section)
    if section is None:
        return
    if not isinstance(section, dict):
        if not isinstance(section, Unresolved):
            yield ctx.finding(
                TYPE,
                doc.section,
                f"stackstate.authentication must be a mapping of settings, not "
                f"{messages.type_name(section)}: the render fails",
            )
        return
    yield from _Walk(ctx).block("", section, doc.section)


class _Walk:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.profile = ctx.profile
        external = ctx.doc.get((*ctx.doc.section, "fromExternalSecret"))
        self.external = bool(external) and ctx.profile.reads_external_secret

    def block(self, pattern: str, mapping: dict[str, Any], path: JsonPath) -> Iterator[Finding]:
        known = facts.children(pattern)
        for key, value in mapping.items():
            key_path = (*path, key)
            if "*" in known:
                yield from self.value(known["*"], value, key_path)
            elif key in known and known[key].read_by(self.profile):
                yield from self.value(known[key], value, key_path)
            elif key in known:
                yield from self.version(known[key], key_path)
            else:
                yield self.unknown(pattern, str(key), known, key_path)
        if mapping:  # Go templates treat an empty mapping as "not set"
            yield from self.required(known, mapping, path)

    def value(self, spec: KeySpec, value: Any, path: JsonPath) -> Iterator[Finding]:
        if spec.path in _OWN_RULES or isinstance(value, Unresolved):
            return
        problem = self.problem(spec, value, path)
        if problem:
            yield self.ctx.finding(TYPE, path, problem, at_key=value is None)
            return
        if spec.type == facts.MAPPING and isinstance(value, dict):
            yield from self.block(spec.path, value, path)
        elif spec.type == facts.LOGINS and isinstance(value, list):
            item = facts.by_path()[f"{spec.path}.[]"]
            for index, login in enumerate(value):
                if isinstance(login, dict):
                    yield from self.block(item.path, login, (*path, index))
                elif not isinstance(login, Unresolved):
                    yield self.ctx.finding(
                        TYPE,
                        (*path, index),
                        f"login {index} must be a mapping with username, passwordHash and "
                        f"roles, not {messages.type_name(login)}: the render fails",
                    )

    def problem(self, spec: KeySpec, value: Any, path: JsonPath) -> str | None:
        """What is wrong with ``value`` for ``spec``, in a message; ``None`` if nothing."""
        name = self.name(path)
        kind, got = spec.type, messages.type_name(value)
        if value is None:
            if kind == facts.MAPPING and not spec.nullable and spec.parts[-1] == "*":
                return (
                    f"{name} is empty: a custom role is a mapping of its permissions "
                    "(systemPermissions, viewPermissions...) and the render fails without one"
                )
            if kind == facts.MAPPING and not spec.nullable:
                return (
                    f"{name} is empty: Helm then drops the chart's defaults for it and the "
                    "render fails; give it keys or remove the line"
                )
            return None
        if (
            kind == facts.ANY_MAPPING
            and isinstance(value, str)
            and spec.path.endswith("Parameters")
        ):
            return (
                f"{name} must be a mapping of parameter names to values, not a string: the "
                "chart copies it as it is and the server cannot parse the result"
            )
        if kind in (facts.MAPPING, facts.ANY_MAPPING):
            if isinstance(value, dict) or (not value and spec.nullable and kind == facts.MAPPING):
                return None
            return f"{name} must be a mapping of keys, not {got}: the render fails"
        if kind == facts.PARAMETERS:
            if isinstance(value, (dict, list)):
                return None
            return f"{name} must be a mapping or a list of mappings, not {got}"
        if kind in (facts.STRING_LIST, facts.LOGINS):
            return self.list_problem(spec, value, name, got)
        if isinstance(value, (dict, list)):
            return f"{name} must be a single value, not {got}"
        if kind == facts.SECRET:
            return self.secret_problem(spec, value, name, path)
        if kind == facts.INT:
            text = str(value).strip()
            if isinstance(value, bool) or not (isinstance(value, int) or text.isdigit()):
                return (
                    f"{name} must be a port number, not {messages.shown(value, path)}: the "
                    "server reads a number (e.g. 389, or 636 for LDAPS)"
                )
        if kind == facts.DURATION and isinstance(value, str) and value.strip():
            from configgen.product import durations

            hint = durations.explain(value)
            if hint:
                return f"the server cannot read {name} {messages.shown(value, path)}: {hint}"
        if kind == facts.BOOLEAN and not isinstance(value, bool) and str(value) not in _BOOLEANS:
            return f"{name} must be true or false, not {messages.shown(value, path)}"
        return None

    def list_problem(self, spec: KeySpec, value: Any, name: str, got: str) -> str | None:
        if not isinstance(value, list):
            if not value and spec.path.endswith((".scope", ".admin", "Permissions")):
                return None
            what = "a list of logins" if spec.type == facts.LOGINS else "a list of strings"
            return f"{name} must be {what}, not {got}: write it as [a, b] or one - item a line"
        if spec.type == facts.STRING_LIST:
            for item in value:
                if isinstance(item, (dict, list)):
                    return f"{name} must list plain strings, not {messages.type_name(item)}"
        return None

    def secret_problem(self, spec: KeySpec, value: Any, name: str, path: JsonPath) -> str | None:
        if isinstance(value, str) or self.external or not self.profile.renders_auth_secret:
            return None
        if spec.path == "adminPassword" and _has_provider(self.ctx):
            return None
        return (
            f"{name} must be a string, not {messages.shown(value, path)}: {self.profile} "
            "writes it into the auth Secret and the render fails; quote it"
        )

    def required(
        self, known: dict[str, KeySpec], mapping: dict[str, Any], path: JsonPath
    ) -> Iterator[Finding]:
        for key, spec in known.items():
            if not spec.required_by(self.profile) or key == "*":
                continue
            if _satisfied(spec, mapping, self.external):
                continue
            # At the block's key, but naming the missing key (see ``settled_by``).
            pos = self.ctx.doc.position(path, key=True)
            message = _missing_message(spec, self.name(path), mapping, self.profile)
            yield Finding(
                self.ctx.doc.name,
                pos.line,
                pos.column,
                MISSING.id,
                MISSING.severity,
                message,
                (*path, key),
            )

    def version(self, spec: KeySpec, path: JsonPath) -> Iterator[Finding]:
        if spec.path in _REPORTED_ELSEWHERE or spec.path.startswith("serviceToken.bootstrap"):
            return  # versions.py says it (bootstrap-unsupported, ignored-by-version)
        if self.ctx.doc.get(path) in (None, "", [], {}):
            return
        yield self.ctx.finding(
            NOT_READ,
            path,
            f"{self.name(path)} is not read by {self.profile}: the chart drops it; {_since(spec)}",
            at_key=True,
        )

    def unknown(self, pattern: str, key: str, known: dict[str, KeySpec], path: JsonPath) -> Finding:
        wanted = next((k for k in known if keys.spelled_as(key, k)), None)
        wanted = wanted or next((k for k in known if keys.close_to(key, k)), None)
        if wanted is not None:
            return self.ctx.finding(
                keys.MISSPELLED, path, messages.ignored_key(key, wanted), at_key=True
            )
        where = self.name(path[:-1])
        message = f"{key!r} {_unknown_hint(pattern, key, known, where)}"
        return self.ctx.finding(keys.UNKNOWN, path, message, at_key=True)

    def name(self, path: JsonPath) -> str:
        """A readable name: the key path below ``stackstate``."""
        parts = [f"[{p}]" if isinstance(p, int) else str(p) for p in path[1:]]
        return ".".join(parts).replace(".[", "[")


def _unknown_hint(pattern: str, key: str, known: dict[str, KeySpec], where: str) -> str:
    if pattern == "roles":
        return (
            "is not read under roles: a custom role is defined under roles.custom.<name>; "
            "to give a group a predefined role, list the group under admin, powerUser or "
            "guest (roles are matched to the group names the login provider reports)"
        )
    if pattern == "oidc" and key in facts.children("rancher"):
        return (
            "is a rancher setting, not an oidc one: the chart ignores it here; "
            "for Rancher, put the block under rancher: (suse-observability 2.3 and later)"
        )
    names = ", ".join(sorted(k for k in known if k != "*"))
    return f"is not read under {where} and is silently ignored; the keys read there: {names}"


def settled_by(finding: Finding, section: dict[str, Any], section_path: JsonPath) -> bool:
    """True when an ``auth-key-missing`` finding of one values file is answered by the
    ``section`` that Helm merges from all the values files of the release (the key, or
    ``fromExternalSecret``, is set in another file)."""
    parts = finding.json_path[len(section_path) :]
    if finding.rule != MISSING.id or not parts:
        return False
    block: Any = section
    for part in parts[:-1]:
        if isinstance(block, dict) and part in block:
            block = block[part]
        elif isinstance(block, list) and isinstance(part, int) and 0 <= part < len(block):
            block = block[part]
        else:
            block = None
    spec = facts.spec_at(parts)
    if not isinstance(block, dict) or spec is None:
        return True  # the block itself is gone or replaced: nothing is required any more
    return _satisfied(spec, block, bool(section.get("fromExternalSecret")))


def _satisfied(spec: KeySpec, mapping: dict[str, Any], external: bool) -> bool:
    if spec.required == facts.SECRET_REQUIRED and external:
        return True
    keys_ = (spec.parts[-1], *spec.alternatives)
    return any(not _missing(spec, mapping.get(key)) for key in keys_)


_SINCE = {
    "reads_platform_admin": "the platform-admin role was removed in suse-observability 2.2.0: "
    "use roles.admin",
    "reads_rancher": "rancher login exists from suse-observability 2.3.0",
    "reads_k8s_settings": "only the stackstate-k8s and suse-observability charts read it",
    "reads_resource_permissions": "read from suse-observability 2.3.6 on",
    "reads_login_page_options": "read from suse-observability 2.10 on",
}


def _since(spec: KeySpec) -> str:
    return _SINCE.get(spec.when, "check --product")


def _missing(spec: KeySpec, value: Any) -> bool:
    if isinstance(value, Unresolved):
        return False
    if spec.type in (
        facts.STRING_LIST,
        facts.LOGINS,
        facts.MAPPING,
        facts.ANY_MAPPING,
        facts.PARAMETERS,
    ):
        return not value
    return value is None or value == ""


def _missing_message(spec: KeySpec, block: str, mapping: dict[str, Any], profile: Profile) -> str:
    key = spec.parts[-1]
    state = f"has an empty {key}" if key in mapping else f"has no {key}"
    instead = f" (or {block}.{spec.alternatives[0]})" if spec.alternatives else ""
    outcome = (
        "the chart then writes a configuration line the server cannot parse"
        if spec.missing_breaks_server(profile)
        else "the chart refuses to render without it"
    )
    return f"{block} {state}: {outcome}; set {block}.{key}{instead}"


def _has_provider(ctx: Context) -> bool:
    return bool(auth_secret.configured_providers(ctx.doc.get(ctx.doc.section), ctx.profile))
