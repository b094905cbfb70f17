"""Render a token spec into the files the Helm chart and the server read.

Every value reaches a template through the ``q`` filter (``quoting.literal``); the environment's
``finalize`` hook refuses any other value, so a template cannot print a raw string by mistake.
Templates come from the installed package only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING, Any

from configgen import resources
from configgen.findings import Finding, FindingsError, JsonPath, Severity, format_json_path
from configgen.parsing.kinds import HELM
from configgen.product import auth_secret, linux_env, quoting, tokens
from configgen.product.auth_secret import SecretKey
from configgen.render.targets import FULL, SHORT, Target
from configgen.spec.model import TokenSpec

if TYPE_CHECKING:
    import jinja2

RULE = "render"


@dataclass(frozen=True)
class Rendered:
    """The text of one output file, and where its token went (for the read-back)."""

    target: Target
    text: str = field(repr=False)
    hocon_form: str = FULL
    external_secret: str | None = None  # Helm values: fromExternalSecret, a placeholder token
    env_var: str | None = None  # HOCON: token = ${env_var}; environment file: the variable
    secret_keys: tuple[str, ...] = ()  # Secret manifest: its keys, bootstrap_token first


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


def _comment(value: Any) -> _Literal:
    """Text for a comment: one line, nothing a reader could take for more."""
    if not isinstance(value, str) or quoting.first_unreadable(value) is not None:
        raise TypeError("a comment must be one line of printable text")
    return _Literal(value)


def _env_name(value: Any) -> _Literal:
    if not isinstance(value, str) or not linux_env.VARIABLE.fullmatch(value):
        raise TypeError("not an environment variable name configgen writes")
    return _Literal(value)


def _substitution(value: Any) -> _Literal:
    """``${NAME}``: Lightbend config reads it from the environment variable NAME."""
    return _Literal("${" + _env_name(value) + "}")


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
    env.filters["comment"] = _comment
    env.filters["env_name"] = _env_name
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


def render(
    spec: TokenSpec,
    target: Target,
    *,
    hocon_form: str = FULL,
    external_secret: str | None = None,
    env_var: str | None = None,
) -> Rendered:
    """The text of ``target`` for ``spec``; ``RenderError`` if it cannot be written faithfully.

    ``external_secret`` (Helm values): name the Secret the chart loads the token from and write
    the placeholder token instead of the token.  ``env_var`` (HOCON): ``token = ${env_var}``.
    """
    check_target(spec, target)
    if target.kind == HELM:
        template = "authentication.yaml.j2"
        env_var = None
        token = _quote(
            spec.token if external_secret is None else tokens.EXTERNAL_SECRET_PLACEHOLDER
        )
    else:
        template = SHORT_TEMPLATE if hocon_form == SHORT else FULL_TEMPLATE
        external_secret = None
        token = _quote(spec.token) if env_var is None else _substitution(env_var)
    text = (
        _environment()
        .get_template(template)
        .render(
            spec=spec,
            providers=spec.auth_server_types,
            token=token,
            external_secret=external_secret,
            env_var=env_var,
        )
    )
    return Rendered(target, text, hocon_form, external_secret, env_var)


FULL_TEMPLATE = "application_stackstate.conf.j2"
SHORT_TEMPLATE = "application_stackstate.short.conf.j2"


@dataclass(frozen=True)
class _SecretEntry:
    name: str
    what: str
    value: str = field(repr=False)


def render_secret(spec: TokenSpec, target: Target, name: str, keys: list[SecretKey]) -> Rendered:
    """The Secret manifest ``name`` for ``fromExternalSecret``: ``bootstrap_token`` holds the
    token; the other ``keys`` are left empty, each with a comment saying what goes there."""
    entries = [
        _SecretEntry(k.name, k.what, spec.token if k.name == auth_secret.BOOTSTRAP_TOKEN else "")
        for k in keys
    ]
    text = (
        _environment()
        .get_template("secret.yaml.j2")
        .render(name=name, keys=entries, filename=_comment(target.filename))
    )
    return Rendered(target, text, secret_keys=tuple(k.name for k in keys))


def render_env_file(spec: TokenSpec, target: Target, variable: str) -> Rendered:
    """An environment file for systemd's ``EnvironmentFile=``: ``variable="token"``."""
    text = (
        _environment()
        .get_template("token.env.j2")
        .render(variable=_env_name(variable), token=spec.token)
    )
    return Rendered(target, text, env_var=variable)


def _strings(spec: TokenSpec) -> list[tuple[JsonPath, str]]:
    named: list[tuple[JsonPath, str]] = [(("token",), spec.token), (("ttl",), spec.ttl)]
    named += [(("roles", i), role) for i, role in enumerate(spec.roles)]
    if spec.dedicated_subject is not None:
        named.append((("dedicatedSubject",), spec.dedicated_subject))
    return named
