"""The patterns of the shipped schemas, and the per-product helm-values schema (Helm's judgement
is in tests/oracles/test_helm_values_schema.py)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import jsonschema
import pytest

from configgen import resources
from configgen.parsing import helm_yaml
from configgen.product import profiles
from configgen.schema import helm_values, subset
from testing import paths
from testing.cli import invoke

PRODUCTS = ("stackstate-5.1", "stackstate-k8s-1.12", "suse-observability-2.2",
            "suse-observability-2.3", "suse-observability-2.10")  # fmt: skip

# Syntax Python and ECMA-262 read but Go's RE2 (Helm) does not: look-arounds, back-references,
# possessive and atomic groups, \Z / \A anchors in Python's spelling, \u escapes.
NOT_RE2 = re.compile(r"\(\?[=!<>]|\(\?P=|\\[1-9]|[*+?}]\+|\\[ZAu]")
# Draft-07 keywords Helm's validator knows (and configgen's generated schemas may use).
DRAFT_07 = frozenset({
    "$schema", "$id", "$ref", "title", "description", "definitions", "type", "properties",
    "additionalProperties", "required", "items", "minItems", "maxItems", "pattern", "enum",
    "const", "anyOf", "allOf", "maxProperties", "minLength", "maxLength", "uniqueItems",
    "default", "examples", "$comment",
})  # fmt: skip


def _walk(node: Any) -> Iterator[tuple[str, Any]]:
    """Every (keyword, value) of a schema and its sub-schemas."""
    if isinstance(node, dict):
        for name, value in node.items():
            yield name, value
            if name in ("properties", "definitions", "$defs"):
                for sub in value.values():
                    yield from _walk(sub)
            elif name in ("items", "additionalProperties", "anyOf", "allOf"):
                yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _schemas() -> Iterator[tuple[str, dict[str, Any]]]:
    for name in resources.SCHEMA_NAMES:
        yield name, resources.schema(name)
    for product in PRODUCTS:
        yield product, helm_values.build(profiles.parse(product))


@pytest.mark.parametrize("name", [*resources.SCHEMA_NAMES, *PRODUCTS])
def test_every_pattern_is_re2_syntax(name: str) -> None:
    schema = dict(_schemas())[name]
    patterns = [value for key, value in _walk(schema) if key == "pattern"]
    assert patterns, name
    for pattern in patterns:
        assert not NOT_RE2.search(pattern), (name, pattern)
        re.compile(pattern)


def test_the_re2_check_can_fail() -> None:
    for bad in ("^a$(?![\\s\\S])", "(?<!\\s)$", "(a)\\1", "a++", "a\\Z", "\\u0000"):
        assert NOT_RE2.search(bad), bad


@pytest.mark.parametrize("product", PRODUCTS)
def test_the_product_schema_is_draft_07_helm_reads(product: str) -> None:
    schema = helm_values.build(profiles.parse(product))
    jsonschema.Draft7Validator.check_schema(schema)
    keywords = {key for key, _ in _walk(schema)}  # keywords only: property names are skipped
    assert keywords <= DRAFT_07, keywords - DRAFT_07
    assert "maxProperties" in keywords  # a provider's required keys bind only once it is set


def test_dollar_is_the_end_of_the_text() -> None:
    """JSON Schema (ECMA-262) and Go: ``$`` never matches before a final newline; Python's does,
    so configgen's validators read it as the end of the text."""
    assert subset.compile_pattern("^[0-9]+s$").search("24s")
    assert not subset.compile_pattern("^[0-9]+s$").search("24s\n")
    assert subset.compile_pattern("^[$]$").search("$")
    assert subset.compile_pattern("^[]$]x$").search("$x")
    assert subset.compile_pattern("^\\$$").search("$")
    assert subset.compile_pattern("^[^]$]+$").search("ab")
    assert not subset.compile_pattern("^[^]$]+$").search("ab$")  # $ inside the class


def test_both_validators_refuse_a_trailing_newline() -> None:
    from configgen.schema import validate

    spec = {"token": "abcdefghijklmnop\n", "roles": ["stackstate-admin"]}
    for reference in (False, True):
        problems = validate.check("token-spec", spec, reference=reference)
        assert [p.json_path for p in problems] == [("token",)], reference


def _valid(product: str, auth: dict[str, Any]) -> bool:
    schema = helm_values.build(profiles.parse(product))
    values = {"stackstate": {"authentication": auth}, "anything": {"else": [1]}}
    return jsonschema.Draft7Validator(schema).is_valid(values)


