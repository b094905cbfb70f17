"""The authentication-section facts table is consistent with itself and with the profiles."""

from __future__ import annotations

import pytest

from configgen.product import auth_section as facts
from configgen.product.profiles import Profile, parse


def test_every_row_is_well_formed() -> None:
    paths = [spec.path for spec in facts.SPECS]
    assert len(paths) == len(set(paths))
    for spec in facts.SPECS:
        assert spec.type in facts.TYPES, spec
        for name in (spec.when, spec.required_when):
            assert not name or isinstance(getattr(Profile, name, None), property), spec
        parent = ".".join(spec.parts[:-1])
        if parent:
            assert facts.by_path()[parent].type in (facts.MAPPING, facts.LOGINS), spec
        for other in spec.alternatives:
            assert f"{parent}.{other}" in facts.by_path(), spec


@pytest.mark.parametrize(
    ("product", "path", "read"),
    [
        ("stackstate-5.1.15", "roles.platformAdmin", True),
        ("suse-observability-2.2.0", "roles.platformAdmin", False),
        ("stackstate-5.1.15", "roles.k8sTroubleshooter", False),
        ("stackstate-k8s-1.12.1", "keycloak.scope", True),
        ("suse-observability-2.2.0", "rancher.clientId", False),
        ("suse-observability-2.3.6", "rancher.clientId", True),
        ("suse-observability-2.3.6", "roles.custom.*.resourcePermissions", True),
        ("suse-observability-2.2.0", "roles.custom.*.resourcePermissions", False),
        ("suse-observability-2.3.6", "oidc.skipLoginPage", False),
        ("suse-observability-2.10.3", "oidc.skipLoginPage", True),
        ("stackstate-k8s-1.12.1", "fromExternalSecret", False),
    ],
)
def test_which_versions_read_a_key(product: str, path: str, read: bool) -> None:
    assert facts.by_path()[path].read_by(parse(product)) is read


def test_bind_credentials_are_required_once_bind_is_set() -> None:
    for path in ("ldap.bind.password", "ldap.bind.dn"):
        spec = facts.by_path()[path]
        assert spec.required_by(parse("stackstate-5.1.15"))
        assert spec.required_by(parse("suse-observability-2.2.0"))


def test_patterns_of_concrete_paths() -> None:
    assert facts.pattern_of(("roles", "custom", "ops", "topologyScope")) == (
        "roles.custom.*.topologyScope"
    )
    assert facts.spec_at(("file", "logins", 3, "roles")) is facts.by_path()["file.logins.[].roles"]
    assert facts.spec_at(("oidc", "scopes")) is None
    assert sorted(facts.children("ldap.ssl")) == [
        "trustCertificates",
        "trustCertificatesBase64Encoded",
        "trustStore",
        "trustStoreBase64Encoded",
        "type",
    ]
