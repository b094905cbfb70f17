"""Read rendered text back with the parsers and schemas, and compare with the spec.

This is configgen's guarantee that what it writes is what the chart and the server will read:
nothing is written unless the read-back gives exactly the spec.  The parsers here are
independent of the ones ``configgen lint`` uses for HOCON (pyhocon, not configgen's own), and
validation uses jsonschema itself, not configgen's subset validator.  Messages name fields,
never the token's value.
"""

from __future__ import annotations

import re
from typing import Any

from configgen.parsing import helm_yaml, pyhocon_safe
from configgen.parsing.documents import lookup
from configgen.parsing.kinds import HELM
from configgen.parsing.manifests import read as read_manifests
from configgen.parsing.unresolved import Unresolved
from configgen.product import auth_secret, paths, tokens
from configgen.render.targets import ENVIRONMENT, SECRET_MANIFEST, SHORT
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
    kind = rendered.target.kind
    try:
        if kind == HELM:
            problems = _verify_yaml(rendered, spec)
        elif kind == SECRET_MANIFEST:
            problems = _verify_secret(rendered, spec)
        elif kind == ENVIRONMENT:
            problems = _verify_environment(rendered, spec)
        else:
            problems = _verify_hocon(rendered, spec)
    except (helm_yaml.YamlError, pyhocon_safe.HoconError) as err:
        problems = [f"does not parse back ({err})"]
    if problems:
        raise VerifyError(name, problems)


def _verify_yaml(rendered: Rendered, spec: TokenSpec) -> list[str]:
    data = helm_yaml.load(rendered.text).data
    problems = [p.message for p in validate.check("helm-values", data, reference=True)]
    bootstrap = _at(data, paths.HELM_BOOTSTRAP_PATH)
    expected = spec.bootstrap()
    if rendered.external_secret is not None:
        expected["token"] = tokens.EXTERNAL_SECRET_PLACEHOLDER
        section = _at(data, paths.HELM_AUTHENTICATION_PATH)
        if auth_secret.external_secret(section) != rendered.external_secret:
            problems.append("fromExternalSecret does not read back as the Secret's name")
        problems += _no_token(rendered.text, spec)
    return problems + _compare(bootstrap, expected)


def _verify_hocon(rendered: Rendered, spec: TokenSpec) -> list[str]:
    data = pyhocon_safe.parse(rendered.text)
    section = (
        paths.HOCON_SHORT_AUTHENTICATION_PATH
        if rendered.hocon_form == SHORT
        else paths.HOCON_AUTHENTICATION_PATH
    )
    authentication = _at(data, section)
    problems = [
        p.message for p in validate.check("hocon-authentication", authentication, reference=True)
    ]
    expected: dict[str, Any] = spec.bootstrap()
    if rendered.env_var is not None:
        expected["token"] = Unresolved("${" + rendered.env_var + "}")
        problems += _no_token(rendered.text, spec)
    problems += _compare(_at(authentication, paths.BOOTSTRAP_SUFFIX), expected)
    if _at(authentication, paths.AUTH_SERVER_TYPE_SUFFIX) != spec.auth_server_types:
        problems.append("authServerType differs from the login providers plus service tokens")
    return problems


def _verify_secret(rendered: Rendered, spec: TokenSpec) -> list[str]:
    """The Secret manifest, read as YAML and as lint reads manifests."""
    documents = helm_yaml.load_all(rendered.text)
    data = documents[0].data if len(documents) == 1 else None
    if not isinstance(data, dict):
        return ["not one Secret document"]
    problems = []
    expected = dict.fromkeys(rendered.secret_keys, "") | {auth_secret.BOOTSTRAP_TOKEN: spec.token}
    header = {k: data.get(k) for k in ("apiVersion", "kind", "type")}
    if header != {"apiVersion": "v1", "kind": "Secret", "type": "Opaque"}:
        problems.append("apiVersion, kind or type is not that of a v1 Secret")
    if set(data) != {"apiVersion", "kind", "metadata", "type", "stringData"}:
        problems.append("keys other than those of the Secret")
    if data.get("stringData") != expected or list(data["stringData"]) != list(expected):
        problems.append("stringData does not read back as the keys, the token first")
    manifests = read_manifests("secret", documents).manifests
    name = _at(data, ("metadata", "name"))
    if len(manifests) != 1 or manifests[0].secret_name != name or manifests[0].problems:
        problems.append("lint does not read it as the Secret it is")
    return problems


def _verify_environment(rendered: Rendered, spec: TokenSpec) -> list[str]:
    """One ``NAME="token"`` line that systemd reads as the token (no escapes, no expansion)."""
    lines = [line for line in rendered.text.splitlines() if not line.startswith("#")]
    if lines != [f'{rendered.env_var}="{spec.token}"'] or not _ENV_SAFE.fullmatch(spec.token):
        return ["the environment file does not read back as one assignment of the token"]
    return []


_ENV_SAFE = re.compile(r"[A-Za-z0-9._~+/=-]+")  # nothing systemd unquotes, escapes or expands


def _no_token(text: str, spec: TokenSpec) -> list[str]:
    """The guarantee of the external forms: the token is nowhere in the text."""
    return ["the token appears in a file that must not hold it"] if spec.token in text else []


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
