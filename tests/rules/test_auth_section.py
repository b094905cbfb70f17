"""Issue #10: wording and false errors of the authentication-section rules."""

from __future__ import annotations

from pathlib import Path

from configgen.lint import run as lint
from configgen.product import profiles

LATEST = lint.LintOptions()


def findings(text: str, kind: str = "helm", product: str | None = None) -> list[lint.Finding]:
    options = lint.LintOptions(profile=profiles.parse(product)) if product else LATEST
    return lint.lint_text("values.yaml", text, kind, options)


def test_a_custom_role_under_roles_is_explained_not_taken_for_guest() -> None:
    text = "stackstate:\n  authentication:\n    roles:\n      test: [ops]\n"
    (found,) = findings(text)
    assert found.rule == "unknown-key"
    assert "guest'?" not in found.message
    assert "roles.custom.<name>" in found.message
    assert "group names" in found.message


def test_later_empty_documents_are_not_multi_document_and_never_past_the_end() -> None:
    body = "stackstate:\n  authentication:\n    adminPassword: x\n"
    for tail in ("---\n", "---\n# only a comment\n", "---\n---\n", "--- ~\n", "---\n...\n"):
        assert [f.rule for f in findings(body + tail)] == []
    (found,) = findings(body + "---\nb: 2\n")
    assert (found.rule, found.line) == ("multi-document", 5)
    assert found.line <= (body + "---\nb: 2\n").count("\n")


def test_resource_permissions_as_a_mapping_is_no_error() -> None:
    text = (
        "stackstate:\n  authentication:\n    roles:\n      custom:\n        team:\n"
        "          systemPermissions: [read-settings]\n"
        "          resourcePermissions: {topology: [get-topology]}\n"
    )
    assert findings(text) == []
    assert [f.rule for f in findings(text, product="suse-observability-2.2")] == [
        "auth-key-not-read"
    ]


def test_misspelled_servicetoken_on_5_0_is_also_unsupported() -> None:
    text = (
        "stackstate:\n  authentication:\n    servicetoken:\n      bootstrap:\n"
        "        token: kQ3vX9pL2mN8rT5wZ7yBc4HdqW\n        roles: [stackstate-guest]\n"
    )
    assert sorted(f.rule for f in findings(text, product="stackstate-5.0")) == [
        "bootstrap-unsupported",
        "misspelled-key",
    ]
    assert [f.rule for f in findings(text, product="stackstate-5.1.15")] == ["misspelled-key"]


def test_the_documentation_placeholder_in_hocon_is_called_a_placeholder() -> None:
    text = "stackstate.api.authentication {\n  sessionLifetime = 7d\n  ...\n}\n"
    (found,) = findings(text, kind="hocon", product="stackstate-5.1")
    assert found.rule == "syntax"
    assert "placeholder" in found.message
    assert "extra" not in found.message


def test_a_key_set_in_another_values_file_of_the_release_settles_it(tmp_path: Path) -> None:
    oidc = tmp_path / "values.yaml"
    oidc.write_text("stackstate:\n  authentication:\n    oidc: {discoveryUri: https://idp}\n")
    alone = lint.lint_paths([str(oidc)], LATEST).findings
    assert [f.rule for f in alone] == ["auth-key-missing", "auth-key-missing"]
    ids = tmp_path / "ids.yaml"
    ids.write_text("stackstate:\n  authentication:\n    oidc: {clientId: c, secret: s}\n")
    assert lint.lint_paths([str(oidc), str(ids)], LATEST).findings == []


def auth(block: str) -> str:
    """A values document with ``block`` (YAML, already indented by 4) under the section."""
    return "stackstate:\n  authentication:\n" + block


KEYCLOAK = "    keycloak: {url: https://kc, realm: r, clientId: c, secret: s}\n"
RANCHER = "    rancher: {baseUrl: https://rancher, clientId: c, secret: s}\n"
TOKEN = (
    "    serviceToken:\n"
    "      bootstrap: {token: k7Qp2VwX9sLr4TzN8bYc1MfH6dJq3GeA, roles: [stackstate-admin]}\n"
)


