"""A small JSON Schema validator for the keywords configgen's own schemas use.

``configgen lint`` runs in pre-commit, where start-up is most of the cost, and importing
jsonschema (with referencing, attrs and rpds) costs more than linting a file.  The shipped
schemas use a small, fixed set of keywords, so lint compiles them with this module instead.
jsonschema stays the reference: ``render`` validates with it, and the test suite checks that
both report the same errors on generated documents.  A schema with any other keyword is
refused when compiled, so a schema change cannot silently go unchecked.

Errors carry the attributes of ``jsonschema.ValidationError`` that configgen reads
(``validator``, ``validator_value``, ``instance``, ``schema``, ``absolute_path``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from functools import cache
from typing import Any, NamedTuple

from configgen.parsing.unresolved import Unresolved

_ANNOTATIONS = frozenset({"$schema", "$id", "title", "description", "default", "definitions",
                          "$defs", "examples", "$comment"})  # fmt: skip
_SUPPORTED = frozenset({"type", "properties", "additionalProperties", "required", "items",
                        "minItems", "maxItems", "uniqueItems", "pattern", "minLength",
                        "maxLength", "enum", "const", "anyOf", "$ref"})  # fmt: skip


class UnsupportedSchema(ValueError):
    """The schema uses a keyword this validator does not implement."""


class SchemaError(NamedTuple):
    """One violation, shaped like the parts of ``jsonschema.ValidationError`` configgen uses."""

    validator: str
    validator_value: Any
    instance: Any
    schema: Mapping[str, Any]
    absolute_path: tuple[str | int, ...] = ()

    @property
    def path(self) -> tuple[str | int, ...]:
        return self.absolute_path


def _is_type(instance: Any, name: str) -> bool:
    if name == "object":
        return isinstance(instance, dict)
    if name == "array":
        return isinstance(instance, list)
    if name == "string":
        return isinstance(instance, str)
    if name == "boolean":
        return isinstance(instance, bool)
    if name == "null":
        return instance is None
    if isinstance(instance, bool):
        return False
    if name == "integer":
        return isinstance(instance, int) or (isinstance(instance, float) and instance.is_integer())
    if name == "number":
        return isinstance(instance, (int, float))
    raise UnsupportedSchema(f"type {name!r}")


def _canonical(value: Any) -> str:
    """A key under which JSON-equal values are equal (``True`` is not ``1``, as in jsonschema)."""

    def tag(v: Any) -> Any:
        if isinstance(v, bool):
            return ["b", v]
        if isinstance(v, (int, float)):
            return ["n", float(v)]
        if isinstance(v, dict):
            return {k: tag(x) for k, x in v.items()}
        if isinstance(v, list):
            return [tag(x) for x in v]
        return v

    return json.dumps(tag(value), sort_keys=True, default=repr)


class Validator:
    """A compiled schema; ``iter_errors`` yields ``SchemaError`` in no particular order."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.root = schema
        self._check(schema)

    def _check(self, schema: Any) -> None:
        if isinstance(schema, bool):
            return
        for key, value in schema.items():
            if key not in _SUPPORTED | _ANNOTATIONS:
                raise UnsupportedSchema(f"keyword {key!r}")
            if key in ("definitions", "$defs", "properties"):
                for sub in value.values():
                    self._check(sub)
            elif key in ("items", "additionalProperties") and isinstance(value, dict):
                self._check(value)
            elif key == "anyOf":
                for sub in value:
                    self._check(sub)
            elif key == "$ref":
                self._resolve(value)

    @cache  # noqa: B019 - validators live as long as the process, by design
    def _resolve(self, ref: str) -> Mapping[str, Any]:
        if not ref.startswith("#/"):
            raise UnsupportedSchema(f"$ref {ref!r}: only local references")
        target: Any = self.root
        for part in ref[2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        return target  # type: ignore[no-any-return]

    def iter_errors(self, instance: Any) -> Iterator[SchemaError]:
        """Every violation of the schema by ``instance``."""
        yield from self._errors(self.root, instance, ())

    def _errors(
        self, schema: Any, instance: Any, path: tuple[str | int, ...]
    ) -> Iterator[SchemaError]:
        if schema is True:
            return
        if schema is False:
            yield SchemaError("false", False, instance, {}, path)
            return
        if "$ref" in schema:
            yield from self._errors(self._resolve(schema["$ref"]), instance, path)

        def error(keyword: str) -> SchemaError:
            return SchemaError(keyword, schema[keyword], instance, schema, path)

        unresolved = isinstance(instance, Unresolved)  # only the server knows its value
        if "type" in schema and not unresolved:
            names = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
            if not any(_is_type(instance, n) for n in names):
                yield error("type")
        enum = schema.get("enum")
        if (
            enum is not None
            and not unresolved
            and _canonical(instance) not in map(_canonical, enum)
        ):
            yield error("enum")
        if (
            "const" in schema
            and not unresolved
            and _canonical(instance) != _canonical(schema["const"])
        ):
            yield error("const")
        if "anyOf" in schema and not any(
            next(self._errors(sub, instance, path), None) is None for sub in schema["anyOf"]
        ):
            yield error("anyOf")
        if isinstance(instance, dict):
            yield from self._object(schema, instance, path, error)
        elif isinstance(instance, list):
            yield from self._array(schema, instance, path, error)
        elif isinstance(instance, str):
            if "minLength" in schema and len(instance) < schema["minLength"]:
                yield error("minLength")
            if "maxLength" in schema and len(instance) > schema["maxLength"]:
                yield error("maxLength")
            if "pattern" in schema and not compile_pattern(schema["pattern"]).search(instance):
                yield error("pattern")

    def _object(self, schema: Any, instance: dict[str, Any], path: tuple[str | int, ...],
                error: Any) -> Iterator[SchemaError]:  # fmt: skip
        properties = schema.get("properties", {})
        for key in schema.get("required", ()):  # one error per missing key, as jsonschema
            if key not in instance:
                yield error("required")
        for key, sub in properties.items():
            if key in instance:
                yield from self._errors(sub, instance[key], (*path, key))
        extra = schema.get("additionalProperties", True)
        others = [k for k in instance if k not in properties]
        if extra is False and others:
            yield error("additionalProperties")
        elif isinstance(extra, dict):
            for key in others:
                yield from self._errors(extra, instance[key], (*path, key))

    def _array(self, schema: Any, instance: list[Any], path: tuple[str | int, ...],
               error: Any) -> Iterator[SchemaError]:  # fmt: skip
        if "minItems" in schema and len(instance) < schema["minItems"]:
            yield error("minItems")
        if "maxItems" in schema and len(instance) > schema["maxItems"]:
            yield error("maxItems")
        if schema.get("uniqueItems") and len({_canonical(v) for v in instance}) < len(instance):
            yield error("uniqueItems")
        if isinstance(schema.get("items"), dict):
            for index, item in enumerate(instance):
                yield from self._errors(schema["items"], item, (*path, index))


@cache
def compile_pattern(pattern: str) -> re.Pattern[str]:
    """A JSON Schema ``pattern`` compiled for Python with the meaning JSON Schema gives it.

    Patterns are written in the part of ECMA-262 syntax that Go's RE2 (Helm) also reads.  There
    ``$`` is the end of the text; Python's ``$`` also matches before a final newline, so each
    ``$`` outside a character class is read as ``\\Z`` here (``search`` as in jsonschema).
    """
    out: list[str] = []
    in_class = False
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            start = index + 1 + (pattern[index + 1 : index + 2] == "^")
            if pattern[start : start + 1] == "]":  # a literal ] first in the class
                start += 1
            out.append(pattern[index:start])
            index = start
            continue
        elif char == "$":
            char = r"\Z"
        out.append(char)
        index += 1
    return re.compile("".join(out))
