"""``configgen apply`` on Helm values files: the bootstrap block is set, nothing else changes."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from configgen.apply import plan as apply
from configgen.apply.plan import ApplyError, ApplyOptions
from configgen.findings import Severity
from configgen.lint import run as lint
from configgen.parsing import helm_yaml
from configgen.product import paths, profiles
from configgen.spec.model import TokenSpec
from testing import paths as test_paths
from testing import yaml_oracle

DATA = test_paths.DATA / "apply" / "helm"
TOKEN = "Zq3xV8pL2mN7rT4wY9bK6cF1hJ5sD0gA"
SPEC = TokenSpec(TOKEN, ("stackstate-power-user", "stackstate-k8s-troubleshooter"), "48h")
SUBJECT_SPEC = TokenSpec(TOKEN, ("stackstate-admin",), "7d", "ci-pipeline")
REALISTIC = [
    "large-values.yaml",
    "auth-ldap.yaml",
    "auth-oidc-misspelled.yaml",
    "auth-file.yaml",
    "empty-authentication.yaml",
]


def crlf(text: str) -> str:
    return text.replace("\n", "\r\n")


def bom(text: str) -> str:
    return "\ufeff" + text


def no_final_newline(text: str) -> str:
    return text.rstrip("\r\n")


TRANSFORMS: dict[str, Callable[[str], str]] = {
    "as-is": lambda t: t,
    "crlf": crlf,
    "bom": bom,
    "crlf+bom": lambda t: bom(crlf(t)),
    "no-final-newline": no_final_newline,
    "crlf+bom+no-final-newline": lambda t: bom(crlf(no_final_newline(t))),
}


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def outside(text: str, ranges: tuple[tuple[int, int], ...]) -> str:
    """``text`` without the managed ranges."""
    kept, cursor = [], 0
    for start, end in ranges:
        kept.append(text[cursor:start])
        cursor = end
    return "".join(kept) + text[cursor:]


def bootstrap_of(text: str) -> object:
    data = helm_yaml.load(text.removeprefix("\ufeff")).data
    for key in paths.HELM_BOOTSTRAP_PATH:
        data = data[key]
    return data


def check_result(result: apply.ApplyResult, spec: TokenSpec) -> None:
    """The properties every applied Helm file has."""
    assert result.changed
    assert result.old_text is not None
    assert outside(result.old_text, result.old_ranges) == outside(
        result.new_text, result.new_ranges
    )
    assert bootstrap_of(result.new_text) == spec.bootstrap()
    assert result.new_text.startswith("\ufeff") == result.old_text.startswith("\ufeff")
    if result.old_text.removeprefix("\ufeff"):  # an empty file gets a final line break
        assert result.new_text.endswith("\n") == result.old_text.endswith("\n")
    if "\r\n" in result.old_text:
        assert "\n" not in result.new_text.replace("\r\n", "")
    else:
        assert "\r" not in result.new_text


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize("name", REALISTIC)
def test_realistic_files_change_only_the_bootstrap_block(
    tmp_path: Path, name: str, transform: str
) -> None:
    original = TRANSFORMS[transform]((DATA / name).read_text("utf-8"))
    path = write(tmp_path, name, original)
    result = apply.apply(SPEC, path, "helm")
    check_result(result, SPEC)
    assert not [f for f in result.findings if f.severity is Severity.ERROR]
    assert path.read_bytes() == original.encode("utf-8")  # apply never writes
    path.write_bytes(result.new_text.encode("utf-8"))
    again = apply.apply(SPEC, path, "helm")
    assert not again.changed
    assert again.new_text == result.new_text
    assert again.notes == ("already up to date",)


def managed_old_text(name: str, spec: TokenSpec = SPEC) -> tuple[str, str]:
    text = (DATA / name).read_text("utf-8")
    result = apply.apply(spec, DATA / name, "helm")
    assert result.old_text is not None
    old = "".join(result.old_text[a:b] for a, b in result.old_ranges)
    new = "".join(result.new_text[a:b] for a, b in result.new_ranges)
    assert result.old_text == text
    return old, new


def test_large_values_file_replaces_exactly_the_old_bootstrap_lines() -> None:
    old, new = managed_old_text("large-values.yaml")
    assert old == (
        "      bootstrap:\n"
        "        # old token, rotate me\n"
        "        token: 3f9a1c2b7d4e6f8091a2b3c4d5e6f708\n"
        "        roles:\n"
        "        - stackstate-power-user   # CI needs monitors\n"
        "        ttl: 24h\n"
        "        dedicatedSubject: ci-pipeline\n"
    )
    # the file's own style: 2-space steps, "-" at the key's column (as under ingress.hosts)
    assert new == (
        "      bootstrap:\n"
        f'        token: "{TOKEN}"\n'
        "        roles:\n"
        '        - "stackstate-power-user"\n'
        '        - "stackstate-k8s-troubleshooter"\n'
        '        ttl: "48h"\n'
    )
    result = apply.apply(SPEC, DATA / "large-values.yaml", "helm")
    assert result.notes == (
        "replaced the bootstrap block (lines 44-50)",
        "comments inside the old bootstrap block were not kept",
        "dropped from the bootstrap block (not in the spec): 'dedicatedSubject'",
    )


def test_ldap_file_gets_service_token_after_the_last_line_of_authentication() -> None:
    old, new = managed_old_text("auth-ldap.yaml")
    assert old == ""
    assert new.startswith("    serviceToken:\n      bootstrap:\n")
    result = apply.apply(SPEC, DATA / "auth-ldap.yaml", "helm")
    # inserted right after `powerUser: [...]`, before the blank line and the trailing comment
    assert result.new_text.endswith('        ttl: "48h"\n\n# Trailing comment: kept where it is.\n')
    assert '      powerUser: ["ldap-power-users"]\n    serviceToken:\n' in result.new_text


def test_file_login_values_keep_four_space_indentation_and_indentless_lists() -> None:
    result = apply.apply(SUBJECT_SPEC, DATA / "auth-file.yaml", "helm")
    assert result.new_text.endswith(
        "        sessionLifetime: 12h\n"
        "        serviceToken:\n"
        "            bootstrap:\n"
        f'                token: "{TOKEN}"\n'
        "                roles:\n"
        '                - "stackstate-admin"\n'
        '                ttl: "7d"\n'
        '                dedicatedSubject: "ci-pipeline"\n'
    )


def test_misspelled_service_token_is_replaced_and_reported() -> None:
    old, new = managed_old_text("auth-oidc-misspelled.yaml")
    assert old.startswith("    servicetoken:\n      bootstrap:\n        token: <token>\n")
    assert new.startswith("    serviceToken:\n      bootstrap:\n")
    result = apply.apply(SPEC, DATA / "auth-oidc-misspelled.yaml", "helm")
    assert result.notes == (
        "replaced 'servicetoken' (line 12), a misspelling that the chart silently ignores, "
        "with 'serviceToken'",
    )
    assert "roles:\n      admin: [oidc-admins]\n" in result.new_text
    before = {
        f.rule for f in lint.lint_text("x", result.old_text or "", "helm", lint.LintOptions())
    }
    after = {f.rule for f in lint.lint_text("x", result.new_text, "helm", lint.LintOptions())}
    assert "misspelled-key" in before
    assert "misspelled-key" not in after


@pytest.mark.parametrize(
    "spelling", ["servicetoken", "ServiceToken", "service_token", "Service-Token", "SERVICETOKEN"]
)
def test_every_misspelling_variant_is_handled(tmp_path: Path, spelling: str) -> None:
    text = (
        "stackstate:\n"
        "  authentication:\n"
        f"    {spelling}:\n"
        "      bootstrap:\n"
        "        token: <token>\n"
        "    sessionLifetime: 7d\n"
    )
    result = apply.apply(SPEC, write(tmp_path, "v.yaml", text), "helm")
    check_result(result, SPEC)
    assert spelling + ":" not in result.new_text
    assert result.new_text.endswith("    sessionLifetime: 7d\n")


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        (
            "stackstate:\n  authentication:\n    serviceTokens:\n      bootstrap:\n"
            "        token: mine\n        roles: [a]\n    sessionLifetime: 7d\n",
            "    serviceTokens:\n      bootstrap:\n        token: mine\n        roles: [a]\n",
        ),
        (
            "stackstate:\n  authentication:\n    serviceToken:\n      bootstrap2:\n"
            "        token: mine\n        note: keep me\n",
            "      bootstrap2:\n        token: mine\n        note: keep me\n",
        ),
        (
            "stackstate:\n  authentication:\n    serviceToken:\n      bootstrapp: {token: x}\n"
            "      bootstrap:\n        token: old\n",
            "      bootstrapp: {token: x}\n",
        ),
    ],
    ids=["serviceTokens", "bootstrap2", "bootstrapp-next-to-bootstrap"],
)
def test_row_14_a_lookalike_block_is_kept_with_its_content(
    tmp_path: Path, text: str, kept: str
) -> None:
    """Only the same key in other letter case or with separators (servicetoken, Bootstrap,
    service_token) is what the chart was meant to read; a block merely close to the name
    (serviceTokens, bootstrap2) may be something else and was deleted with its content."""
    result = apply.apply(SPEC, write(tmp_path, "v.yaml", text), "helm")
    check_result(result, SPEC)
    assert kept in result.new_text
    assert any("left as it is" in note for note in result.notes), result.notes


def test_misspellings_next_to_the_right_key_are_removed(tmp_path: Path) -> None:
    text = (
        "stackstate:\n"
        "  authentication:\n"
        "    servicetoken:\n"
        "      bootstrap: {token: old}\n"
        "    serviceToken:\n"
        "      Bootstrap:\n"
        "        token: older\n"
        "      bootstrap:\n"
        "        token: oldest\n"
        "    sessionLifetime: 7d\n"
    )
    result = apply.apply(SPEC, write(tmp_path, "v.yaml", text), "helm")
    check_result(result, SPEC)
    assert result.new_text == (
        "stackstate:\n"
        "  authentication:\n"
        "    serviceToken:\n"
        "      bootstrap:\n"
        f'        token: "{TOKEN}"\n'
        "        roles:\n"
        '          - "stackstate-power-user"\n'
        '          - "stackstate-k8s-troubleshooter"\n'
        '        ttl: "48h"\n'
        "    sessionLifetime: 7d\n"
    )
    assert len([n for n in result.notes if n.startswith("removed")]) == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "stackstate:\n  authentication:\n    serviceToken:\n      bootstrap:\n"),
        ("# nothing yet\n", "# nothing yet\nstackstate:\n  authentication:\n"),
        ("global: {a: 1}\n", "global: {a: 1}\nstackstate:\n  authentication:\n"),
        ("stackstate:\n  x: 1\n", "stackstate:\n  x: 1\n  authentication:\n    serviceToken:\n"),
        ("stackstate:\n  authentication:\n", "stackstate:\n  authentication:\n    serviceToken:\n"),
        (
            "stackstate:\n  authentication: {}  # todo\nz: 1\n",
            "stackstate:\n  authentication:  # todo\n    serviceToken:\n",
        ),
        (
            "stackstate:\n  authentication:\n    serviceToken:\n      bootstrap: null\n",
            "stackstate:\n  authentication:\n    serviceToken:\n      bootstrap:\n        token:",
        ),
        (
            "stackstate:\n  authentication:\n    serviceToken:\n      bootstrap:\n  other: 1\n",
            "stackstate:\n  authentication:\n    serviceToken:\n      bootstrap:\n        token:",
        ),
        ("a:\n  b: |+\n    keep\n\n", "a:\n  b: |+\n    keep\n\nstackstate:\n"),
        ("a:\n  b: |\n    clip\n\n# c\n", "a:\n  b: |\n    clip\nstackstate:\n"),
    ],
)
def test_missing_parents_are_created(tmp_path: Path, text: str, expected: str) -> None:
    result = apply.apply(SPEC, write(tmp_path, "v.yaml", text), "helm")
    check_result(result, SPEC)
    assert result.new_text.startswith(expected)


def test_an_anchor_used_elsewhere_is_not_broken(tmp_path: Path) -> None:
    text = "stackstate:\n  authentication: &auth\n    adminPassword: x\ncopy: *auth\n"
    with pytest.raises(ApplyError, match="cannot edit this file safely") as caught:
        apply.apply(SPEC, write(tmp_path, "v.yaml", text), "helm")
    assert "values outside the managed part would change" in caught.value.message


def test_a_block_scalar_ending_the_file_without_a_line_break_is_not_changed(
    tmp_path: Path,
) -> None:
    """Lines after it would give the scalar a final line break: refused, not changed."""
    path = write(tmp_path, "v.yaml", "kafka:\n  config: |\n    a=1")
    with pytest.raises(ApplyError, match="values outside the managed part would change"):
        apply.apply(SPEC, path, "helm")


@pytest.mark.parametrize(
    ("name", "location", "message"),
    [
        ("flow-style.yaml", ":1:13", "flow style"),
        ("merge-key.yaml", ":5:5", "merge key"),
        ("syntax-error.yaml", ":3:20", "invalid YAML"),
    ],
)
def test_files_that_cannot_be_edited_safely_are_refused(
    name: str, location: str, message: str
) -> None:
    path = DATA / name
    before = path.read_bytes()
    with pytest.raises(ApplyError) as caught:
        apply.apply(SPEC, path, "helm")
    assert caught.value.location == f"{path}{location}"
    assert message in caught.value.message
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "text",
    [
        "stackstate:\n  authentication: [a, b]\n",
        "stackstate:\n  authentication: password\n",
        "x: &a {b: 1}\nstackstate:\n  authentication: *a\n",
        "stackstate:\n  authentication:\n    serviceToken: {bootstrap: {token: x}}\n",
        "- a\n- b\n",
    ],
)
def test_unexpected_shapes_are_refused_with_a_position(tmp_path: Path, text: str) -> None:
    with pytest.raises(ApplyError) as caught:
        apply.apply(SPEC, write(tmp_path, "v.yaml", text), "helm")
    assert caught.value.line > 0
    assert TOKEN not in str(caught.value)


def test_earlier_duplicate_bootstrap_is_reported(tmp_path: Path) -> None:
    text = (
        "stackstate:\n"
        "  authentication:\n"
        "    serviceToken:\n"
        "      bootstrap:\n"
        "        token: first\n"
        "      bootstrap:\n"
        "        token: second\n"
    )
    result = apply.apply(SPEC, write(tmp_path, "v.yaml", text), "helm")
    check_result(result, SPEC)
    assert "        token: first\n" in result.new_text
    assert any("an earlier 'bootstrap' at line 4" in note for note in result.notes)


def test_an_equal_block_is_left_alone_even_in_another_style(tmp_path: Path) -> None:
    text = (
        "stackstate:\n  authentication:\n    serviceToken:\n      bootstrap:\n"
        f"        token: {TOKEN}   # same value, plain style\n"
        "        roles: [stackstate-power-user, stackstate-k8s-troubleshooter]\n"
        "        ttl: 48h\n"
    )
    result = apply.apply(SPEC, write(tmp_path, "v.yaml", text), "helm")
    assert not result.changed
    assert result.diff() == ""


def test_missing_file_gets_what_render_writes(tmp_path: Path) -> None:
    from configgen.render.targets import TARGETS
    from configgen.render.templates import render

    path = tmp_path / "authentication.yaml"
    result = apply.apply(SPEC, path, "helm")
    assert result.created
    assert result.changed
    assert result.new_text == render(SPEC, TARGETS["kubernetes"]).text
    assert not path.exists()
    assert result.diff().startswith(f"--- /dev/null\n+++ {path}\n")
    path.write_text(result.new_text)
    assert not apply.apply(SPEC, path, "helm").changed


def test_new_lint_errors_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "v.yaml", "stackstate:\n  authentication:\n    adminPassword: x\n")
    options = ApplyOptions(lint=lint.LintOptions(profile=profiles.parse("stackstate-5.1.2")))
    with pytest.raises(ApplyError, match="lint errors") as caught:
        apply.apply(SPEC, path, "helm", options)
    assert [f.rule for f in caught.value.findings] == ["bootstrap-unsupported"]


def test_errors_that_were_already_there_do_not_block(tmp_path: Path) -> None:
    text = (
        "stackstate:\n  authentication:\n"
        "    ldap: {host: a}\n    oidc: {clientId: b}\n"  # login-provider-conflict: an error
    )
    result = apply.apply(SPEC, write(tmp_path, "v.yaml", text), "helm")
    check_result(result, SPEC)


def test_roles_the_chart_cannot_copy_into_hocon_are_refused(tmp_path: Path) -> None:
    spec = TokenSpec(TOKEN, ("cn=admins,ou=x",), "24h")
    with pytest.raises(ApplyError) as caught:
        apply.apply(spec, write(tmp_path, "v.yaml", "a: 1\n"), "helm")
    assert caught.value.findings
    assert caught.value.findings[0].json_path == ("roles", 0)


def test_diff_never_shows_a_token(tmp_path: Path) -> None:
    path = write(tmp_path, "v.yaml", (DATA / "large-values.yaml").read_text())
    diff = apply.apply(SPEC, path, "helm").diff()
    assert TOKEN not in diff
    assert "3f9a1c2b7d4e6f8091a2b3c4d5e6f708" not in diff
    assert "-        token: <redacted>\n+        token: <redacted>\n" in diff
    raw = apply.apply(SPEC, path, "helm").diff(redact=False)
    assert TOKEN in raw


def test_diff_marks_a_missing_final_newline(tmp_path: Path) -> None:
    path = write(tmp_path, "v.yaml", "a: 1")
    diff = apply.apply(SPEC, path, "helm").diff()
    assert diff.count("\\ No newline at end of file") == 2


@pytest.mark.oracle
def test_helm_reads_the_applied_files_as_the_spec(
    tmp_path: Path, go_yaml: yaml_oracle.HelmYaml
) -> None:
    texts = []
    for name in REALISTIC:
        for transform in ("as-is", "crlf+bom+no-final-newline"):
            original = TRANSFORMS[transform]((DATA / name).read_text("utf-8"))
            result = apply.apply(SUBJECT_SPEC, write(tmp_path, name, original), "helm")
            texts.append(result.new_text.removeprefix("\ufeff"))
    for read in go_yaml.read(texts):
        assert read.ok, read.error
        assert read.values is not None
        values = read.values
        for key in paths.HELM_BOOTSTRAP_PATH:
            values = values[key]
        assert values == SUBJECT_SPEC.bootstrap()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "stackstate:\n  authentication:\n    serviceToken:\n      ? bootstrap\n      : {}\n",
            "does not start its line",
        ),
        ("stackstate:\n  authentication: {\n    }\n", "spans several lines"),
    ],
)
def test_layouts_configgen_does_not_edit_are_refused(
    tmp_path: Path, text: str, message: str
) -> None:
    with pytest.raises(ApplyError, match=message):
        apply.apply(SPEC, write(tmp_path, "v.yaml", text), "helm")


@pytest.mark.parametrize(
    ("between", "ending"), [("", 'ttl: "48h"'), ("    sessionLifetime: 7d\n", "7d")]
)
def test_deleting_a_misspelling_at_the_end_keeps_the_missing_final_newline(
    tmp_path: Path, between: str, ending: str
) -> None:
    text = (
        "stackstate:\n  authentication:\n    serviceToken:\n      bootstrap: {token: x}\n"
        f"{between}    servicetoken:\n      bootstrap: {{token: y}}"
    )
    result = apply.apply(SPEC, write(tmp_path, "v.yaml", text), "helm")
    check_result(result, SPEC)
    assert result.new_text.endswith(ending)
    assert "servicetoken" not in result.new_text


def test_odd_but_valid_values_elsewhere_are_kept(tmp_path: Path) -> None:
    text = (
        "%YAML 1.1\n---\n"
        "nan: .nan\n"
        "list:\n- # an empty item with a comment\n- b\n"
        "stackstate:\n  authentication:\n    empty:\n"
        "...\n"
    )
    result = apply.apply(SPEC, write(tmp_path, "v.yaml", text), "helm")
    check_result(result, SPEC)
    assert result.new_text.endswith('        ttl: "48h"\n...\n')


@pytest.mark.parametrize("text", ["---\n", "--- # nothing\n...\n", "# a\n--- \n# b\n"])
def test_an_empty_document_gets_the_whole_path(tmp_path: Path, text: str) -> None:
    result = apply.apply(SPEC, write(tmp_path, "v.yaml", text), "helm")
    assert bootstrap_of(result.new_text) == SPEC.bootstrap()


def test_a_spec_without_roles_writes_an_empty_list(tmp_path: Path) -> None:
    spec = TokenSpec(TOKEN, (), "24h")
    result = apply.apply(spec, write(tmp_path, "v.yaml", "a: 1\n"), "helm")
    assert "        roles: []\n" in result.new_text
    assert [f.rule for f in result.findings] == ["roles-empty"]


def test_unreadable_files_are_refused_with_a_position(tmp_path: Path) -> None:
    path = tmp_path / "v.yaml"
    path.write_bytes(b"a: 1\nb: \xff\n")
    with pytest.raises(ApplyError, match="not UTF-8") as caught:
        apply.apply(SPEC, path, "helm")
    assert caught.value.location == f"{path}:2:4"
    with pytest.raises(ApplyError, match="is a directory"):
        apply.apply(SPEC, tmp_path, "helm")
    with pytest.raises(ValueError, match="kind must be one of"):
        apply.apply(SPEC, path, "json")


# -- one parse per text (issue #13, row 16) ----------------------------------------------------


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text ``helm_yaml`` composes or the HOCON parser parses, in order."""
    from configgen.parsing import hocon
    from configgen.parsing.hocon import parser

    seen: list[str] = []
    compose, parse = helm_yaml._compose, parser.parse

    def composing(text: str, **kwargs: object) -> object:
        seen.append(text)
        return compose(text, **kwargs)  # type: ignore[arg-type]

    def parsing(text: str, **kwargs: object) -> object:
        seen.append(text)
        return parse(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(helm_yaml, "_compose", composing)
    monkeypatch.setattr(hocon, "parse", parsing)
    return seen


def test_row_16_apply_parses_the_file_once_and_the_result_once(
    tmp_path: Path, parses: list[str]
) -> None:
    """apply parsed a values file about six times (edit, tree, read-back twice, lint twice,
    old tokens): a 3.6 KB file with 190 aliases took 10-17 s.  Now each text once."""
    text = "shared: &s {a: 1, b: [1, 2]}\n" + "".join(f"c{i}: *s\n" for i in range(190))
    text += (
        "stackstate:\n  authentication:\n    serviceToken:\n      bootstrap:\n        token: x\n"
    )
    result = apply.apply(SPEC, write(tmp_path, "v.yaml", text), "helm")
    assert parses == [text, result.new_text]


def test_row_16_apply_parses_a_hocon_file_once_and_the_result_once(
    tmp_path: Path, parses: list[str]
) -> None:
    text = "stackstate.api.authentication.authServer.authServerType = [ldapAuthServer]\n"
    result = apply.apply(SPEC, write(tmp_path, "a.conf", text), "hocon")
    assert parses == [text, result.new_text]
    parses.clear()
    again = TokenSpec("c" * 40, ("stackstate-guest",), "1h")  # a managed block to replace
    second = apply.apply(again, write(tmp_path, "a.conf", result.new_text), "hocon")
    assert len(parses) == 3  # the file, the file without its managed block, the result
    assert parses[0] == result.new_text
    assert parses[2] == second.new_text
