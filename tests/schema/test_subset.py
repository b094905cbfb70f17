"""configgen's small validator reports exactly what jsonschema (the reference) reports."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from configgen import resources
from configgen.parsing import documents, helm_yaml, hocon
from configgen.parsing.unresolved import Unresolved
from configgen.schema import subset, validate
from testing import paths

CORPUS = paths.DATA / "lint"


def seeds() -> list[tuple[str, Any]]:
    """Realistic documents for each schema, from the lint corpus."""
    found: list[tuple[str, Any]] = []
    for path in sorted(CORPUS.glob("helm/*/*.yaml")):
        try:
            found.append(("helm-values", helm_yaml.load(path.read_text("utf-8")).data))
        except helm_yaml.YamlError:
            continue
    for path in sorted(CORPUS.glob("hocon/*/*.conf")):
        text = path.read_text("utf-8")
        try:
            doc = documents.from_hocon(path.name, text, hocon.merge(hocon.parse(text)))
        except hocon.HoconSyntaxError:
            continue
        found.append(("hocon-authentication", doc.get(doc.section)))
    found.append(("token-spec", {"token": "x" * 20, "roles": ["a"], "ttl": "24h"}))
    return found


SEEDS = seeds()
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-3, 3), st.floats(allow_nan=False),
    st.sampled_from(["", "24h", "24H", "x", "stackstate-admin", " a", "a\n", "ldapAuthServer"]),
    st.builds(Unresolved, st.just("${x}")),
)  # fmt: skip
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["token", "roles", "ttl", "x", "authServer", "bootstrap", "ldap",
                         "serviceTokenAuthServer", "authServerType", "admin"]),
        inner, max_size=3),
    max_leaves=8,
)  # fmt: skip


def mutate(data: Any, path: list[Any], value: Any) -> Any:
    """``data`` with the value at the (partial) ``path`` replaced."""
    if not path or not isinstance(data, (dict, list)) or not data:
        return value
    if isinstance(data, dict):
        key = sorted(data)[path[0] % len(data)]
        return {**data, key: mutate(data[key], path[1:], value)}
    index = path[0] % len(data)
    return [*data[:index], mutate(data[index], path[1:], value), *data[index + 1 :]]


def errors(engine: Any, instance: Any) -> list[tuple[str, str]]:
    return sorted(
        (str(list(e.absolute_path)), str(e.validator)) for e in engine.iter_errors(instance)
    )


@pytest.mark.parametrize("name", resources.SCHEMA_NAMES)
def test_shipped_schemas_are_valid_and_supported(name: str) -> None:
    from jsonschema.validators import validator_for

    schema = resources.schema(name)
    validator_for(schema).check_schema(schema)
    subset.Validator(schema)


def test_unsupported_keywords_are_refused_when_compiling() -> None:
    with pytest.raises(subset.UnsupportedSchema):
        subset.Validator({"type": "object", "patternProperties": {}})
    with pytest.raises(subset.UnsupportedSchema):
        subset.Validator({"$ref": "other.json#/x"})


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    seed=st.sampled_from(SEEDS),
    path=st.lists(st.integers(0, 50), max_size=6),
    value=VALUES,
)
def test_same_errors_as_jsonschema(seed: tuple[str, Any], path: list[int], value: Any) -> None:
    name, data = seed
    instance = mutate(data, path, value)
    ours = errors(validate.validator(name), instance)
    reference = errors(validate.reference_validator(name), instance)
    assert ours == reference
