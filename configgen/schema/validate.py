"""JSON Schema validation with messages that never echo secrets.

Validators are built once per process and reused (building one checks the schema itself, which
costs more than validating a small document).  jsonschema's own messages quote the offending
value, so they are never shown: ``describe`` writes a message from the error's kind and path,
quoting the value only where the key is not secret.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from typing import TYPE_CHECKING, Any, NamedTuple

from configgen import resources
from configgen.findings import JsonPath, format_json_path
from configgen.messages import closest, did_you_mean, is_secret, shown, type_name
from configgen.schema import subset

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

_TYPE_NAMES = {
    "object": "a mapping",
    "array": "a list",
    "string": "a string",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "null": "null",
}


class SchemaProblem(NamedTuple):
    """One schema violation: where (``json_path``; ``at_key`` for a key's own position) and what."""

    json_path: JsonPath
    message: str
    kind: str
    at_key: bool = False
    suggestion: str | None = None  # for unknown keys: the key that is probably meant


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
    from jsonschema.exceptions import ValidationError
    from jsonschema.validators import extend, validator_for

    from configgen.parsing.unresolved import Unresolved

    schema = resources.schema(name)
    base = validator_for(schema)

    def lenient(keyword: Any) -> Any:
        def check(validator: Any, value: Any, instance: Any, schema: Any) -> Any:
            if isinstance(instance, Unresolved):
                return ()
            return keyword(validator, value, instance, schema)

        return check

    def pattern(validator: Any, value: str, instance: Any, schema: Any) -> Any:
        if validator.is_type(instance, "string") and not subset.compile_pattern(value).search(
            instance
        ):
            yield ValidationError(f"{instance!r} does not match {value!r}")

    keywords = {k: lenient(base.VALIDATORS[k]) for k in ("type", "enum", "const")}
    keywords["pattern"] = pattern  # ``$`` is the end of the text, as in JSON Schema and Helm
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
                suggestion = closest(key, allowed)
                hint = did_you_mean(key, allowed) or f"; allowed keys: {', '.join(allowed)}"
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
