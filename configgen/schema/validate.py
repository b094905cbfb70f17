"""JSON Schema validation with messages that never echo secrets.

Validators are built once per process and reused (building one checks the schema itself, which
costs more than validating a small document).  jsonschema's own messages quote the offending
value, so they are never shown: ``describe`` writes a message from the error's kind and path,
quoting the value only where the key is not secret.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from configgen import resources
from configgen.findings import JsonPath, format_json_path
from configgen.schema import subset

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

SECRET_KEYS = frozenset({"token", "password", "secret", "adminpassword", "passwordhash"})
_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


@dataclass(frozen=True)
class SchemaProblem:
    """One schema violation: where (``json_path``; ``at_key`` for a key's own position) and what."""

    json_path: JsonPath
    message: str
    kind: str
    at_key: bool = False
    suggestion: str | None = None  # for unknown keys: the key that is probably meant


def is_secret(json_path: JsonPath) -> bool:
    """True when the value at ``json_path`` must never be shown."""
    return any(isinstance(p, str) and p.lower() in SECRET_KEYS for p in json_path)


def shown(value: Any, json_path: JsonPath) -> str:
    """A short, safe rendering of a value for a message."""
    if is_secret(json_path):
        return "the value"
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return '"' + text.encode("unicode_escape").decode("ascii").replace('"', '\\"') + '"'
    return type_name(value)


def type_name(value: Any) -> str:
    """How users call the type of a parsed value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return f"the number {value!r}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return "a string"


def did_you_mean(word: str, choices: list[str]) -> str:
    """`` (did you mean 'roles'?)`` when ``word`` is close to one of ``choices``."""
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    return f" (did you mean {lowered[close[0]]!r}?)" if close else ""


@cache
def validator(name: str) -> subset.Validator:
    """configgen's own validator for a shipped schema, built once (fast to import)."""
    return subset.Validator(resources.schema(name))


@cache
def reference_validator(name: str) -> Validator:
    """jsonschema's validator for a shipped schema, built once.

    Unresolved HOCON substitutions (``${bootstrap_token}``) pass ``type``, ``enum`` and
    ``const``: their value is only known to the server at start-up.
    """
    from jsonschema.validators import extend, validator_for

    from configgen.parsing.pyhocon_safe import Unresolved

    schema = resources.schema(name)
    base = validator_for(schema)

    def lenient(keyword: Any) -> Any:
        def check(validator: Any, value: Any, instance: Any, schema: Any) -> Any:
            if isinstance(instance, Unresolved):
                return ()
            return keyword(validator, value, instance, schema)

        return check

    keywords = {k: lenient(base.VALIDATORS[k]) for k in ("type", "enum", "const")}
    built: Validator = extend(base, validators=keywords)(schema)  # type: ignore[no-untyped-call]
    return built


Describer = Callable[[Any], "str | None"]


def check(
    name: str,
    data: Any,
    describe: Describer | None = None,
    *,
    prefix: JsonPath = (),
    reference: bool = False,
) -> list[SchemaProblem]:
    """Validate ``data`` (found at ``prefix`` in its file) against a shipped schema.

    ``reference=True`` validates with jsonschema instead of configgen's own validator; both
    give the same errors (tested), the reference costs more to import.
    """
    engine = reference_validator(name) if reference else validator(name)
    errors = sorted(engine.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path])
    problems: dict[SchemaProblem, None] = {}  # ordered, without repeats (see "required")
    for error in errors:
        problems.update(dict.fromkeys(_problems(error, describe, prefix)))
    return list(problems)


def _problems(error: Any, describe: Describer | None, prefix: JsonPath) -> Iterator[SchemaProblem]:
    path: JsonPath = (*prefix, *error.absolute_path)
    where = format_json_path(path)
    kind = str(error.validator)
    custom = describe(error) if describe else None
    schema: Any = error.schema
    if kind == "additionalProperties" and isinstance(error.instance, dict):
        allowed = list(schema.get("properties", {}))
        for key in error.instance:
            if key not in allowed:
                close = did_you_mean(key, allowed)
                hint = close or f"; allowed keys: {', '.join(allowed)}"
                suggestion = close.split("'")[1] if close else None
                yield SchemaProblem(
                    (*path, key), f"unknown key {key!r}{hint}", kind, True, suggestion
                )
        return
    if custom is not None:
        yield SchemaProblem(path, custom, kind)
        return
    yield SchemaProblem(path, f"{where}: {_generic(error, path)}", kind)


def _generic(error: Any, path: JsonPath) -> str:
    kind, value = error.validator, error.instance
    expected: Any = error.validator_value
    if kind == "required":
        missing = [k for k in expected if isinstance(value, dict) and k not in value]
        return f"missing required key {', '.join(map(repr, missing))}"
    if kind == "type":
        names = [expected] if isinstance(expected, str) else list(expected)
        wanted = " or ".join(_TYPE_NAMES.get(n, n) for n in names)
        got = (
            "a number" if is_secret(path) and isinstance(value, (int, float)) else type_name(value)
        )
        return f"expected {wanted}, got {got}"
    if kind == "enum":
        choices = [str(c) for c in expected]
        hint = did_you_mean(str(value), choices) if isinstance(value, str) else ""
        return f"{shown(value, path)} is not one of {', '.join(choices)}{hint}"
    if kind == "minItems":
        return "must not be empty" if expected == 1 else f"needs at least {expected} entries"
    if kind == "maxItems":
        return f"has more than {expected} entries"
    if kind == "uniqueItems":
        return "lists the same entry twice: remove the duplicate"
    if kind == "minLength":
        return "must not be empty" if expected == 1 else f"is shorter than {expected} characters"
    if kind == "maxLength":
        return f"is longer than {expected} characters"
    if kind == "pattern":
        return f"{shown(value, path)} does not have the expected form"
    if kind in ("oneOf", "anyOf"):
        return f"{shown(value, path)} has none of the allowed forms"
    return f"{shown(value, path)} is not valid here ({kind})"
