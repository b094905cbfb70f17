"""Loading the token spec: a YAML/JSON file (or none), flag overrides and a token source.

``load`` reads the file, lets flags win over it, takes the token from its source, and validates
the result (``configgen.spec.checks``).  It returns the spec with its warnings, or raises
``SpecError`` carrying every problem found, each at the file position or flag it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from configgen.findings import Finding, JsonPath, Position, Severity, format_json_path
from configgen.parsing import sources
from configgen.parsing.limits import SPEC_MAX_BYTES
from configgen.spec.model import RULE, SpecError, TokenSpec
from configgen.spec.token_source import (
    GENERATE,
    TokenSource,
    generate_token,
    input_error,
    read_token,
)

if TYPE_CHECKING:
    from configgen.parsing.helm_yaml import YamlDocument

COMMAND_LINE = "<command line>"


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


@dataclass(frozen=True)
class LoadedSpec:
    """A validated spec with its warnings, its raw input (for positions), a generated token."""

    token_spec: TokenSpec
    warnings: list[Finding]
    source: SpecInput
    generated_token: str | None = field(default=None, repr=False)


def load(
    spec_path: str | None,
    overrides: Mapping[str, tuple[Any, str]],
    token_source: TokenSource | None = None,
    *,
    token_required: bool = True,
) -> LoadedSpec:
    """The validated spec from ``spec_path`` (``-``: stdin; ``None``: flags only), flag
    ``overrides`` (spec key -> (value, flag)) and ``token_source``.

    With ``token_required=False`` (nothing will hold the token, e.g. a Linux file that reads it
    from the environment) a spec without a token is accepted: a random stand-in that is written
    nowhere lets the rest be validated as usual.
    """
    from configgen.spec import checks

    name, text = COMMAND_LINE, None
    if spec_path is not None:
        name = "<stdin>" if spec_path == sources.STDIN else spec_path
        try:
            text = sources.read(spec_path, limit=SPEC_MAX_BYTES, pipes=True).text
        except sources.InputError as err:
            raise input_error(name, err) from None
    spec_input = parse(name, text)
    given = dict(overrides)
    notes: list[Finding] = []
    generated = None
    if token_source is not None:
        sourced = read_token(token_source)
        given["token"] = (sourced.token, sourced.origin)
        notes += [sourced.note] if sourced.note is not None else []
        generated = sourced.token if token_source.kind == GENERATE else None
    if not token_required and "token" not in given and "token" not in spec_input.values:
        given["token"] = (generate_token(), "<no token needed>")
    override(spec_input, given)
    token_spec, warnings = checks.resolve(spec_input)
    return LoadedSpec(token_spec, notes + warnings, spec_input, generated)


def parse(name: str, text: str | None) -> SpecInput:
    """Parse spec text (YAML, of which JSON is a subset); ``None`` means no spec file."""
    from configgen.parsing import helm_yaml

    if text is None:
        return SpecInput(name=COMMAND_LINE, values={})
    try:
        document = helm_yaml.load(text)
    except helm_yaml.YamlError as err:
        raise SpecError([_finding(name, err.position, err.message + ": fix the syntax")]) from None
    if document.data is None:
        message = "the spec is empty: write at least token and roles (see examples/token-spec.yaml)"
        raise SpecError([Finding(name, 0, 0, RULE, Severity.ERROR, message)])
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


def _finding(name: str, pos: Position, message: str) -> Finding:
    return Finding(name, pos.line, pos.column, RULE, Severity.ERROR, message)
