"""``fromExternalSecret`` through the real charts: what ``configgen render --external-secret``
writes gives the server exactly the spec's token, the documented recipe silently loses it (and
lint says so), and configgen's table of the Secret's keys is the charts' own.

Each chart gets one batch (one JVM); the full chart is rendered once, for 2.10.3, to show that no
rendered manifest holds the token or the placeholder.
"""

from __future__ import annotations

import base64
import textwrap
from typing import Any

import pytest
import yaml

from configgen.lint.run import LintOptions, lint_text
from configgen.product import auth_secret, profiles, tokens
from configgen.render.run import RenderRequest, run
from configgen.spec.token_source import VALUE as FROM_FLAG
from configgen.spec.token_source import TokenSource
from testing.helm_chart import BOOTSTRAP, CHART_IDS, VALUE, ChartOracles
from testing.helm_chart.mapping import AUTH_SERVER_TYPE, reads_external_secret
from testing.paths import ROOT

pytestmark = pytest.mark.oracle

TOKEN = "Xq7Lr2Vb9NcT4kWm8PzD1sYh6GfJ3aUe0oRi5nEt"
SECRET_NAME = "stackstate-auth"
EXTERNAL_CHARTS = ("2.2.0", "2.3.6", "2.10.3")
CLASSIC_CHARTS = ("5.1.15", "1.12.1")
MD5_PASSWORD = "098f6bcd4621d373cade4e832627b4f6"  # an adminPassword as the charts take it


def rendered_pair() -> tuple[str, dict[str, str]]:
    """The values and the Secret's data that ``render --external-secret`` writes for the
    example spec, with the one key configgen cannot know (the fallback admin) filled in."""
    result = run(
        RenderRequest(
            spec_path=str(ROOT / "examples" / "token-spec.yaml"),
            token_source=TokenSource(FROM_FLAG, TOKEN),
            targets=("kubernetes",),
            external_secret=SECRET_NAME,
        )
    )
    texts = [output.rendered.text for output in result.outputs]
    manifest = next(d for d in map(yaml.safe_load, texts) if d.get("kind") == "Secret")
    values = next(t for t in texts if "stackstate" in yaml.safe_load(t))
    data = {k: v or "" for k, v in manifest["stringData"].items()}
    data["default_password"] = MD5_PASSWORD
    return values, data


VALUES, SECRET = rendered_pair()
SPEC_ROLES = ["stackstate-power-user"]


def auth(block: str) -> str:
    body = textwrap.indent(textwrap.dedent(block).strip("\n"), "    ")
    return f"stackstate:\n  authentication:\n{body}\n"


RECIPE = auth(
    f"fromExternalSecret: {SECRET_NAME}\n"
    "serviceToken:\n  bootstrap:\n    roles: [stackstate-power-user]\n    ttl: 36h"
)
SECTIONS: dict[str, str] = {
    "token only": "",
    "ldap with bind": "ldap: {host: ldap.example.com, port: 636, bind: {dn: cn=x, password: p},"
    " userQuery: {parameters: {a: b}, usernameKey: uid},"
    " groupQuery: {parameters: {c: d}, rolesKey: cn}}",
    "ldap without bind": "ldap: {host: ldap.example.com, port: 636,"
    " userQuery: {parameters: {a: b}, usernameKey: uid},"
    " groupQuery: {parameters: {c: d}, rolesKey: cn}}",
    "oidc": "oidc: {clientId: c, secret: s, discoveryUri: https://idp.example.com/.well-known}",
    "keycloak": "keycloak: {url: https://kc.example.com, realm: r, clientId: c, secret: s}",
    "rancher": "rancher: {baseUrl: https://rancher.example.com, clientId: c, secret: s}",
    "file logins": "file: {logins: [{username: ann, passwordHash: "
    + MD5_PASSWORD
    + ", roles: [stackstate-admin]}, {username: bob_2, passwordHash: "
    + MD5_PASSWORD
    + ", roles: [stackstate-guest]}]}",
}


def with_external(section: str) -> str:
    block = f"fromExternalSecret: {SECRET_NAME}\n"
    block += f"serviceToken: {{bootstrap: {{token: '{tokens.EXTERNAL_SECRET_PLACEHOLDER}'}}}}\n"
    return auth(block + section)


@pytest.fixture(scope="module")
def outcomes(helm_charts: ChartOracles) -> dict[str, dict[str, Any]]:
    """Every chart: the rendered pair, the pair without bootstrap_token, the recipe, the
    sections of the key table."""
    found: dict[str, dict[str, Any]] = {}
    without_token = {k: v for k, v in SECRET.items() if k != "bootstrap_token"}
    for chart in CHART_IDS:
        documents = [VALUES, VALUES, RECIPE, *(with_external(s) for s in SECTIONS.values())]
        externals = [SECRET, without_token, SECRET, *([None] * len(SECTIONS))]
        results = helm_charts[chart].evaluate(
            documents,
            external_secrets=externals,
            queries=[(VALUE, BOOTSTRAP), (VALUE, AUTH_SERVER_TYPE)],
        )
        found[chart] = {
            "pair": results[0],
            "no-token": results[1],
            "recipe": results[2],
            "sections": dict(zip(SECTIONS, results[3:], strict=True)),
        }
    return found


