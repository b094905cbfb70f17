"""``configgen.product.auth_secret``: the keys an external Secret must hold, per login provider.

The expectations are the charts' own (FACTS: the 2.2.0, 2.3.6 and 2.10.3 packages rendered with
real Helm); the chart-oracle tests check the same table against the real charts.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from configgen.product import auth_secret, tokens
from configgen.product.profiles import parse

LATEST = parse("suse-observability")
TOKEN = {"serviceToken": {"bootstrap": {"token": "t"}}}
LDAP = {"host": "h", "port": 389, "bind": {"dn": "cn=x", "password": "p"}}


def names(section: Any, profile: str = "suse-observability") -> list[str]:
    return [k.name for k in auth_secret.required_keys(section, parse(profile))]


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ({}, ["default_password"]),
        (None, ["default_password"]),
        (TOKEN, ["bootstrap_token", "default_password"]),
        # An empty values token: the chart writes no bootstrap block, so the key is unused.
        ({"serviceToken": {"bootstrap": {"token": "", "roles": ["a"]}}}, ["default_password"]),
        ({**TOKEN, "ldap": LDAP}, ["bootstrap_token", "ldap_password"]),
        ({"ldap": {**LDAP, "bind": {}}}, []),  # no bind: no password
        ({"oidc": {"clientId": "c"}}, ["oidc_client_id", "oidc_secret"]),
        ({"rancher": {"clientId": "c"}}, ["oidc_client_id", "oidc_secret"]),
        ({"keycloak": {"url": "u"}}, ["keycloak_client_id", "keycloak_secret"]),
        (
            {"file": {"logins": [{"username": "ann"}, {"username": "bob_2"}, {"username": "x.y"}]}},
            ["file_ann_password", "file_bob_2_password"],  # x.y: the chart refuses it anyway
        ),
        ({"file": {"logins": [{"username": "ann"}, {"username": "ann"}]}}, ["file_ann_password"]),
        # A provider block that is empty or not a mapping configures nothing.
        ({"ldap": {}, "oidc": None, "keycloak": "x"}, ["default_password"]),
        # Two providers (the chart refuses the pair): the keys of both.
        ({"oidc": {"a": 1}, "keycloak": {"a": 1}}, [
            "oidc_client_id", "oidc_secret", "keycloak_client_id", "keycloak_secret"]),
    ],
)  # fmt: skip
def test_required_keys(section: Any, expected: list[str]) -> None:
    assert names(section) == expected


def test_rancher_counts_only_where_the_chart_reads_it() -> None:
    section = {"rancher": {"clientId": "c"}}
    assert names(section, "suse-observability-2.2") == ["default_password"]
    assert names(section, "suse-observability-2.3") == ["oidc_client_id", "oidc_secret"]


def test_only_the_admin_fallback_is_assumed() -> None:
    keys = auth_secret.required_keys({**TOKEN}, LATEST)
    assert [(k.name, k.assumed, k.cause) for k in keys] == [
        ("bootstrap_token", False, ("serviceToken", "bootstrap", "token")),
        ("default_password", True, ()),
    ]


def test_keys_for_login_providers() -> None:
    found = auth_secret.keys_for_login_providers(
        ["stackstateAuthServer", "oidcAuthServer", "k8sServiceAccountAuthServer", "unknown"]
    )
    assert [k.name for k in found] == [
        "bootstrap_token", "default_password", "oidc_client_id", "oidc_secret"]  # fmt: skip
    assert all(k.what for k in found)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(None, False), ("", False), (0, False), (0.0, False), (False, False), ([], False),
     ({}, False), ("0", True), ("false", True), (1, True), (True, True), ([0], True)],
)  # fmt: skip
def test_go_truthiness(value: Any, expected: bool) -> None:
    assert auth_secret.is_set(value) is expected


def test_external_secret_name() -> None:
    assert auth_secret.external_secret({"fromExternalSecret": "ext"}) == "ext"
    for section in ({}, None, [], {"fromExternalSecret": ""}, {"fromExternalSecret": True}):
        assert auth_secret.external_secret(section) is None


def test_secret_names() -> None:
    good = ["ext", "stackstate-auth", "a.b-c", "0x"]
    bad = ["Ext", "-a", "a-", "a_b", "a..b", "", "a/b", "a b"]
    assert all(auth_secret.SECRET_NAME.fullmatch(n) for n in good)
    assert not any(auth_secret.SECRET_NAME.fullmatch(n) for n in bad)


def test_the_placeholder_is_a_placeholder_and_never_a_usable_token() -> None:
    assert tokens.is_placeholder(tokens.EXTERNAL_SECRET_PLACEHOLDER)


@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=8), c,
                                                                        max_size=4)))  # fmt: skip
def test_never_raises_on_any_section(section: Any) -> None:
    keys = auth_secret.required_keys(section, LATEST)
    assert len({k.name for k in keys}) == len(keys)
