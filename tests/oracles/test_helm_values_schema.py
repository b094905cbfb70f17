"""``configgen schema helm-values --product P`` as a chart's ``values.schema.json``, judged by real
Helm on every chart line configgen supports: the chart's defaults and good files pass, the
mistakes lint calls errors are refused by Helm itself, with a schema error."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from configgen.product import profiles
from testing.cli import ROLE, TOKEN, invoke, spec_text, write_spec
from testing.helm_chart import charts
from testing.helm_chart.oracle import ChartOracles
from testing.helm_chart.render import Renderer

pytestmark = pytest.mark.oracle

SCHEMA_ERROR = "values don't meet the specifications of the schema"
BAD_REGEX = "pattern must be a valid regex"


def _auth(block: str) -> str:
    """A values file with ``block`` (YAML, indented for the section) under the auth section."""
    return "stackstate:\n  authentication:\n" + block


# Each is a mistake configgen lint reports as an error; each must stop Helm at the schema.
REFUSED = {
    "servicetoken misspelled": "    servicetoken:\n      bootstrap:\n        token: abcdefgh\n",
    "roles as a string": "    serviceToken:\n      bootstrap:\n"
    f"        token: {TOKEN}\n        roles: stackstate-admin\n",
    "ISO-8601 ttl": "    serviceToken:\n      bootstrap:\n"
    f"        token: {TOKEN}\n        roles: [{ROLE}]\n        ttl: PT24H\n",
    "oidc.scopes misspelled": "    oidc:\n      clientId: a\n      secret: b\n"
    "      discoveryUri: https://idp/.well-known/openid-configuration\n      scopes: [openid]\n",
    "oidc.scope as a string": "    oidc:\n      clientId: a\n      secret: b\n"
    "      discoveryUri: https://idp/.well-known/openid-configuration\n      scope: openid\n",
    "keycloak without url": "    keycloak:\n      realm: r\n      clientId: a\n      secret: b\n",
    "ldap.port a word": "    ldap:\n      host: ldap.example\n      port: ldaps\n"
    "      userQuery:\n        parameters: {ou: people}\n        usernameKey: uid\n"
    "      groupQuery:\n        parameters: {ou: groups}\n        rolesKey: cn\n",
    "file.logins empty": "    file:\n      logins: []\n",
    "a custom role as a list": "    roles:\n      custom:\n        ops: [a]\n",
}

ACCEPTED = {
    "oidc complete": "    oidc:\n      clientId: a\n      secret: b\n"
    "      discoveryUri: https://idp/.well-known/openid-configuration\n"
    "      scope: [openid, email]\n      jwtClaims:\n        usernameField: sub\n",
    "ldap complete": "    ldap:\n      host: ldap.example\n      port: 636\n"
    "      ssl:\n        type: ssl\n"
    "      userQuery:\n        parameters: {ou: people}\n        usernameKey: uid\n"
    "      groupQuery:\n        parameters: {ou: groups}\n        rolesKey: cn\n",
    "ldap parameters as a list": "    ldap:\n      host: ldap.example\n      port: 389\n"
    "      userQuery:\n        parameters: [{ou: people}, {dc: example}]\n"
    "        usernameKey: uid\n"
    "      groupQuery:\n        parameters: [{ou: groups}]\n        rolesKey: cn\n",
    "empty provider block": "    keycloak: {}\n",
    "session lifetime": "    sessionLifetime: 12h\n",
    "file login": "    file:\n      logins:\n        - username: ops\n"
    "          passwordHash: 5f4dcc3b5aa765d61d8327deb882cf99\n"
    "          roles: [stackstate-admin]\n",
}


# Keys some versions drop (lint: ``auth-key-not-read``, ``external-secret-unsupported``): the
# schema of a version that drops one refuses it set, and lets it through where it is read.
# Each: the Profile property that says where it is read, and the block.
VERSIONED = {
    "fromExternalSecret": ("reads_external_secret", "    fromExternalSecret: my-auth-secret\n"),
    "rancher": ("reads_rancher", "    rancher:\n      baseUrl: https://rancher.example\n"
                "      clientId: a\n      secret: b\n"),
    "resourcePermissions": ("reads_resource_permissions", "    roles:\n      custom:\n"
                            "        ops:\n          resourcePermissions: {a: [b]}\n"),
}  # fmt: skip


def _schema(chart: charts.Chart) -> str:
    result = invoke(["schema", "helm-values", "--product", chart.product])
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module", params=charts.CHART_IDS)
def renderer(
    request: pytest.FixtureRequest,
    helm_charts: ChartOracles,
    tmp_path_factory: pytest.TempPathFactory,
) -> Renderer:
    """The trimmed chart with configgen's schema as its ``values.schema.json``."""
    chart = charts.CHARTS[request.param]
    workdir = tmp_path_factory.mktemp(f"schema-{chart.id}")
    chart_dir = charts.prepare(chart.id, workdir / "chart", trimmed=True)
    (chart_dir / "values.schema.json").write_text(_schema(chart), encoding="utf-8")
    return Renderer(helm_charts.helm, chart_dir, chart.release, charts.BASE_VALUES, workdir)


