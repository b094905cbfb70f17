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
