"""Validating a token spec: its JSON Schema, then what a schema cannot say.

Errors are what the server or chart would refuse or misread, and placeholder tokens (the same
policy as ``configgen lint``: what render writes must lint without errors); warnings are what
works but is risky: a weak token, an unusual ttl unit, a role no product predefines.
"""

from __future__ import annotations

from typing import Any

from configgen import messages
from configgen.findings import Finding, JsonPath, Severity, format_json_path
from configgen.product import auth, durations, quoting, roles, tokens
from configgen.schema import validate
from configgen.spec.load import SpecInput
from configgen.spec.model import RULE, SpecError, TokenSpec

SCHEMA = "token-spec"


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
    found = _token_checks(spec_input, data["token"])
    ttl = data.get("ttl")
    if ttl is not None:
        parsed = durations.parse(ttl)
        problem = durations.risk(parsed)
        if problem is not None:
            level = Severity.ERROR if parsed.saturated else Severity.WARNING
            message = f'ttl: "{ttl}" {problem}'
            found.append(_locate(spec_input, ("ttl",), message, severity=level))
    for index, role in enumerate(data["roles"]):
        if role not in roles.ANY_PRODUCT:
            shown = messages.shown(role, ("roles", index))
            found.append(
                _locate(
                    spec_input,
                    ("roles", index),
                    f"roles[{index}]: {shown} is not a predefined role; fine for a custom "
                    "subject, otherwise check the spelling",
                    severity=Severity.WARNING,
                )
            )
    return found


def _token_checks(spec_input: SpecInput, token: str) -> list[Finding]:
    """The token policy lint applies: a placeholder is refused, a weak token is warned about."""
    if not token:
        return [_locate(spec_input, ("token",), _token_message(token))]
    if tokens.is_placeholder(token):
        return [_locate(spec_input, ("token",), _PLACEHOLDER)]
    if tokens.is_weak(token):
        return [
            _locate(spec_input, ("token",), tokens.weak_message(token), severity=Severity.WARNING)
        ]
    return []


_PLACEHOLDER = "token: is a placeholder, not a secret: use --generate-token"


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
        return f"ttl: {messages.shown(value, path)} {_ttl_message(value)}"
    if path == ("roles",) and kind == "type" and isinstance(value, str):
        return (
            f"roles: must be a list, not a single string: write roles: "
            f"[{messages.shown(value, path)}] in the spec, or --roles a,b"
        )
    if path[:1] in (("roles",), ("dedicatedSubject",)) and kind == "pattern":
        return f"{field_name}: {_name_message(value)}"
    if path == ("roles",) and kind == "minItems":
        return "roles: give at least one role, e.g. [stackstate-power-user]"
    return None


def _token_message(value: Any) -> str:
    if not isinstance(value, str):
        return "token: must be a string"
    if not value:
        return "token: is empty: give a token, or use --generate-token"
    if len(value) > tokens.MAX_LENGTH:
        return f"token: longer than {tokens.MAX_LENGTH} characters"
    if tokens.is_placeholder(value):
        return _PLACEHOLDER
    if len(value) < tokens.MIN_LENGTH:
        return (
            f"token: shorter than {tokens.MIN_LENGTH} characters: use --generate-token for a "
            "strong token"
        )
    return f"token: has characters outside {tokens.CHARACTERS}: use --generate-token"


def _ttl_message(value: str) -> str:
    explanation = durations.explain(value)
    if explanation is not None:
        return f"is not a duration the server accepts: {explanation}"
    parsed = durations.parse(value)
    if parsed.unit_written == "" and not value.strip().startswith(("-", "+")):
        return durations.no_unit_message(value.strip())
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