def test_chart_defaults_and_the_base_values_pass(renderer: Renderer) -> None:
    rendered = renderer.render("{}\n")
    assert rendered.ok, rendered.error


def test_a_rendered_bootstrap_file_passes(renderer: Renderer, tmp_path: Path) -> None:
    spec = write_spec(tmp_path, spec_text(ttl="36h"))
    result = invoke(["render", str(spec), "--target", "kubernetes"])
    assert result.exit_code == 0, result.stderr
    assert "serviceToken" in result.stdout
    rendered = renderer.render(result.stdout)
    assert SCHEMA_ERROR not in rendered.error
    assert rendered.ok, rendered.error


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_mistakes_stop_helm_at_the_schema(renderer: Renderer, case: str) -> None:
    rendered = renderer.render(_auth(REFUSED[case]))
    assert not rendered.ok
    assert SCHEMA_ERROR in rendered.error, rendered.error


@pytest.mark.parametrize("case", sorted(ACCEPTED))
def test_good_provider_blocks_pass_the_schema(renderer: Renderer, case: str) -> None:
    rendered = renderer.render(_auth(ACCEPTED[case]))
    assert rendered.ok, rendered.error


@pytest.mark.parametrize("key", sorted(VERSIONED))
def test_keys_a_version_drops_stop_helm_there_only(
    renderer: Renderer, key: str, request: pytest.FixtureRequest
) -> None:
    reads, block = VERSIONED[key]
    chart = charts.CHARTS[request.node.callspec.params["renderer"]]
    rendered = renderer.render(_auth(block))
    if getattr(profiles.parse(chart.product), reads):
        assert SCHEMA_ERROR not in rendered.error
    else:
        assert SCHEMA_ERROR in rendered.error, rendered.error


def _patterns(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            else:
                yield from _patterns(value)
    elif isinstance(node, list):
        for value in node:
            yield from _patterns(value)


def _with_pattern_of_every_schema() -> dict[str, Any]:
    from configgen import resources

    patterns = sorted({p for n in resources.SCHEMA_NAMES for p in _patterns(resources.schema(n))})
    assert len(patterns) >= 5
    return {
        "type": "object",
        "properties": {f"p{i}": {"type": "string", "pattern": p} for i, p in enumerate(patterns)},
    }


@pytest.fixture(scope="module")
def chart_2_10(helm_charts: ChartOracles, tmp_path_factory: pytest.TempPathFactory) -> Path:
    workdir = tmp_path_factory.mktemp("schema-regex")
    return charts.prepare("2.10.3", workdir / "chart", trimmed=True)


def _render_with(helm_charts: ChartOracles, chart_dir: Path, schema: dict[str, Any]) -> str:
    (chart_dir / "values.schema.json").write_text(json.dumps(schema), encoding="utf-8")
    chart = charts.CHARTS["2.10.3"]
    renderer = Renderer(helm_charts.helm, chart_dir, chart.release, charts.BASE_VALUES,
                        chart_dir.parent)  # fmt: skip
    rendered = renderer.render("{}\n")
    return "" if rendered.ok else rendered.error


def test_helm_compiles_every_pattern_of_every_shipped_schema(
    helm_charts: ChartOracles, chart_2_10: Path
) -> None:
    assert _render_with(helm_charts, chart_2_10, _with_pattern_of_every_schema()) == ""


def test_helm_refuses_a_look_ahead_pattern(helm_charts: ChartOracles, chart_2_10: Path) -> None:
    """The old duration pattern: proves the test above can fail."""
    old = {"properties": {"d": {"type": "string", "pattern": "^[0-9]+s$(?![\\s\\S])"}}}
    assert BAD_REGEX in _render_with(helm_charts, chart_2_10, old)
