"""Read rendered text back with the parsers and schemas, and compare with the spec.

This is configgen's guarantee that what it writes is what the chart and the server will read:
nothing is written unless the read-back gives exactly the spec.  The parsers here are
independent of the ones ``configgen lint`` uses for HOCON (pyhocon, not configgen's own), and
validation uses jsonschema itself, not configgen's subset validator.  Messages name fields,
never the token's value.
"""

from __future__ import annotations

from typing import Any

from configgen.parsing import helm_yaml, pyhocon_safe
from configgen.parsing.documents import lookup
from configgen.parsing.kinds import HELM
from configgen.product import paths
from configgen.render.targets import SHORT
from configgen.render.templates import Rendered
from configgen.schema import validate
from configgen.spec.model import TokenSpec


class VerifyError(RuntimeError):
    """The rendered text does not read back as the spec: a configgen bug, nothing is written."""

    def __init__(self, filename: str, problems: list[str]) -> None:
        super().__init__(f"{filename}: " + "; ".join(problems))
        self.filename = filename
        self.problems = problems


def verify(rendered: Rendered, spec: TokenSpec) -> None:
    """Raise ``VerifyError`` unless ``rendered`` reads back as ``spec``."""
    name = rendered.target.filename
    try:
        if rendered.target.kind == HELM:
            problems = _verify_yaml(rendered.text, spec)
        else:
            problems = _verify_hocon(rendered.text, spec, rendered.hocon_form)
    except (helm_yaml.YamlError, pyhocon_safe.HoconError) as err:
        problems = [f"does not parse back ({err})"]
    if problems:
        raise VerifyError(name, problems)


def _verify_yaml(text: str, spec: TokenSpec) -> list[str]:
    data = helm_yaml.load(text).data
    problems = [p.message for p in validate.check("helm-values", data, reference=True)]
    bootstrap = _at(data, paths.HELM_BOOTSTRAP_PATH)
    return problems + _compare(bootstrap, spec.bootstrap())


def _verify_hocon(text: str, spec: TokenSpec, form: str) -> list[str]:
    data = pyhocon_safe.parse(text)
    section = (
        paths.HOCON_SHORT_AUTHENTICATION_PATH if form == SHORT else paths.HOCON_AUTHENTICATION_PATH
    )
    authentication = _at(data, section)
    problems = [
        p.message for p in validate.check("hocon-authentication", authentication, reference=True)
    ]
    problems += _compare(_at(authentication, paths.BOOTSTRAP_SUFFIX), spec.bootstrap())
    if _at(authentication, paths.AUTH_SERVER_TYPE_SUFFIX) != spec.auth_server_types:
        problems.append("authServerType differs from the login providers plus service tokens")
    return problems


def _at(data: Any, path: tuple[str, ...]) -> Any:
    return lookup(data, path)[1]


def _compare(actual: Any, expected: dict[str, Any]) -> list[str]:
    if not isinstance(actual, dict):
        return ["the bootstrap block is missing"]
    problems = [
        f"{key} reads back differently" for key in expected if actual.get(key) != expected[key]
    ]
    problems += [f"unexpected key {key!r}" for key in actual if key not in expected]
    return problems
