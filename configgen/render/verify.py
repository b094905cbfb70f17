"""Read rendered text back with the parsers and schemas, and compare with the spec.

This is configgen's guarantee that what it writes is what the chart and the server will read:
nothing is written unless the read-back gives exactly the spec.  Messages name fields, never the
token's value.
"""

from __future__ import annotations

from typing import Any

from configgen.parsing import helm_yaml, pyhocon_safe
from configgen.product import paths
from configgen.render.templates import Rendered, providers
from configgen.schema import validate
from configgen.spec.load import TokenSpec


class VerifyError(RuntimeError):
    """The rendered text does not read back as the spec: a configgen bug, nothing is written."""

    def __init__(self, filename: str, problems: list[str]) -> None:
        super().__init__(f"{filename}: " + "; ".join(problems))
        self.filename = filename
        self.problems = problems


def expected_bootstrap(spec: TokenSpec) -> dict[str, Any]:
    """The bootstrap mapping both files must contain."""
    expected: dict[str, Any] = {"token": spec.token, "roles": list(spec.roles), "ttl": spec.ttl}
    if spec.dedicated_subject is not None:
        expected["dedicatedSubject"] = spec.dedicated_subject
    return expected


def verify(rendered: Rendered, spec: TokenSpec) -> None:
    """Raise ``VerifyError`` unless ``rendered`` reads back as ``spec``."""
    name = rendered.target.filename
    try:
        if rendered.target.kind == "yaml":
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
    return problems + _compare(bootstrap, expected_bootstrap(spec))


def _verify_hocon(text: str, spec: TokenSpec, form: str) -> list[str]:
    data = pyhocon_safe.parse(text)
    path = ("authentication",) if form == "short" else paths.HOCON_AUTHENTICATION_PATH
    authentication = _at(data, path)
    problems = [
        p.message for p in validate.check("hocon-authentication", authentication, reference=True)
    ]
    bootstrap = _at(authentication, ("authServer", "serviceTokenAuthServer", "bootstrap"))
    problems += _compare(bootstrap, expected_bootstrap(spec))
    if _at(authentication, ("authServer", "authServerType")) != providers(spec):
        problems.append("authServerType differs from the login providers plus service tokens")
    return problems


def _at(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _compare(actual: Any, expected: dict[str, Any]) -> list[str]:
    if not isinstance(actual, dict):
        return ["the bootstrap block is missing"]
    problems = [
        f"{key} reads back differently" for key in expected if actual.get(key) != expected[key]
    ]
    problems += [f"unexpected key {key!r}" for key in actual if key not in expected]
    return problems
