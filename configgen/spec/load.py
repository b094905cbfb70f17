"""The token spec: one bootstrap service token, from a YAML/JSON file and command-line flags.

``resolve`` merges the file with flag overrides, validates the result against
``token-spec.schema.json`` plus the checks a schema cannot express, and returns a ``TokenSpec``
with any warnings -- or raises ``SpecError`` carrying every problem found, each with a position.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from configgen.findings import Finding, JsonPath, Position, Severity, format_json_path
from configgen.parsing.helm_yaml import YamlDocument, YamlError
from configgen.parsing.sources import InputError
from configgen.product import auth, durations, quoting, roles
from configgen.schema import validate

SCHEMA = "token-spec"
RULE = "spec"
TOKEN_CHARACTERS = "A-Z a-z 0-9 . _ ~ + / = -"


@dataclass(frozen=True)
class TokenSpec:
    """A validated bootstrap token: what both output files must say."""

    token: str = field(repr=False)
    roles: tuple[str, ...]
    ttl: str = durations.DEFAULT_TTL
    dedicated_subject: str | None = None
    login_providers: tuple[str, ...] = auth.DEFAULT_LOGIN_PROVIDERS


class SpecError(ValueError):
    """The spec cannot be used; ``findings`` says why, each with a position."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(f"{len(findings)} problem(s) in the token spec")
        self.findings = findings


@dataclass
class SpecInput:
    """Raw spec values with where each came from (a file position or a flag)."""

    name: str
    values: dict[str, Any]
    document: YamlDocument | None = None
    origins: dict[str, str] = field(default_factory=dict)  # key -> flag or source name

    def locate(self, json_path: JsonPath, *, at_key: bool = False) -> tuple[str, int, int]:
        """``(path, line, column)`` to report a problem at ``json_path``."""
        top = json_path[0] if json_path else None
        if isinstance(top, str) and top in self.origins:
            return self.origins[top], 0, 0
        if self.document is None:
            return self.name, 0, 0
        pos = self.document.position(json_path, key=at_key)
        return self.name, pos.line, pos.column


def generate_token() -> str:
    """A random token: 32 bytes (256 bits) from ``secrets``, URL-safe base64."""
    return secrets.token_urlsafe(32)


def parse(name: str, text: str | None) -> SpecInput:
    """Parse spec text (YAML, of which JSON is a subset); ``None`` means no spec file."""
    from configgen.parsing import helm_yaml

    if text is None:
        return SpecInput(name="<command line>", values={})
    try:
        document = helm_yaml.load(text)
    except YamlError as err:
        raise SpecError([_finding(name, err.position, err.message + ": fix the syntax")]) from None
    if document.data is None:
        raise SpecError(
            [
                Finding(
                    name,
                    0,
                    0,
                    RULE,
                    Severity.ERROR,
                    "the spec is empty: write at least token and roles "
                    "(see examples/token-spec.yaml)",
                )
            ]
        )
    if document.duplicates:
        path, pos = document.duplicates[0]
        raise SpecError([_finding(name, pos, f"{format_json_path(path)} is given twice: keep one")])
    if not isinstance(document.data, dict):
        pos = document.position(())
        raise SpecError(
            [_finding(name, pos, "the spec must be a mapping of keys such as token, roles and ttl")]
        )
    return SpecInput(name=name, values=dict(document.data), document=document)


def override(spec_input: SpecInput, values: Mapping[str, tuple[Any, str]]) -> None:
    """Let flags win over the file: ``values`` maps a spec key to (value, where it came from)."""
    for key, (value, origin) in values.items():
        spec_input.values[key] = value
        spec_input.origins[key] = origin


def resolve(spec_input: SpecInput) -> tuple[TokenSpec, list[Finding]]:
    """Validate and build the spec; return it with warnings, or raise ``SpecError``."""
    data = spec_input.values
    findings = [
        _locate(spec_input, p.json_path, p.message, at_key=p.at_key)
        for p in validate.check(SCHEMA, data, _describe)
    ]
    if not findings:
        findings = _semantic(spec_input)
    if any(f.severity is Severity.ERROR for f in findings):
        raise SpecError(sorted(findings))
    spec = TokenSpec(
        token=data["token"],
        roles=tuple(data["roles"]),
        ttl=data.get("ttl", durations.DEFAULT_TTL),
        dedicated_subject=data.get("dedicatedSubject"),
        login_providers=tuple(data.get("loginProviders", auth.DEFAULT_LOGIN_PROVIDERS)),
    )
    return spec, findings