@pytest.mark.parametrize("product", PRODUCTS)
def test_the_auth_section_per_product(product: str) -> None:
    assert _valid(product, {"serviceToken": {"bootstrap": {"token": "t", "roles": ["a"]}}})
    assert not _valid(product, {"servicetoken": {"bootstrap": {"token": "t"}}})
    assert not _valid(product, {"serviceToken": {"bootstrap": {"roles": "a"}}})
    assert not _valid(product, {"serviceToken": {"bootstrap": {"ttl": "PT24H"}}})
    assert _valid(product, {"ldap": {}, "oidc": None})  # an empty block is no block
    assert not _valid(product, {"keycloak": {"realm": "r"}})  # url is missing
    assert not _valid(product, {"oidc": {"scopes": ["openid"]}})


def test_keys_of_other_versions_may_only_be_empty() -> None:
    """A key only other versions read is dropped by this one: lint calls it an error
    (``auth-key-not-read``), and the schema refuses it unless it is empty, as lint does; the
    same key is typed and checked where it is read."""
    rancher = {"rancher": {"clientId": "a", "secret": "b", "baseUrl": "https://rancher"}}
    assert _valid("suse-observability-2.10", rancher)
    assert not _valid("stackstate-5.1", rancher)
    assert not _valid("stackstate-5.1", {"rancher": "anything"})
    for empty in (None, "", [], {}):
        assert _valid("stackstate-5.1", {"rancher": empty})
    assert not _valid("suse-observability-2.10", {"rancher": "anything"})
    assert not _valid("suse-observability-2.10", {"rancher": {"clientId": "a", "secret": "b"}})
    assert not _valid("suse-observability-2.10", {"roles": {"platformAdmin": ["x"]}})
    assert _valid("stackstate-5.1", {"roles": {"platformAdmin": ["x"]}})
    assert not _valid("stackstate-5.1", {"roles": {"platformAdmin": "x"}})
    assert not _valid("stackstate-k8s-1", {"fromExternalSecret": "my-secret"})


def test_ldap_parameters_may_be_a_list_of_mappings() -> None:
    query = {"parameters": [{"ou": "people"}, {"dc": "example"}], "usernameKey": "uid"}
    ldap = {"host": "h", "port": "389", "userQuery": query,
            "groupQuery": {"parameters": {"ou": "groups"}, "rolesKey": "cn"}}  # fmt: skip
    assert _valid("stackstate-5.1", {"ldap": ldap})
    assert not _valid("stackstate-5.1", {"ldap": {**ldap, "port": "ldaps"}})


VALID_CORPUS = paths.DATA / "lint" / "helm" / "valid"
_PRODUCT = re.compile(r"^# product: (\S+)$", re.MULTILINE)


# Several YAML documents (Secret manifests beside values; empty documents after ``---``):
# what Helm makes of them is lint's concern, tested with the lint corpus.
NOT_ONE_DOCUMENT = ("multi-document-empty.yaml", "secret-manifests.yaml")


@pytest.mark.parametrize("name", NOT_ONE_DOCUMENT)
def test_files_left_out_are_not_one_values_document(name: str) -> None:
    with pytest.raises(helm_yaml.YamlError):
        helm_yaml.load((VALID_CORPUS / name).read_text("utf-8"))


@pytest.mark.parametrize(
    "name", sorted(p.name for p in VALID_CORPUS.glob("*.yaml") if p.name not in NOT_ONE_DOCUMENT)
)
def test_the_valid_lint_corpus_passes_the_schema_of_its_product(name: str) -> None:
    text = (VALID_CORPUS / name).read_text("utf-8")
    data = helm_yaml.load(text).data
    found = _PRODUCT.search(text)
    product = profiles.parse(found.group(1) if found else profiles.DEFAULT)
    errors = jsonschema.Draft7Validator(helm_values.build(product)).iter_errors(data)
    paths_ = [".".join(map(str, e.absolute_path)) for e in errors]
    # suppressed.yaml silences lint's error on a bare-number ttl; Helm has no such comment.
    expected = ["stackstate.authentication.serviceToken.bootstrap.ttl"] * (
        name == "suppressed.yaml"
    )
    assert paths_ == expected


def test_resource_permissions_are_a_mapping_where_read() -> None:
    role = {"roles": {"custom": {"ops": {"resourcePermissions": {"pods": ["get"]}}}}}
    assert _valid("suse-observability-2.10", role)


def test_cli_default_product_and_refusal() -> None:
    default = invoke(["schema", "helm-values"])
    assert default.exit_code == 0
    newest = invoke(["schema", "helm-values", "--product", "suse-observability"])
    assert json.loads(default.stdout) == json.loads(newest.stdout)
    assert "stackstate.authentication" in json.loads(default.stdout)["description"]
    other = invoke(["schema", "token-spec", "--product", "stackstate"])
    assert other.exit_code == 2
    assert "helm-values schema only" in other.stderr
