"""The declared-tokens file that ``configgen service-token sync`` reads::

    serviceTokens:
      - name: ci-pipeline
        roles: [stackstate-k8s-troubleshooter]
        expiration: 2027-06-30
      - name: rancher-extension
        roles: [stackstate-guest]

Read bounded (size, depth, alias expansion) with positions, validated against the shipped
schema ``service-tokens`` (``configgen schema service-tokens``) and then for what a schema cannot
say (unique names, real calendar dates).  Problems are findings at ``file:line:col``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from configgen.findings import Finding, Position, Severity, format_json_path
from configgen.parsing.limits import CONFIG_MAX_BYTES

SCHEMA = "service-tokens"
RULE = "service-tokens"


@dataclass(frozen=True)
class DeclaredToken:
    """One token as the file declares it."""

    name: str
    roles: tuple[str, ...]
    expiration: dt.date | None = None  # expires at 00:00 UTC that day
    dedicated_subject: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Declaration:
    """The declared tokens of one file, in file order."""

    source: str
    tokens: tuple[DeclaredToken, ...]


class DeclarationError(ValueError):
    """The file cannot be used; ``findings`` say where and why."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__(f"{len(findings)} problem(s)")
        self.findings = findings


def load(path: str) -> Declaration:
    """Read and check the declared-tokens file at ``path`` (``-``: stdin)."""
    from configgen.parsing import sources

    name = "<stdin>" if path == sources.STDIN else path
    try:
        text = sources.read(path, limit=CONFIG_MAX_BYTES, pipes=True).text
    except sources.InputError as err:
        position = Position(err.line, err.column)
        raise DeclarationError([_finding(name, position, err.message)]) from None
    return parse(name, text)


def parse(name: str, text: str) -> Declaration:
    """Check the text of a declared-tokens file named ``name``."""
    from configgen.parsing import helm_yaml
    from configgen.schema import validate

    try:
        document = helm_yaml.load(text)
    except helm_yaml.YamlError as err:
        raise DeclarationError(
            [_finding(name, err.position, f"{err.message}: fix the YAML syntax")]
        ) from None
    data = document.data
    if document.duplicates:
        problems = [
            _finding(name, pos, f"{format_json_path(path)} is given twice: keep one")
            for path, pos in document.duplicates
        ]
        raise DeclarationError(problems)
    if not isinstance(data, dict):
        raise DeclarationError(
            [
                _finding(
                    name,
                    document.position(()),
                    "expected a mapping with serviceTokens: a list of {name, roles, "
                    "expiration} (see configgen schema service-tokens)",
                )
            ]
        )
    findings = [
        _finding(name, document.position(p.json_path, key=p.at_key), p.message)
        for p in validate.check(SCHEMA, data, _describe)
    ]
    if not findings:
        findings = _semantic(name, data, document)
    if findings:
        raise DeclarationError(sorted(findings))
    tokens = tuple(
        DeclaredToken(
            name=item["name"],
            roles=tuple(item["roles"]),
            expiration=_date(item["expiration"]) if "expiration" in item else None,
            dedicated_subject=item.get("dedicatedSubject"),
            line=document.position(("serviceTokens", i)).line,
        )
        for i, item in enumerate(data["serviceTokens"])
    )
    return Declaration(name, tokens)


def _semantic(name: str, data: dict[str, Any], document: Any) -> list[Finding]:
    found: list[Finding] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(data["serviceTokens"]):
        token_name = item["name"]
        if token_name in seen:
            found.append(
                _finding(
                    name,
                    document.position(("serviceTokens", i, "name")),
                    f"serviceTokens[{i}].name: {token_name!r} is declared twice (first as "
                    f"serviceTokens[{seen[token_name]}]): names are unique; keep one",
                )
            )
        seen.setdefault(token_name, i)
        if "expiration" in item and _date(item["expiration"]) is None:
            found.append(
                _finding(
                    name,
                    document.position(("serviceTokens", i, "expiration")),
                    f"serviceTokens[{i}].expiration: {item['expiration']} is not a date in the "
                    "calendar: write YYYY-MM-DD, e.g. 2027-06-30",
                )
            )
    return found


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        return None


def _describe(error: Any) -> str | None:
    """Messages for the schema errors users make most, with the fix."""
    path = format_json_path(tuple(error.absolute_path))
    last = error.absolute_path[-1] if error.absolute_path else None
    if error.validator == "pattern" and last == "name":
        return (
            f"{path}: names hold letters, digits, '.', '_' and '-' and start with a letter or "
            "digit (the name is also the token's file name with --write-tokens)"
        )
    if error.validator == "pattern" and last == "expiration":
        return f"{path}: write the date as YYYY-MM-DD, e.g. 2027-06-30"
    if error.validator == "type" and last == "roles" and isinstance(error.instance, str):
        return f"{path}: roles is a list, not a string: write roles: [ROLE, ...]"
    scalar = isinstance(error.instance, (bool, int, float)) or error.instance is None
    if error.validator == "type" and error.validator_value == "string" and scalar:
        return (
            f"{path}: YAML reads this plain value as a {_kind(error.instance)}, not a "
            "string (yes, no, on, off, y, n are booleans): put it in quotes"
        )
    if error.validator == "required" and not error.absolute_path:
        return "serviceTokens is missing: list the tokens under serviceTokens:"
    return None


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    return "null" if value is None else "number"


def _finding(name: str, position: Position, message: str) -> Finding:
    return Finding(name, position.line, position.column, RULE, Severity.ERROR, message)
