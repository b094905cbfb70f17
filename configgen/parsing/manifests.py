"""Kubernetes manifests that provide a Secret: which Secret, which keys, where each is written.

``configgen lint`` reads a YAML file as manifests, not as Helm values, when its first document
is a mapping with a string ``apiVersion`` and ``kind`` (``is_manifest``): the content decides,
not the file name.  Several documents per file are normal there.  Three kinds provide a Secret:

- ``v1`` ``Secret``: keys from ``data`` (base64) and ``stringData`` (plain; it wins where both
  have a key, as the API server merges them).  A SOPS-encrypted Secret (a top-level ``sops``
  key) holds ``ENC[...]`` values instead; SOPS writes an encrypted empty string as ``data:,``.
- ``external-secrets.io/v1beta1`` or ``/v1`` ``ExternalSecret``: makes the Secret
  ``spec.target.name`` (default: its own name) with the keys ``spec.data[].secretKey``.  Keys
  from ``spec.dataFrom`` or a ``spec.target.template`` come from the store at run time, so the
  key list is then incomplete.
- ``bitnami.com/v1alpha1`` ``SealedSecret`` (kubeseal): makes ``spec.template.metadata.name``
  (default: its own name) with the keys of ``spec.encryptedData`` and ``spec.template.data``.

Other documents are ignored.  Values are never kept: only whether each is empty.  What the API
server or the operator would refuse (a ``data`` value that is not base64, a number where a
string belongs, an entry without its key) is a ``Problem`` with a position.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Sequence
from typing import Any, NamedTuple

from configgen import messages
from configgen.findings import JsonPath, Position
from configgen.parsing.helm_yaml import YamlDocument

SECRET, EXTERNAL_SECRET, SEALED_SECRET = "Secret", "ExternalSecret", "SealedSecret"
_KINDS: dict[tuple[str, str], str] = {
    ("v1", "Secret"): SECRET,
    ("external-secrets.io/v1beta1", "ExternalSecret"): EXTERNAL_SECRET,
    ("external-secrets.io/v1", "ExternalSecret"): EXTERNAL_SECRET,
    ("bitnami.com/v1alpha1", "SealedSecret"): SEALED_SECRET,
}
# A SOPS-encrypted value; the data part is empty for an encrypted empty string.
_SOPS_VALUE = re.compile(r"ENC\[[A-Za-z0-9_]+,data:([^,\]]*),")


class Key(NamedTuple):
    """One key of the Secret a manifest provides."""

    name: str
    position: Position  # where the key is written
    empty: bool  # its value is empty (or null): the variable is set, to nothing


class Problem(NamedTuple):
    """Something in a manifest that Kubernetes or the operator would refuse."""

    position: Position
    message: str


class Manifest(NamedTuple):
    """A document that provides a Secret."""

    kind: str  # SECRET, EXTERNAL_SECRET or SEALED_SECRET
    secret_name: str | None  # the Secret it provides (None: no usable name)
    position: Position  # of the document's kind, to report on the manifest as a whole
    keys_position: Position  # where missing keys are reported (data, stringData, spec.data...)
    keys: dict[str, Key]
    complete: bool  # False: more keys may come from where lint cannot see
    problems: tuple[Problem, ...] = ()


class ManifestFile(NamedTuple):
    """A YAML file of Kubernetes manifests, with the Secrets it provides."""

    name: str
    manifests: tuple[Manifest, ...]


def is_manifest(data: Any) -> bool:
    """True for a Kubernetes object: a mapping with a string ``apiVersion`` and ``kind``."""
    return (
        isinstance(data, dict)
        and isinstance(data.get("apiVersion"), str)
        and isinstance(data.get("kind"), str)
    )


def read(name: str, documents: Sequence[YamlDocument]) -> ManifestFile:
    """The Secret-providing manifests among ``documents`` (the others are skipped)."""
    found = []
    for document in documents:
        data = document.data
        if not is_manifest(data):
            continue
        kind = _KINDS.get((data["apiVersion"], data["kind"]))
        if kind is not None:
            found.append(_Reader(document).manifest(kind))
    return ManifestFile(name, tuple(found))


class _Reader:
    """Reads one manifest document, collecting keys and problems."""

    def __init__(self, document: YamlDocument) -> None:
        self.doc = document
        self.data: dict[str, Any] = document.data
        self.keys: dict[str, Key] = {}
        self.problems: list[Problem] = []
        self.sops = isinstance(self.data.get("sops"), dict)

    def get(self, *path: str | int) -> Any:
        value: Any = self.data
        for part in path:
            if isinstance(part, str) and isinstance(value, dict):
                value = value.get(part)
            elif isinstance(part, int) and isinstance(value, list) and part < len(value):
                value = value[part]
            else:
                return None
        return value

    def at(self, path: JsonPath, *, key: bool = False) -> Position:
        return self.doc.position(path, key=key)

    def problem(self, path: JsonPath, message: str) -> None:
        self.problems.append(Problem(self.at(path), message))

    def name(self, *path: str) -> str | None:
        value = self.get(*path)
        return value if isinstance(value, str) and value else None

    def manifest(self, kind: str) -> Manifest:
        complete = True
        if kind == SECRET:
            secret_name = self.name("metadata", "name")
            keys_at = self._secret_keys()
        elif kind == EXTERNAL_SECRET:
            secret_name = self.name("spec", "target", "name") or self.name("metadata", "name")
            keys_at = self._external_keys()
            complete = not (self.get("spec", "dataFrom") or self.get("spec", "target", "template"))
        else:
            secret_name = self.name("spec", "template", "metadata", "name") or self.name(
                "metadata", "name"
            )
            keys_at = self._sealed_keys()
        if secret_name is None:
            where = ("metadata", "name") if self.get("metadata") is not None else ("kind",)
            self.problem(where, f"this {kind} has no name: add metadata.name")
        return Manifest(
            kind,
            secret_name,
            self.at(("kind",)),
            keys_at or self.at(("kind",)),
            self.keys,
            complete,
            tuple(self.problems),
        )

    def add(self, path: JsonPath, name: str, empty: bool) -> None:
        self.keys[name] = Key(name, self.at(path, key=True), empty)

    def mapping(self, path: tuple[str, ...]) -> dict[str, Any] | None:
        value = self.get(*path)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.problem(path, f"{'.'.join(path)} must be a mapping of keys to values")
            return None
        return value

    def _secret_keys(self) -> Position | None:
        where = None
        data = self.mapping(("data",))
        for key, value in (data or {}).items():
            self.add(("data", key), key, self._decoded_empty(("data", key), value))
        strings = self.mapping(("stringData",))
        for key, value in (strings or {}).items():
            self.add(("stringData", key), key, self._string_empty(("stringData", key), value))
        for section in ("data", "stringData"):  # missing text keys belong in stringData
            if self.get(section) is not None:
                where = self.at((section,), key=True)
        return where

    def _decoded_empty(self, path: JsonPath, value: Any) -> bool:
        if value is None:
            return True
        if not isinstance(value, str):
            self.problem(path, "a data value must be a base64 string")
            return False
        encrypted = self._encrypted_empty(value)
        if encrypted is not None:
            return encrypted
        try:
            decoded = base64.b64decode(re.sub(r"[\r\n]", "", value), validate=True)
        except (binascii.Error, ValueError):
            self.problem(
                path, "not valid base64: Kubernetes refuses the Secret (use stringData for text)"
            )
            return False
        return not decoded

    def _string_empty(self, path: JsonPath, value: Any) -> bool:
        if value is None:
            return True
        if not isinstance(value, str):
            self.problem(path, "a stringData value must be a string: quote it")
            return False
        encrypted = self._encrypted_empty(value)
        return (value == "") if encrypted is None else encrypted

    def _encrypted_empty(self, value: str) -> bool | None:
        """Whether a SOPS-encrypted value is empty; ``None`` when it is not encrypted."""
        match = _SOPS_VALUE.match(value) if self.sops else None
        return None if match is None else match.group(1) == ""

    def _external_keys(self) -> Position | None:
        entries = self.get("spec", "data")
        if entries is None:
            return None
        if not isinstance(entries, list):
            self.problem(("spec", "data"), "spec.data must be a list of secretKey entries")
            return None
        for index, entry in enumerate(entries):
            path: JsonPath = ("spec", "data", index)
            item = entry if isinstance(entry, dict) else {}
            key, remote = item.get("secretKey"), item.get("remoteRef")
            if not isinstance(key, str) or not key:
                self.problem(path, "an entry of spec.data needs a secretKey (a string)")
                continue
            if not isinstance(remote, dict) or not isinstance(remote.get("key"), str):
                shown = messages.shown(key, ("secretKey",))
                self.problem(path, f"the entry for {shown} needs remoteRef.key (a string)")
            self.add((*path, "secretKey"), key, False)
        return self.at(("spec", "data"), key=True)

    def _sealed_keys(self) -> Position | None:
        where = None
        for section in (("spec", "template", "data"), ("spec", "encryptedData")):
            values = self.mapping(section)
            for key, value in (values or {}).items():
                if not isinstance(value, str) and value is not None:
                    self.problem((*section, key), "a value must be a string")
                self.add((*section, key), key, value in (None, ""))
            if values is not None:
                where = self.at(section, key=True)
        return where
