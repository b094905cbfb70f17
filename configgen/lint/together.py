"""Checks across the files of one lint run: values naming an external Secret, and its manifests.

Helm reads several values files as one (``helm -f values.yaml -f authentication.yaml``):
mappings merge key by key and the later file wins.  Lint reads the values files of one
directory together, in the order they were given (give them in Helm's order), and checks every
manifest of the run that provides the Secret their ``fromExternalSecret`` names -- in whatever
directory it is -- against the keys those values need.  Of a values file only its
``stackstate.authentication`` section is kept for this, since a run may lint many files.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Union

from configgen.findings import Finding, Position
from configgen.parsing.kinds import HELM
from configgen.product import auth_secret

if TYPE_CHECKING:  # not imported for a run that lints no manifest
    from configgen.parsing.documents import ConfigDocument
    from configgen.parsing.manifests import ManifestFile
    from configgen.product.profiles import Profile


class Values(NamedTuple):
    """What the checks across files need from one values file."""

    name: str
    section: dict[str, Any]  # stackstate.authentication as written in this file
    names_at: Position | None  # where it sets fromExternalSecret (None: it does not)


Kept = Union[Values, "ManifestFile"]


def keep(doc: ConfigDocument) -> Values | None:
    """The part of a values file the checks across files use (``None``: nothing)."""
    section = doc.get(doc.section)
    if doc.kind != HELM or not isinstance(section, dict):
        return None
    names_at = None
    if auth_secret.external_secret(section) is not None:
        names_at = doc.position((*doc.section, auth_secret.FROM_EXTERNAL_SECRET), key=True)
    return Values(doc.name, section, names_at)


def name_of(kept: Kept) -> str:
    """The file a kept item came from."""
    return kept.name


def worth_checking(kept: Sequence[Kept]) -> bool:
    """True when the run has both a manifest and values that name an external Secret."""
    return any(not isinstance(k, Values) for k in kept) and any(
        isinstance(k, Values) and k.names_at is not None for k in kept
    )


def merged(sections: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The sections of several values files as Helm merges them: the later one wins."""
    result: dict[str, Any] = {}
    for section in sections:
        result = _merge(result, section)
    return result


def _merge(base: Any, overlay: Any) -> Any:
    if isinstance(base, dict) and isinstance(overlay, dict):
        out = dict(base)
        for key, value in overlay.items():
            out[key] = _merge(base[key], value) if key in base else value
        return out
    return overlay


def settle(findings: list[Finding], values: Sequence[Values]) -> list[Finding]:
    """Drop the "key missing" findings of one values file that another values file of the
    same release (directory) answers: Helm renders them merged."""
    groups: dict[str, list[Values]] = {}
    for item in values:
        groups.setdefault(os.path.dirname(item.name), []).append(item)
    shared = {v.name: group for group in groups.values() if len(group) > 1 for v in group}
    if not shared:
        return findings
    from configgen.rules import auth_section

    sections = {name: merged([v.section for v in group]) for name, group in shared.items()}
    return [
        f
        for f in findings
        if f.path not in sections or not auth_section.settled_by(f, sections[f.path], _SECTION)
    ]


_SECTION = ("stackstate", "authentication")


def check(kept: Sequence[Kept], profile: Profile) -> list[Finding]:
    """Every manifest that provides an external Secret, against the values that name it."""
    from configgen.rules import external_secret

    if not profile.reads_external_secret:
        return []  # external-secret-unsupported says so in the values file
    groups: dict[str, list[Values]] = {}
    for item in kept:
        if isinstance(item, Values):
            groups.setdefault(os.path.dirname(item.name), []).append(item)
    manifest_files = [k for k in kept if not isinstance(k, Values)]
    findings: list[Finding] = []
    for group in groups.values():
        section = merged([values.section for values in group])
        name = auth_secret.external_secret(section)
        # The file whose fromExternalSecret Helm keeps: the last one that sets it.
        namer = next((v for v in reversed(group) if v.names_at is not None), None)
        if name is None or namer is None or namer.names_at is None:
            continue
        for manifest_file in manifest_files:
            for manifest in manifest_file.manifests:
                if manifest.secret_name == name:
                    findings += external_secret.check_pair(
                        section, namer.name, namer.names_at, manifest_file.name, manifest, profile
                    )
    return findings