@pytest.mark.parametrize("chart", EXTERNAL_CHARTS)
def test_the_rendered_pair_gives_the_server_the_spec(
    outcomes: dict[str, dict[str, Any]], chart: str
) -> None:
    pair = outcomes[chart]["pair"]
    assert not pair.broken, pair.verdict.explain()
    assert pair.verdict.kinds() <= {"external"}
    assert pair.value(BOOTSTRAP) == {"token": TOKEN, "roles": SPEC_ROLES, "ttl": "24h"}
    assert pair.value(AUTH_SERVER_TYPE) == [
        "stackstateAuthServer",
        "serviceTokenAuthServer",
        "k8sServiceAccountAuthServer",
    ]
    assert set(pair.verdict.external_keys) == {"bootstrap_token", "default_password"}
    assert TOKEN not in VALUES


@pytest.mark.parametrize("chart", EXTERNAL_CHARTS)
def test_a_secret_without_the_token_stops_the_server(
    outcomes: dict[str, dict[str, Any]], chart: str
) -> None:
    outcome = outcomes[chart]["no-token"]
    assert outcome.broken
    assert "resolve" in outcome.verdict.kinds()


@pytest.mark.parametrize("chart", EXTERNAL_CHARTS)
def test_the_documented_recipe_loses_the_token_and_lint_says_so(
    outcomes: dict[str, dict[str, Any]], chart: str
) -> None:
    outcome = outcomes[chart]["recipe"]
    assert outcome.broken
    assert "dropped" in outcome.verdict.kinds()
    assert "serviceTokenAuthServer" not in outcome.value(AUTH_SERVER_TYPE)
    options = LintOptions(profile=profiles.parse(f"suse-observability-{chart}"))
    rules = {f.rule for f in lint_text("values.yaml", RECIPE, "helm", options)}
    assert "external-secret-no-token" in rules


@pytest.mark.parametrize("chart", EXTERNAL_CHARTS)
@pytest.mark.parametrize("section", SECTIONS)
def test_configgen_knows_the_keys_the_chart_needs(
    outcomes: dict[str, dict[str, Any]], chart: str, section: str
) -> None:
    outcome = outcomes[chart]["sections"][section]
    data = yaml.safe_load(with_external(SECTIONS[section]))["stackstate"]["authentication"]
    profile = profiles.parse(f"suse-observability-{chart}")
    expected = sorted(k.name for k in auth_secret.required_keys(data, profile))
    assert sorted(outcome.verdict.external_keys) == expected, outcome.verdict.explain()


@pytest.mark.parametrize("chart", CLASSIC_CHARTS)
def test_classic_charts_ignore_the_option_and_use_the_placeholder(
    outcomes: dict[str, dict[str, Any]], chart: str
) -> None:
    pair = outcomes[chart]["pair"]
    assert pair.broken
    assert "dropped" in pair.verdict.kinds("fromExternalSecret")
    assert pair.value(BOOTSTRAP)["token"] == tokens.EXTERNAL_SECRET_PLACEHOLDER
    options = LintOptions(
        profile=profiles.parse("stackstate-5.1" if chart == "5.1.15" else "stackstate-k8s-1")
    )
    rules = {f.rule for f in lint_text("values.yaml", VALUES, "helm", options)}
    assert "external-secret-unsupported" in rules


@pytest.mark.parametrize("chart", CHART_IDS)
def test_the_product_fact_matches_the_chart(chart: str) -> None:
    line = {"5.1.15": "stackstate", "1.12.1": "stackstate-k8s"}.get(chart, "suse-observability")
    profile = profiles.parse(f"{line}-{chart}")
    assert profile.reads_external_secret == reads_external_secret(chart)


def test_no_rendered_manifest_holds_the_token(helm_charts: ChartOracles) -> None:
    """The whole 2.10.3 chart, rendered with the pair: the token and the placeholder are in no
    manifest, plain or base64 (the values' placeholder only makes the chart emit the block)."""
    full = helm_charts.full("2.10.3")
    outcome = full.check(VALUES, external_secret=SECRET)
    assert not outcome.broken, outcome.verdict.explain()
    text = full.renderer.manifests(VALUES)
    for secret in (TOKEN, tokens.EXTERNAL_SECRET_PLACEHOLDER):
        assert secret not in text
        assert base64.b64encode(secret.encode()).decode() not in text
