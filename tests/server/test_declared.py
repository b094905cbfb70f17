"""The declared-tokens file: valid files load; every broken one is a finding at file:line:col
with a fix; the shipped schema and configgen's checks agree."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from configgen import resources
from configgen.server import declared

VALID = """\
serviceTokens:
  - name: ci-pipeline
    roles: [stackstate-k8s-troubleshooter]
    expiration: 2027-06-30
  - name: rancher-extension
    roles: [stackstate-guest]
    dedicatedSubject: rancher
"""


def test_the_issue_example_loads() -> None:
    declaration = declared.parse("tokens.yaml", VALID)
    assert declaration.tokens == (
        declared.DeclaredToken("ci-pipeline", ("stackstate-k8s-troubleshooter",),
                               dt.date(2027, 6, 30), None, 2),
        declared.DeclaredToken("rancher-extension", ("stackstate-guest",), None, "rancher", 5),
    )  # fmt: skip


def test_json_and_an_empty_list_load() -> None:
    assert declared.parse("t.json", '{"serviceTokens": []}').tokens == ()


INVALID = {
    "empty": ("", "t.yaml:1:1: expected a mapping with serviceTokens"),
    "list": ("- a\n", "t.yaml:1:1: expected a mapping"),
    "syntax": ("serviceTokens: [\n", "t.yaml:1:17: invalid YAML"),
    "missing-key": ("tokens: []\n", "t.yaml:1:1: unknown key 'tokens'"),
    "no-list": ("serviceTokens: {}\n", "t.yaml:1:16: serviceTokens: expected a list"),
    "roles-string": (
        "serviceTokens:\n  - name: a\n    roles: admin\n",
        "t.yaml:3:12: serviceTokens[0].roles: roles is a list, not a string",
    ),
    "roles-empty": (
        "serviceTokens:\n  - name: a\n    roles: []\n",
        "t.yaml:3:12: serviceTokens[0].roles: must not be empty",
    ),
    "bad-name": (
        "serviceTokens:\n  - name: ../etc\n    roles: [r]\n",
        "t.yaml:2:11: serviceTokens[0].name: names hold letters, digits",
    ),
    "bad-date-form": (
        "serviceTokens:\n  - name: a\n    roles: [r]\n    expiration: 30.06.2027\n",
        "t.yaml:4:17: serviceTokens[0].expiration: write the date as YYYY-MM-DD",
    ),
    "no-such-date": (
        "serviceTokens:\n  - name: a\n    roles: [r]\n    expiration: 2027-02-30\n",
        "t.yaml:4:17: serviceTokens[0].expiration: 2027-02-30 is not a date in the calendar",
    ),
    "yaml11-boolean": (
        "serviceTokens:\n  - name: a\n    roles: [y, 12]\n",
        "t.yaml:3:13: serviceTokens[0].roles[0]: YAML reads this plain value as a boolean",
    ),
    "null-name": (
        "serviceTokens:\n  - name:\n    roles: [r]\n",
        "t.yaml:2:10: serviceTokens[0].name: YAML reads this plain value as a null",
    ),
    "typo": (
        "serviceTokens:\n  - name: a\n    role: [r]\n",
        "t.yaml:3:5: unknown key 'role' (did you mean 'roles'?)",
    ),
    "twice": (
        "serviceTokens:\n  - {name: a, roles: [r]}\n  - {name: a, roles: [s]}\n",
        "t.yaml:3:12: serviceTokens[1].name: 'a' is declared twice",
    ),
    "duplicate-key": (
        "serviceTokens: []\nserviceTokens: []\n",
        "t.yaml:2:1: serviceTokens is given twice",
    ),
}


@pytest.mark.parametrize("case", INVALID)
def test_invalid_files(case: str) -> None:
    text, expected = INVALID[case]
    with pytest.raises(declared.DeclarationError) as caught:
        declared.parse("t.yaml", text)
    lines = [f"{f.location}: {f.message}" for f in caught.value.findings]
    assert any(line.startswith(expected) for line in lines), lines


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(declared.DeclarationError) as caught:
        declared.load(str(tmp_path / "missing.yaml"))
    assert caught.value.findings[0].message == "file not found: check the path"
    big = tmp_path / "big.yaml"
    big.write_bytes(b"#" * (declared.CONFIG_MAX_BYTES + 1))
    with pytest.raises(declared.DeclarationError, match="problem"):
        declared.load(str(big))


def test_schema_is_shipped() -> None:
    assert "service-tokens" in resources.SCHEMA_NAMES
    assert resources.schema("service-tokens")["required"] == ["serviceTokens"]


@pytest.mark.parametrize("case", [*INVALID, "valid"])
def test_schema_agrees_with_jsonschema(case: str) -> None:
    """What jsonschema refuses, configgen refuses (configgen also checks what a schema can't)."""
    from jsonschema.validators import validator_for

    from configgen.parsing import helm_yaml

    text = VALID if case == "valid" else INVALID[case][0]
    try:
        data = helm_yaml.load(text).data
    except helm_yaml.YamlError:
        return
    schema = resources.schema("service-tokens")
    schema_ok = validator_for(schema)(schema).is_valid(json.loads(json.dumps(data)))
    try:
        declared.parse("t.yaml", text)
        ours = True
    except declared.DeclarationError:
        ours = False
    assert ours <= schema_ok
    assert (case == "valid") == ours