def _semantic(spec_input: SpecInput) -> list[Finding]:
    """Checks a JSON Schema cannot express; warnings unless the server would refuse."""
    data = spec_input.values
    found: list[Finding] = []
    ttl = data.get("ttl")
    if ttl is not None:
        parsed = durations.parse(ttl)
        if parsed.saturated:
            found.append(
                _locate(
                    spec_input,
                    ("ttl",),
                    f'ttl: "{ttl}" is longer than the server '
                    "can count (about 292 years): use a smaller value",
                )
            )
        elif not parsed.is_safe:
            found.append(
                _locate(
                    spec_input,
                    ("ttl",),
                    f'ttl: "{ttl}" is read by Lightbend config '
                    "but not by every duration parser: prefer s, h, d, minutes, "
                    "hours or days",
                    severity=Severity.WARNING,
                )
            )
    for index, role in enumerate(data["roles"]):
        if role not in roles.ANY_PRODUCT:
            shown = validate.shown(role, ("roles", index))
            found.append(
                _locate(
                    spec_input,
                    ("roles", index),
                    f"roles[{index}]: {shown} is not "
                    "a predefined role; fine for a custom subject, otherwise check "
                    "the spelling",
                    severity=Severity.WARNING,
                )
            )
    return found


def _describe(error: Any) -> str | None:
    """Spec-specific messages; ``None`` falls back to the generic ones."""
    path = tuple(error.absolute_path)
    field_name = format_json_path(path)
    kind, value = error.validator, error.instance
    if path == ("token",) and kind in ("pattern", "minLength", "maxLength"):
        return _token_message(value)
    number = isinstance(value, (int, float)) and not isinstance(value, bool)
    if path == ("ttl",) and kind == "type" and number:
        return f"ttl: {value} {_ttl_message(str(value))}"
    instance: Any = error.instance
    if path == () and kind == "required" and isinstance(instance, dict) and "token" not in instance:
        also = "" if "roles" in instance else "; roles is missing too"
        return (
            "no token: add token to the spec, or use --generate-token, --token-file FILE or "
            f"--token-env VAR{also}"
        )
    if path == ("ttl",) and kind == "pattern" and isinstance(value, str):
        return f"ttl: {validate.shown(value, path)} {_ttl_message(value)}"
    if path == ("roles",) and kind == "type" and isinstance(value, str):
        return (
            f"roles: must be a list, not a single string: write roles: "
            f"[{validate.shown(value, path)}] in the spec, or --roles a,b"
        )
    if path[:1] in (("roles",), ("dedicatedSubject",)) and kind == "pattern":
        return f"{field_name}: {_name_message(value)}"
    if path == ("roles",) and kind == "minItems":
        return "roles: give at least one role, e.g. [stackstate-power-user]"
    return None


def _token_message(value: Any) -> str:
    if not isinstance(value, str):
        return "token: must be a string"
    stripped = value.strip().strip("<>").lower()
    if value.startswith("<") or stripped in ("token", "random token", "changeme", "..."):
        return "token: is a placeholder from the documentation: use --generate-token"
    if len(value) < 16:
        return "token: shorter than 16 characters: use --generate-token for a strong token"
    if len(value) > 512:
        return "token: longer than 512 characters"
    return f"token: has characters outside {TOKEN_CHARACTERS}: use --generate-token"


def _ttl_message(value: str) -> str:
    explanation = durations.explain(value)
    if explanation is not None:
        return f"is not a duration the server accepts: {explanation}"
    parsed = durations.parse(value)
    if parsed.unit_written == "" and not value.strip().startswith(("-", "+")):
        return (
            f"has no unit, which the server reads as milliseconds: write "
            f"{value.strip()}ms if you mean that, or add a unit such as s or h"
        )
    return "is accepted by the server but not as a TTL: write a positive whole number and a unit"


def _name_message(value: Any) -> str:
    if not isinstance(value, str):
        return "must be a string"
    bad = quoting.first_unreadable(value)
    if bad is not None:
        return f"contains U+{ord(bad):04X}, a control or invisible character: remove it"
    if value != value.strip():
        return "starts or ends with whitespace: remove it"
    return "is not a valid name"


def _locate(
    spec_input: SpecInput,
    json_path: JsonPath,
    message: str,
    *,
    at_key: bool = False,
    severity: Severity = Severity.ERROR,
) -> Finding:
    name, line, column = spec_input.locate(json_path, at_key=at_key)
    return Finding(name, line, column, RULE, severity, message, json_path)


def _finding(name: str, pos: Position, message: str) -> Finding:
    return Finding(name, pos.line, pos.column, RULE, Severity.ERROR, message)


def input_error(name: str, err: InputError) -> SpecError:
    """A ``SpecError`` for a spec file that could not be read as text."""
    return SpecError([Finding(name, err.line, err.column, RULE, Severity.ERROR, err.message)])