def rules(text: str, product: str | None = None) -> list[str]:
    return [f.rule for f in findings(text, product=product)]


def test_admin_password_is_ignored_next_to_a_provider_only() -> None:
    assert rules(auth("    adminPassword: secret\n" + KEYCLOAK)) == ["admin-password-ignored"]
    assert rules(auth("    adminPassword: secret\n")) == []
    assert rules(auth("    adminPassword: ''\n" + KEYCLOAK)) == []  # empty: not set for Go
    # with an external Secret the values' password is not used anyway
    external = auth("    adminPassword: x\n    fromExternalSecret: auth\n" + KEYCLOAK)
    assert "admin-password-ignored" not in rules(external)
    # rancher is a provider only where the chart reads it
    assert "admin-password-ignored" in rules(auth("    adminPassword: x\n" + RANCHER))
    assert "admin-password-ignored" not in rules(
        auth("    adminPassword: x\n" + RANCHER), "suse-observability-2.2.0"
    )


def test_rancher_with_a_token_is_a_chart_bug_from_2_3_0_to_2_8_1() -> None:
    text = auth(RANCHER + TOKEN)
    for product in ("suse-observability-2.3.0", "suse-observability-2.3.6",
                    "suse-observability-2.8.1"):  # fmt: skip
        assert rules(text, product) == ["rancher-token-secret-broken"], product
    for product in ("suse-observability-2.9.0", "suse-observability-2.10.3"):
        assert rules(text, product) == [], product
    assert rules(auth(RANCHER), "suse-observability-2.3.6") == []
    with_external = auth(RANCHER + TOKEN + "    fromExternalSecret: auth\n")
    assert "rancher-token-secret-broken" not in rules(with_external, "suse-observability-2.3.6")


def test_values_of_the_wrong_shape_say_what_the_chart_wants() -> None:
    cases = {
        "    file:\n      logins: [alice]\n": "login 0 must be a mapping",
        "    oidc:\n      clientId: c\n      secret: s\n      discoveryUri: https://idp\n"
        "      jwtClaims: sub\n": "must be a mapping of keys, not a string",
        "    ldap:\n      host: h\n      port: 389\n"
        "      userQuery: {parameters: 'ou=people', usernameKey: uid}\n"
        "      groupQuery: {parameters: [{ou: groups}], rolesKey: cn}\n":
        "must be a mapping or a list of mappings, not a string",
    }  # fmt: skip
    for block, wording in cases.items():
        (found,) = findings(auth(block))
        assert (found.rule, wording in found.message) == ("auth-value-type", True), found
    (found,) = findings("stackstate:\n  authentication: [a]\n")
    assert found.rule == "auth-value-type"
    assert "must be a mapping of settings, not a list" in found.message


def test_bind_without_dn_is_a_config_the_server_cannot_parse() -> None:
    block = ("    ldap:\n      host: h\n      port: 389\n      bind: {password: p}\n"
             "      userQuery: {parameters: [{ou: people}], usernameKey: uid}\n"
             "      groupQuery: {parameters: [{ou: groups}], rolesKey: cn}\n")  # fmt: skip
    (found,) = findings(auth(block))
    assert found.rule == "auth-key-missing"
    assert "cannot parse" in found.message
    assert "refuses to render" not in found.message


def test_a_non_string_admin_password_matters_only_where_no_provider_is_read() -> None:
    # keycloak is read: the password is dropped (not written to the Secret, so no type error)
    assert rules(auth("    adminPassword: 1234\n" + KEYCLOAK), "suse-observability-2.2.0") == [
        "admin-password-ignored"
    ]
    # 2.2.0 does not read rancher: the chart writes the number into the Secret and fails
    found = rules(auth("    adminPassword: 1234\n" + RANCHER), "suse-observability-2.2.0")
    assert sorted(found) == ["auth-key-not-read", "auth-value-type"]
