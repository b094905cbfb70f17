"""The Helm chart oracle (``testing/helm_chart``) works, can fail, and agrees with the full chart;
and what ``configgen render`` writes for Helm is read by every chart exactly as the spec says.

Every chart id gets one batch (one JVM) of smoke documents on its trimmed chart; the agreement
of the trimmed with the full chart is checked on a small varied sample for the oldest and the
newest chart, which differ most (a Secret vs a ConfigMap, inline secrets vs ``${...}``).
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import pytest

from configgen.product import profiles
from configgen.render.run import RenderRequest, run
from configgen.spec.load import load
from configgen.spec.token_source import VALUE as FROM_FLAG
from configgen.spec.token_source import TokenSource
from testing import auth_variants
from testing.auth_variants import KINDS
from testing.differential import SEED
from testing.helm_chart import BOOTSTRAP, CHART_IDS, CHARTS, VALUE, ChartOracles, Outcome
from testing.helm_chart.mapping import AUTH_SERVER_TYPE, reads_external_secret
from testing.paths import ROOT

pytestmark = pytest.mark.oracle

TOKEN = "k7Qp2VwX9sLr4TzN8bYc1MfH6dJq3GeA0uRi5oWnEs"  # fixed and strong (no weak-token warning)
ROLES = ["stackstate-power-user", "stackstate-k8s-troubleshooter"]
SPEC = ROOT / "examples" / "token-spec.yaml"


def auth(block: str) -> str:
    """``block`` (YAML under ``stackstate.authentication``) as a whole values document."""
    body = textwrap.indent(textwrap.dedent(block).strip("\n"), "    ")
    return f"stackstate:\n  authentication:\n{body}\n"


def bootstrap(**fields: str) -> str:
    lines = "".join(f"\n    {key}: {value}" for key, value in fields.items())
    return auth(f"serviceToken:\n  bootstrap:{lines}")


GOOD = bootstrap(token=f'"{TOKEN}"', roles=f"[{', '.join(ROLES)}]", ttl="12h")
MISSPELLED = auth(f"servicetoken:\n  bootstrap:\n    token: {TOKEN}")
ROLES_STRING = bootstrap(token=TOKEN, roles="stackstate-admin")
TTL_COMPOUND = bootstrap(token=TOKEN, ttl="1h30m")
EXTERNAL = auth(
    "fromExternalSecret: my-auth\n"
    "serviceToken: {bootstrap: {token: placeholder, roles: [stackstate-admin]}}"
)
EXTERNAL_SECRET = {"bootstrap_token": "from-the-external-secret", "default_password": "x"}


def configgen_helm_values() -> tuple[str, dict[str, Any]]:
    """``authentication.yaml`` rendered from the example spec through configgen's own code,
    and the bootstrap block the spec says the server must read."""
    result = run(
        RenderRequest(
            spec_path=str(SPEC),
            token_source=TokenSource(FROM_FLAG, TOKEN),
            targets=("kubernetes",),
        )
    )
    (output,) = result.outputs
    spec = load(str(SPEC), {}, TokenSource(FROM_FLAG, TOKEN)).token_spec
    return output.rendered.text, spec.bootstrap()


CONFIGGEN_VALUES, SPEC_BOOTSTRAP = configgen_helm_values()


def ldap(user_parameters: str) -> str:
    """A complete LDAP block whose user query has ``user_parameters``."""
    return auth(
        "ldap:\n  host: ldap.example.org\n  port: 389\n"
        f"  userQuery: {{usernameKey: uid, parameters: {user_parameters}}}\n"
        "  groupQuery: {rolesKey: cn, parameters: [{ou: groups}]}"
    )


LDAP_PARAMETERS = {
    "ldap_parameters_list": ldap("[{ou: people}, {dc: example}]"),
    "ldap_parameters_string": ldap("'ou=people,dc=example'"),
}

SMOKE = {
    **LDAP_PARAMETERS,
    "good": GOOD,
    "misspelled": MISSPELLED,
    "roles_string": ROLES_STRING,
    "ttl_compound": TTL_COMPOUND,
    "configgen": CONFIGGEN_VALUES,
}


@pytest.fixture(scope="module")
def smoke(helm_charts: ChartOracles) -> dict[str, dict[str, Outcome]]:
    """Every smoke document through every trimmed chart: one batch (one JVM) per chart; the
    2.x charts also get the external-Secret documents."""
    outcomes: dict[str, dict[str, Outcome]] = {}
    for chart, oracle in helm_charts.items():
        cases = dict(SMOKE)
        secrets: list[dict[str, str] | None] = [None] * len(cases)
        if reads_external_secret(chart):
            cases |= {"external_given": EXTERNAL, "external_missing_key": EXTERNAL}
            secrets += [EXTERNAL_SECRET, {"default_password": "x"}]
        found = oracle.evaluate(
            list(cases.values()), external_secrets=secrets, queries=[(VALUE, BOOTSTRAP)]
        )
        outcomes[chart] = dict(zip(cases, found, strict=True))
    return outcomes


@pytest.mark.parametrize("chart", CHART_IDS)
def test_a_good_bootstrap_token_is_read_exactly(
    smoke: dict[str, dict[str, Outcome]], chart: str
) -> None:
    outcome = smoke[chart]["good"]
    assert not outcome.broken, outcome.verdict.explain()
    assert outcome.value(BOOTSTRAP) == {"token": TOKEN, "roles": ROLES, "ttl": "12h"}
    assert "serviceTokenAuthServer" in outcome.verdict.resolved[AUTH_SERVER_TYPE]


@pytest.mark.parametrize("chart", CHART_IDS)
def test_a_misspelled_block_is_dropped(smoke: dict[str, dict[str, Outcome]], chart: str) -> None:
    outcome = smoke[chart]["misspelled"]
    assert outcome.broken
    assert outcome.verdict.kinds() == {"dropped"}
    assert outcome.verdict.kinds("servicetoken.bootstrap.token") == {"dropped"}
    assert outcome.answer(BOOTSTRAP).missing


@pytest.mark.parametrize("chart", CHART_IDS)
def test_roles_as_a_string_fail_the_render(
    smoke: dict[str, dict[str, Outcome]], chart: str
) -> None:
    outcome = smoke[chart]["roles_string"]
    assert not outcome.rendered.ok
    assert outcome.verdict.kinds() == {"render"}
    assert outcome.read is None


@pytest.mark.parametrize("chart", CHART_IDS)
def test_a_compound_ttl_is_refused_by_the_server(
    smoke: dict[str, dict[str, Outcome]], chart: str
) -> None:
    outcome = smoke[chart]["ttl_compound"]
    assert outcome.broken
    assert outcome.verdict.kinds("serviceToken.bootstrap.ttl") == {"type"}
    assert outcome.value(BOOTSTRAP)["ttl"] == "1h30m"  # written as asked, refused when read


@pytest.mark.parametrize("chart", CHART_IDS)
def test_ldap_parameters_are_read_as_a_list_of_mappings_not_a_string(
    smoke: dict[str, dict[str, Outcome]], chart: str
) -> None:
    key = "ldap.userQuery.parameters"
    listed = smoke[chart]["ldap_parameters_list"]
    assert not listed.broken, listed.verdict.explain()
    string = smoke[chart]["ldap_parameters_string"]
    assert string.broken
    assert string.verdict.kinds(key) == {"type"}


@pytest.mark.parametrize("chart", [c for c in CHART_IDS if reads_external_secret(c)])
def test_an_external_secret_resolves_the_token(
    smoke: dict[str, dict[str, Outcome]], chart: str
) -> None:
    given, missing = smoke[chart]["external_given"], smoke[chart]["external_missing_key"]
    assert not given.broken, given.verdict.explain()
    assert given.verdict.kinds("serviceToken.bootstrap.token") == {"external"}
    assert given.value(BOOTSTRAP)["token"] == EXTERNAL_SECRET["bootstrap_token"]
    assert "bootstrap_token" in given.verdict.external_keys
    assert given.rendered.auth_secret is None  # the chart renders no auth Secret then
    assert missing.broken
    assert missing.verdict.kinds() == {"resolve"}


BOOTSTRAP_CHARTS = [
    c for c in CHART_IDS if profiles.parse(CHARTS[c].product).supports_bootstrap_token
]


@pytest.mark.parametrize("chart", BOOTSTRAP_CHARTS)
def test_configgen_helm_values_are_read_as_the_spec_says(
    smoke: dict[str, dict[str, Outcome]], chart: str
) -> None:
    outcome = smoke[chart]["configgen"]
    assert not outcome.broken, outcome.verdict.explain()
    assert outcome.value(BOOTSTRAP) == SPEC_BOOTSTRAP
    assert SPEC_BOOTSTRAP["token"] == TOKEN


# --- the trimmed chart agrees with the full one ------------------------------------------------

AGREEMENT_CHARTS = ("5.1.15", "2.10.3")  # oldest and newest: they differ the most
SAMPLE = {
    "good": GOOD,
    "number_token": bootstrap(token="123456789", roles="[stackstate-admin]"),
    "comma_role": bootstrap(token=TOKEN, roles='["cn=admins,ou=x"]'),
    "ttl_null": bootstrap(token=TOKEN, ttl="null"),
    "misspelled": MISSPELLED,
    "ldap": auth("""
        ldap:
          host: ldap.example.org
          port: 636
          bind: {dn: "cn=svc,dc=example,dc=org", password: bindpw}
          ssl: {type: ssl, trustCertificates: "-----BEGIN CERTIFICATE-----"}
          userQuery: {parameters: [{ou: people}], usernameKey: uid}
          groupQuery: {parameters: [{ou: groups}], rolesKey: cn}
        """),
    "oidc_no_discovery": auth("oidc: {clientId: c, secret: s}"),
    "external": EXTERNAL,
    # one variant of each kind of the differential test (testing/auth_variants.py)
    **{f"{v.kind}: {v.detail}": v.text for v in auth_variants.variants(len(KINDS), SEED)},
}
BCRYPT = re.compile(r"\$2[abxy]?\$\d\d\$[./0-9A-Za-z]{53}")  # 2.10 salts a new hash each render


def _documents(outcome: Outcome) -> tuple[bool, str | None, dict[str, str] | None]:
    r = outcome.rendered
    secret = r.auth_secret and {k: BCRYPT.sub("<bcrypt>", v) for k, v in r.auth_secret.items()}
    return r.ok, r.config and BCRYPT.sub("<bcrypt>", r.config), secret


@pytest.mark.parametrize("chart", AGREEMENT_CHARTS)
def test_the_trimmed_chart_agrees_with_the_full_chart(
    helm_charts: ChartOracles, chart: str
) -> None:
    texts = list(SAMPLE.values())
    trimmed = helm_charts[chart].evaluate(texts)
    full = helm_charts.full(chart).evaluate(texts)
    for name, t, f in zip(SAMPLE, trimmed, full, strict=True):
        assert t.verdict.signature() == f.verdict.signature(), name
        assert _documents(t) == _documents(f), name
    assert {o.broken for o in trimmed} == {True, False}  # the sample has both


def test_the_full_chart_renders_more_than_the_trimmed_one(helm_charts: ChartOracles) -> None:
    """The trimmed chart is really trimmed (else the agreement above proves nothing)."""
    trimmed = helm_charts["2.10.3"].check("{}\n").rendered.manifests
    full = helm_charts.full("2.10.3").check("{}\n").rendered.manifests
    assert set(trimmed) < set(full)
    assert len(full) > 5 * len(trimmed)
