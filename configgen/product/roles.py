"""The predefined roles of each product line and version."""

from __future__ import annotations

_CLASSIC = frozenset({"stackstate-admin", "stackstate-power-user", "stackstate-guest"})
_PLATFORM_ADMIN = "stackstate-platform-admin"  # removed in suse-observability 2.2.0
_KUBERNETES = frozenset({"stackstate-k8s-troubleshooter", "stackstate-k8s-admin"})


def predefined(name: str, version: tuple[int, int, int]) -> frozenset[str]:
    """Roles that product ``name`` at ``version`` defines without any configuration."""
    roles = set(_CLASSIC)
    if not (name == "suse-observability" and version >= (2, 2, 0)):
        roles.add(_PLATFORM_ADMIN)
    if name != "stackstate":
        roles |= _KUBERNETES
    return frozenset(roles)


# Roles predefined in at least one product version: what a spec (which names no product) may use
# without a warning.
ANY_PRODUCT = _CLASSIC | _KUBERNETES | {_PLATFORM_ADMIN}
