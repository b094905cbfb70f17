"""Product profiles: which chart line and version a file is written for.

``--product`` takes ``NAME`` or ``NAME-VERSION`` with a partial version (``suse-observability-2.3``
means the newest 2.3.x).  Rules ask a profile questions ("does it read dedicatedSubject?") rather
than comparing versions themselves.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# name -> (major versions it covers, newest known version used to fill a partial one)
PRODUCTS: dict[str, tuple[int, ...]] = {
    "stackstate": (5, 1, 15),
    "stackstate-k8s": (1, 99, 99),
    "suse-observability": (2, 99, 99),
}
DEFAULT = "suse-observability"
_SPEC = re.compile(r"(?P<name>[a-z0-9-]+?)(?:-(?P<version>[0-9]+(?:\.[0-9]+){0,2}))?")


class ProfileError(ValueError):
    """An unknown product or a version the product never had."""


class Profile(NamedTuple):
    """A product line and version, e.g. suse-observability 2.3.6."""

    name: str
    version: tuple[int, int, int]
    label: str = ""  # as the user wrote it; not part of what the profile is

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Profile):
            return NotImplemented
        return (self.name, self.version) == (other.name, other.version)

    def __ne__(self, other: object) -> bool:
        return not self == other

    def __hash__(self) -> int:
        return hash((self.name, self.version))

    def __str__(self) -> str:
        return self.label or f"{self.name}-{'.'.join(map(str, self.version))}"

    def at_least(self, name: str, *version: int) -> bool:
        """True when this is ``name`` at ``version`` or later."""
        return self.name == name and self.version >= version

    @property
    def supports_bootstrap_token(self) -> bool:
        """Charts before stackstate 5.1.3 ignore serviceToken.bootstrap altogether."""
        return self.name != "stackstate" or self.version >= (5, 1, 3)

    @property
    def reads_dedicated_subject(self) -> bool:
        """``bootstrap.dedicatedSubject`` is read from suse-observability 2.3.6 on."""
        return self.at_least("suse-observability", 2, 3, 6)

    @property
    def ignores_platform_admin(self) -> bool:
        """``roles.platformAdmin`` and the platform-admin role are gone from 2.2.0."""
        return self.at_least("suse-observability", 2, 2, 0)

    @property
    def checks_file_login_usernames(self) -> bool:
        """File-login usernames must match ``^[A-Za-z0-9_]+$`` from 2.2.0."""
        return self.at_least("suse-observability", 2, 2, 0)

    @property
    def reads_rancher(self) -> bool:
        """The rancher login provider exists from suse-observability 2.3.0."""
        return self.at_least("suse-observability", 2, 3, 0)

    @property
    def breaks_secret_with_rancher_token(self) -> bool:
        """suse-observability 2.3.0 to 2.8.1 indent the Rancher keys of the auth Secret deeper
        than its other keys; with a bootstrap token after them the Secret is not valid YAML,
        and the chart renders it without data instead of failing (fixed in 2.9.0)."""
        return self.at_least("suse-observability", 2, 3, 0) and self.version < (2, 9, 0)

    @property
    def reads_external_secret(self) -> bool:
        """``stackstate.authentication.fromExternalSecret`` exists from suse-observability 2.2.0.

        From that version every authentication secret (the bootstrap token among them) is read
        from one Secret, which the key can name; the stackstate and stackstate-k8s charts write
        secrets into the server configuration and ignore the key.
        """
        return self.at_least("suse-observability", 2, 2, 0)

    @property
    def reads_platform_admin(self) -> bool:
        """``roles.platformAdmin`` is read before suse-observability 2.2.0."""
        return not self.ignores_platform_admin

    @property
    def reads_k8s_settings(self) -> bool:
        """The Kubernetes lines (stackstate-k8s, suse-observability) read
        ``roles.k8sTroubleshooter``, ``roles.custom.<name>.topologyScope`` and
        ``keycloak.scope``; the classic stackstate chart reads none of them."""
        return self.name != "stackstate"

    @property
    def reads_resource_permissions(self) -> bool:
        """``roles.custom.<name>.resourcePermissions`` (a mapping) is read from
        suse-observability 2.3.6 on."""
        return self.at_least("suse-observability", 2, 3, 6)

    @property
    def reads_login_page_options(self) -> bool:
        """``oidcLogout`` and ``skipLoginPage`` of the oidc, keycloak and rancher blocks: read
        by suse-observability 2.10.3, not by 2.3.6; taken as read from 2.10.0 (the versions in
        between were not examined)."""
        return self.at_least("suse-observability", 2, 10, 0)

    @property
    def renders_auth_secret(self) -> bool:
        """From suse-observability 2.2.0 the chart puts the provider secrets (client ids and
        secrets, the LDAP bind password, file-login hashes, the admin password) into the auth
        Secret: it base64-encodes them, so they must be strings, and it checks them only when
        that Secret is rendered, i.e. not when ``fromExternalSecret`` names another one."""
        return self.at_least("suse-observability", 2, 2, 0)

    @property
    def known_roles(self) -> frozenset[str]:
        """Predefined roles of this product version."""
        roles = {"stackstate-admin", "stackstate-power-user", "stackstate-guest"}
        if not self.ignores_platform_admin:
            roles.add("stackstate-platform-admin")
        if self.name != "stackstate":
            roles |= {"stackstate-k8s-troubleshooter", "stackstate-k8s-admin"}
        return frozenset(roles)


def parse(text: str) -> Profile:
    """A profile from ``NAME`` or ``NAME-VERSION``; ``ProfileError`` says what is accepted."""
    match = _SPEC.fullmatch(text.strip())
    if not match or match.group("name") not in PRODUCTS:
        raise ProfileError(
            f"unknown product {text!r}: use one of {', '.join(sorted(PRODUCTS))}, "
            "optionally with a version, e.g. suse-observability-2.3 or stackstate-5.1.3"
        )
    name = match.group("name")
    newest = PRODUCTS[name]
    given = [int(p) for p in (match.group("version") or "").split(".") if p]
    if given and given[0] != newest[0]:
        raise ProfileError(f"{name} has only major version {newest[0]}: write {name}-{newest[0]}")
    version = tuple(given + list(newest[len(given) :]))
    return Profile(name, (version[0], version[1], version[2]), text.strip())


DEFAULT_PROFILE = parse(DEFAULT)
