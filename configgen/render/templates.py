"""Render a token spec into the files the Helm chart and the server read.

Every value reaches a template through the ``q`` filter (``quoting.literal``); the environment's
``finalize`` hook refuses any other value, so a template cannot print a raw string by mistake.
Templates come from the installed package only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from configgen import resources
from configgen.findings import Finding, FindingsError, JsonPath, Severity, format_json_path
from configgen.parsing.kinds import HELM
from configgen.product import quoting
from configgen.render.targets import FULL, SHORT, Target
from configgen.spec.model import TokenSpec

if TYPE_CHECKING:
    import jinja2

RULE = "render"


@dataclass(frozen=True)
class Rendered:
    """The text of one output file."""

    target: Target
    text: str
    hocon_form: str = FULL


class RenderError(FindingsError):
    """The spec cannot be written for this target; ``findings`` says why."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        super().__init__(findings, f"{len(findings)} problem(s) rendering")


class _Literal(str):
    """A string that went through the quoting filter."""

    __slots__ = ()


def _quote(value: Any) -> _Literal:
    if not isinstance(value, str):
        raise TypeError(f"only strings are rendered, got {type(value).__name__}")
    return _Literal(quoting.literal(value))


def _finalize(value: Any) -> Any:
    if isinstance(value, _Literal):
        return value
    raise TypeError("template printed a value without the q filter")


@cache
def _environment() -> jinja2.Environment:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(resources.template_text),
        undefined=jinja2.StrictUndefined,
        autoescape=False,  # noqa: S701 - YAML and HOCON, not HTML; values are quoted by q
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        finalize=_finalize,
    )
    env.filters["q"] = _quote
    return env


def check_target(spec: TokenSpec, target: Target, source: str = "<spec>") -> None:
    """Refuse values the target's consumer would not read back exactly."""
    problems: list[Finding] = []

    def refuse(json_path: JsonPath, message: str) -> None:
        problems.append(Finding(source, 0, 0, RULE, Severity.ERROR, message, json_path))

    for json_path, value in _strings(spec):
        bad = quoting.first_unreadable(value)
        if bad is not None:
            refuse(
                json_path,
                f"{format_json_path(json_path)}: contains U+{ord(bad):04X}, which "
                "not every consumer reads back exactly: remove it",
            )
    if target.kind == HELM:
        for index, role in enumerate(spec.roles):
            if not quoting.is_unquoted_hocon_safe(role):
                refuse(
                    ("roles", index),
                    f"roles[{index}]: the Helm chart writes roles into "
                    "HOCON without quotes, where this name would be split, merged or misread; "
                    "use a role name of letters, digits, '-', '_' and '.', or render "
                    "--target linux",
                )
    if problems:
        raise RenderError(problems)


def render(spec: TokenSpec, target: Target, *, hocon_form: str = FULL) -> Rendered:
    """The text of ``target`` for ``spec``; ``RenderError`` if it cannot be written faithfully."""
    check_target(spec, target)
    if target.kind == HELM:
        template = "authentication.yaml.j2"
    elif hocon_form == SHORT:
        template = "application_stackstate.short.conf.j2"
    else:
        template = "application_stackstate.conf.j2"
    text = _environment().get_template(template).render(spec=spec, providers=spec.auth_server_types)
    return Rendered(target, text, hocon_form)


def _strings(spec: TokenSpec) -> list[tuple[JsonPath, str]]:
    named: list[tuple[JsonPath, str]] = [(("token",), spec.token), (("ttl",), spec.ttl)]
    named += [(("roles", i), role) for i, role in enumerate(spec.roles)]
    if spec.dedicated_subject is not None:
        named.append((("dedicatedSubject",), spec.dedicated_subject))
    return named
