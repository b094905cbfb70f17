"""``configgen.parsing.manifests``: which Secret a manifest provides, its keys, where they are."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from configgen.findings import Position
from configgen.parsing import helm_yaml, manifests
from configgen.parsing.manifests import EXTERNAL_SECRET, SEALED_SECRET, SECRET


def read(text: str) -> manifests.ManifestFile:
    return manifests.read("m.yaml", helm_yaml.load_all(text))


def only(text: str) -> manifests.Manifest:
    (manifest,) = read(text).manifests
    return manifest


def keys(manifest: manifests.Manifest) -> dict[str, bool]:
    return {name: key.empty for name, key in manifest.keys.items()}


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


SECRET_TEXT = f"""\
apiVersion: v1
kind: Secret
metadata:
  name: ext
type: Opaque
data:
  bootstrap_token: {b64("t0k")}
  default_password: ""
  both: {b64("x")}
stringData:
  ldap_password: pw
  empty: ""
  nothing:
  both: ""
"""


def test_secret_keys_from_data_and_string_data() -> None:
    manifest = only(SECRET_TEXT)
    assert (manifest.kind, manifest.secret_name, manifest.complete) == (SECRET, "ext", True)
    assert keys(manifest) == {
        "bootstrap_token": False,
        "default_password": True,
        "both": True,  # stringData wins, as the API server merges them
        "ldap_password": False,
        "empty": True,
        "nothing": True,
    }
    assert manifest.keys["ldap_password"].position == Position(11, 3)
    assert manifest.keys_position == Position(10, 1)  # stringData: missing text keys go there
    assert manifest.position == Position(2, 7)
    assert manifest.problems == ()


def test_values_kubernetes_refuses_are_problems() -> None:
    manifest = only(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
        "data:\n  a: not*base64\n  b: 12\n  c: QQ\n  d: |\n    QUJD\n    REVG\n"
        "stringData:\n  e: 1\n  f: yes\n  g: [x]\n"
    )
    assert [(p.position.line, p.message.split(":")[0]) for p in manifest.problems] == [
        (5, "not valid base64"),
        (6, "a data value must be a base64 string"),
        (7, "not valid base64"),  # padding is required
        (12, "a stringData value must be a string"),
        (13, "a stringData value must be a string"),  # yes is a boolean for Kubernetes too
        (14, "a stringData value must be a string"),
    ]
    assert keys(manifest)["d"] is False  # line breaks inside base64 are fine


def test_sections_of_the_wrong_type() -> None:
    manifest = only("apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata: [a]\n")
    assert [p.message for p in manifest.problems] == ["data must be a mapping of keys to values"]
    assert manifest.keys == {}


def test_a_secret_without_a_name() -> None:
    manifest = only("apiVersion: v1\nkind: Secret\nstringData: {a: b}\n")
    assert manifest.secret_name is None
    assert [p.message for p in manifest.problems] == ["this Secret has no name: add metadata.name"]
    assert manifest.keys_position == Position(3, 1)


def test_sops_encrypted_values() -> None:
    manifest = only(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
        "data:\n  a: ENC[AES256_GCM,data:Zm9v,iv:x,tag:y,type:str]\n"
        "  b: ENC[AES256_GCM,data:,iv:x,tag:y,type:str]\n"
        "stringData:\n  c: ENC[AES256_GCM,data:,iv:x,tag:y,type:str]\n  d: plain\n"
        "sops:\n  version: 3.8.1\n"
    )
    assert keys(manifest) == {"a": False, "b": True, "c": True, "d": False}
    assert manifest.problems == ()


def test_enc_values_without_sops_are_plain() -> None:
    manifest = only(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\n"
        "data:\n  a: ENC[AES256_GCM,data:,iv:x,tag:y,type:str]\n"
    )
    assert manifest.problems[0].message.startswith("not valid base64")


@pytest.mark.parametrize("version", ["v1beta1", "v1"])
def test_external_secret(version: str) -> None:
    manifest = only(
        f"apiVersion: external-secrets.io/{version}\nkind: ExternalSecret\n"
        "metadata: {name: es}\n"
        "spec:\n  target: {name: ext}\n  data:\n"
        "    - secretKey: bootstrap_token\n      remoteRef: {key: sts, property: token}\n"
        "    - secretKey: default_password\n"
        "    - remoteRef: {key: x}\n"
        "    - 7\n"
    )
    assert (manifest.kind, manifest.secret_name, manifest.complete) == (
        EXTERNAL_SECRET, "ext", True)  # fmt: skip
    assert keys(manifest) == {"bootstrap_token": False, "default_password": False}
    assert manifest.keys["default_password"].position == Position(9, 7)
    assert [(p.position.line, p.message) for p in manifest.problems] == [
        (9, 'the entry for "default_password" needs remoteRef.key (a string)'),
        (10, "an entry of spec.data needs a secretKey (a string)"),
        (11, "an entry of spec.data needs a secretKey (a string)"),
    ]


def test_external_secret_defaults_and_unknown_keys() -> None:
    manifest = only(
        "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nmetadata: {name: es}\n"
        "spec:\n  dataFrom: [{extract: {key: sts}}]\n"
    )
    assert (manifest.secret_name, manifest.complete, manifest.keys) == ("es", False, {})
    templated = only(
        "apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: es}\n"
        "spec:\n  target: {template: {data: {a: b}}}\n  data: nope\n"
    )
    assert templated.complete is False
    assert [p.message for p in templated.problems] == [
        "spec.data must be a list of secretKey entries"
    ]


def test_sealed_secret() -> None:
    manifest = only(
        "apiVersion: bitnami.com/v1alpha1\nkind: SealedSecret\nmetadata: {name: sealed}\n"
        "spec:\n  encryptedData:\n    bootstrap_token: AgBy...\n    default_password: ''\n"
        "  template:\n    metadata: {name: ext}\n    data: {plain: text, m: 1}\n"
    )
    assert (manifest.kind, manifest.secret_name) == (SEALED_SECRET, "ext")
    assert keys(manifest) == {
        "plain": False, "m": False, "bootstrap_token": False, "default_password": True}  # fmt: skip
    assert [p.message for p in manifest.problems] == ["a value must be a string"]
    assert manifest.keys_position == Position(5, 3)


def test_other_documents_are_skipped() -> None:
    found = read(
        "---\n---\napiVersion: v1\nkind: ConfigMap\ndata: {a: b}\n---\n- a list\n---\n"
        "apiVersion: v2\nkind: Secret\n---\n" + SECRET_TEXT
    )
    assert [m.secret_name for m in found.manifests] == ["ext"]
    assert found.manifests[0].keys["ldap_password"].position.line == 11 + 11


@pytest.mark.parametrize(
    ("data", "expected"),
    [({"apiVersion": "v1", "kind": "Secret"}, True), ({"apiVersion": "v1"}, False),
     ({"apiVersion": 1, "kind": "Secret"}, False), (["apiVersion"], False), (None, False)],
)  # fmt: skip
def test_is_manifest(data: object, expected: bool) -> None:
    assert manifests.is_manifest(data) is expected


def test_load_all_shares_one_budget() -> None:
    text = "a: [1, 2, 3]\n---\nb: [1, 2, 3]\n"
    assert [d.data for d in helm_yaml.load_all(text)] == [{"a": [1, 2, 3]}, {"b": [1, 2, 3]}]
    assert len(helm_yaml.load_all(text, max_nodes=10)) == 2
    with pytest.raises(helm_yaml.YamlError) as caught:
        helm_yaml.load_all(text, max_nodes=9)
    assert caught.value.position == Position(3, 11)


def test_load_all_keeps_positions_inside_the_text() -> None:
    docs = helm_yaml.load_all("a: 1\n---\nb:")
    assert docs[1].position(("b",)) == Position(3, 3)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_reading_never_raises_beyond_yaml_errors(text: str) -> None:
    try:
        documents = helm_yaml.load_all(text)
    except helm_yaml.YamlError:
        return
    manifests.read("m.yaml", documents)
