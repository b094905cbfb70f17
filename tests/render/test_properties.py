"""Property tests from the issue.

For every spec the schema accepts, including hostile strings (quotes, backslashes, ``${...}``,
``include url(...)``, ``#``, ``//``, ``,``, ``]``, ``}``, unicode, emoji), render then parse gives
back exactly the spec, in both formats.  Specs the schema rejects never render.
"""

from __future__ import annotations

import string
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from configgen import resources
from configgen.findings import Severity
from configgen.parsing.pyhocon_safe import parse as parse_hocon
from configgen.product import auth, auth_secret, durations, quoting, tokens
from configgen.render import targets, verify
from configgen.render.targets import HOCON_FORMS, TARGETS
from configgen.render.templates import RenderError, render, render_env_file, render_secret
from configgen.schema import validate
from configgen.spec.checks import SCHEMA, resolve
from configgen.spec.load import SpecInput
from configgen.spec.model import SpecError, TokenSpec
from testing.cli import helm_bootstrap, hocon_authentication

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

TOKEN_ALPHABET = string.ascii_letters + string.digits + "._~+/=-"
HOSTILE = [
    '"', "'", '"""', "\\", "\\n", "\\u0041", "${HOME}", "${?bootstrap_token}", "$", "${",
    'include url("http://127.0.0.1:9/x")', 'include "x"', 'include file("/etc/passwd")',
    "include", "#", "//", "/*", ",", "]", "[", "}", "{", ":", "=", "+=", "?", "!", "@", "*",
    "&", "`", "^", " ", "  ", "true", "null", "0777", "1e3", "yes", "no", "24h", "-", ".",
    "é", "運用", "🚀", "👩‍👩‍👧", "\u00a0", "\u200b", "\u3000", "\U0001d54f", "\ue000",
    "cn=admins,ou=x", "---", "- a", "? x", "%YAML", "&anchor", "*alias", "!!str", "|", ">",
]  # fmt: skip
NAME_CHARACTERS = st.characters(
    codec="utf-8",
    exclude_categories=("Cc", "Cs"),
    exclude_characters="\u2028\u2029\ufeff\ufffe\uffff",
)
K8S_SAFE_NAMES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-]{0,24}", fullmatch=True)
HOSTILE_NAMES = st.lists(
    st.one_of(st.sampled_from(HOSTILE), st.text(NAME_CHARACTERS, min_size=1, max_size=6)),
    min_size=1,
    max_size=6,
).map("".join)
NAMES = st.one_of(K8S_SAFE_NAMES, HOSTILE_NAMES).map(str.strip).filter(lambda s: 0 < len(s) <= 256)
UNITS = [
    "ns", "nano", "nanos", "nanosecond", "nanoseconds", "us", "micro", "micros", "microsecond",
    "microseconds", "ms", "milli", "millis", "millisecond", "milliseconds", "s", "second",
    "seconds", "m", "minute", "minutes", "h", "hour", "hours", "d", "day", "days",
]  # fmt: skip
TTLS = st.builds(
    "{}{}{}".format,
    st.one_of(st.integers(1, 10_000), st.integers(1, 10**18 - 1)),
    st.sampled_from(["", " "]),
    st.sampled_from(UNITS),
)
TOKENS = st.one_of(
    st.text(TOKEN_ALPHABET, min_size=16, max_size=64),
    st.text(TOKEN_ALPHABET, min_size=16, max_size=512),
)
SPECS = st.fixed_dictionaries(
    {"token": TOKENS, "roles": st.lists(NAMES, min_size=1, max_size=6, unique=True)},
    optional={
        "ttl": TTLS,
        "dedicatedSubject": NAMES,
        "loginProviders": st.lists(st.sampled_from(auth.LOGIN_PROVIDERS), min_size=1, unique=True),
    },
)


def expected_bootstrap(data: dict[str, Any]) -> dict[str, Any]:
    expected = {"token": data["token"], "roles": data["roles"], "ttl": data.get("ttl", "24h")}
    if "dedicatedSubject" in data:
        expected["dedicatedSubject"] = data["dedicatedSubject"]
    return expected


def expected_auth_server_type(data: dict[str, Any]) -> list[str]:
    return [*data.get("loginProviders", ["stackstateAuthServer"]), "serviceTokenAuthServer"]


def resolved(data: dict[str, Any]) -> TokenSpec | None:
    """The spec, or ``None`` when only the checks beyond the schema refused it: a saturated ttl,
    or a placeholder token (the policy lint applies)."""
    try:
        token_spec, _warnings = resolve(SpecInput("spec.yaml", dict(data)))
    except SpecError as err:
        findings = err.findings
    else:
        return token_spec
    errors = [f for f in findings if f.severity is Severity.ERROR]
    assert errors
    for error in errors:
        if error.json_path == ("ttl",):
            assert durations.parse(data["ttl"]).saturated, error.message
            assert "longer than the server can count" in error.message
        else:
            assert error.json_path == ("token",), error.message
            assert tokens.is_placeholder(data["token"]), error.message
    return None


@settings(SETTINGS, max_examples=150)  # each example parses HOCON (~30 ms with pyhocon)
@given(data=SPECS, form=st.sampled_from(HOCON_FORMS))
@example(
    data={
        "token": "a" * 16,
        "roles": ["cn=admins,ou=x", 'q"\\${x}', 'include url("x")', "# // , ] }", "🚀 é"],
        "ttl": "5 days",
        "dedicatedSubject": "${?bootstrap_token}",
    },
    form="full",
)
@example(data={"token": "-" * 16, "roles": ["a.b-c_d"], "ttl": "999999999d"}, form="short")
def test_render_then_parse_gives_back_the_spec(data: dict[str, Any], form: str) -> None:
    assume(not validate.check(SCHEMA, data))
    token_spec = resolved(data)
    if token_spec is None:
        return
    expected = expected_bootstrap(data)

    linux = render(token_spec, TARGETS["linux"], hocon_form=form)
    authentication = hocon_authentication(linux.text, form)
    assert authentication["authServer"]["serviceTokenAuthServer"]["bootstrap"] == expected
    assert authentication["authServer"]["authServerType"] == expected_auth_server_type(data)
    assert validate.check("hocon-authentication", authentication) == []

    roles_ok = all(quoting.is_unquoted_hocon_safe(role) for role in data["roles"])
    if roles_ok:
        kubernetes = render(token_spec, TARGETS["kubernetes"], hocon_form=form)
        assert helm_bootstrap(kubernetes.text) == expected
        verify.verify(kubernetes, token_spec)
    else:
        with pytest.raises(RenderError) as info:
            render(token_spec, TARGETS["kubernetes"], hocon_form=form)
        refused = {
            f"roles[{i}]"
            for i, role in enumerate(data["roles"])
            if not quoting.is_unquoted_hocon_safe(role)
        }
        reported = {f.message.split(":")[0] for f in info.value.findings}
        assert reported == refused
        assert all(f.severity is Severity.ERROR for f in info.value.findings)


# Names the chart may splice unquoted, including ones that look like numbers or keywords to
# some reader.  pyhocon (unlike Lightbend, see test_oracle_hocon.py) also reads TRUE/False/NULL
# as keywords, so those spellings are left to the oracle tests.
SAFE_NAMES = st.one_of(
    K8S_SAFE_NAMES,
    st.sampled_from(["a.b", "x-", "_", "inf", "Infinity", "NaN", "None", "yes", "on", "Include",
                     "e5", "a..b", "a.", "a-1.5", "a.e5", "E"]),
).filter(lambda s: quoting.is_unquoted_hocon_safe(s) and s.lower() not in ("true", "false",
                                                                              "null"))  # fmt: skip


@settings(SETTINGS, max_examples=60)
@given(roles=st.lists(SAFE_NAMES, min_size=1, max_size=6))
def test_unquoted_hocon_safe_roles_survive_the_charts_splicing(roles: list[str]) -> None:
    """What the Helm chart does with roles (joined with ", ", no quotes) keeps safe roles intact."""
    text = "roles = [" + ", ".join(roles) + "]\n"
    assert parse_hocon(text)["roles"] == roles


# --- specs the schema rejects -------------------------------------------------------------

JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False),
    st.text(max_size=20),
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner,
                                                                  max_size=3),
    max_leaves=6,
)  # fmt: skip
KEYS = ["token", "roles", "ttl", "dedicatedSubject", "loginProviders"]
ANY_TEXT = st.text(st.characters(codec="utf-8"), max_size=30)


@st.composite
def mutated_specs(draw: st.DrawFn) -> dict[str, Any]:
    """A valid spec with one thing broken (or a random mapping)."""
    data: dict[str, Any] = draw(SPECS)
    how = draw(st.sampled_from(["drop", "retype", "unknown", "text", "role", "random"]))
    key = draw(st.sampled_from(KEYS))
    if how == "drop":
        data.pop(draw(st.sampled_from(["token", "roles"])), None)
    elif how == "retype":
        data[key] = draw(JSON_VALUES)
    elif how == "unknown":
        data[draw(st.text(min_size=1, max_size=12).filter(lambda k: k not in KEYS))] = draw(
            JSON_VALUES
        )
    elif how == "text":
        data[key] = draw(ANY_TEXT)
    elif how == "role":
        roles = list(data["roles"])
        roles[draw(st.integers(0, len(roles) - 1))] = draw(ANY_TEXT)
        data["roles"] = roles
    else:
        data = draw(st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), JSON_VALUES))
    return data


def strings_in(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *strings_in(v))]
    if isinstance(value, list):
        return [s for item in value for s in strings_in(item)]
    return []


@SETTINGS
@given(data=mutated_specs())
@example(data={"token": 1234567890123456789012, "roles": ["stackstate-guest"]})
@example(data={"token": "kQ3vX9pL2mN8rT5wZ7yB", "roles": "stackstate-guest"})
@example(data={"token": "kQ3vX9pL2mN8rT5wZ7yB", "roles": ["a"], "role": ["a"]})
def test_specs_the_schema_rejects_never_render(data: dict[str, Any]) -> None:
    problems = validate.check(SCHEMA, data)
    assume(problems)
    with pytest.raises(SpecError) as info:
        resolve(SpecInput("spec.yaml", dict(data)))
    errors = [f for f in info.value.findings if f.severity is Severity.ERROR]
    # every problem is reported, at its place (two problems with one wording: one line)
    assert errors
    lines = [(f.path, f.line, f.column, f.message) for f in info.value.findings]
    assert len(set(lines)) == len(lines), lines  # no line printed twice (#13, row 15)
    assert {f.json_path for f in errors} >= {p.json_path for p in problems}
    token = data.get("token")
    if isinstance(token, str) and len(token) >= 16:
        others = strings_in({k: v for k, v in data.items() if k != "token"})
        assume(not any(token in s for s in others))
        assume(token not in " ".join(resources.schema(SCHEMA)["properties"]))  # key names
        for finding in info.value.findings:
            assert token not in finding.message


@settings(SETTINGS, max_examples=100)
@given(
    data=SPECS,
    form=st.sampled_from(HOCON_FORMS),
    name=st.from_regex(r"[a-z0-9]([-a-z0-9.]{0,30}[a-z0-9])?", fullmatch=True),
)
def test_the_gitops_forms_hold_no_token_and_read_back(
    data: dict[str, Any], form: str, name: str
) -> None:
    """Values naming an external Secret and a Linux file reading the environment: every spec
    renders them without its token (verify checks that too), and the Secret and the
    environment file read back with it."""
    assume(not validate.check(SCHEMA, data))
    token_spec = resolved(data)
    if token_spec is None:
        return
    linux = render(token_spec, TARGETS["linux"], hocon_form=form, env_var="STS_TOKEN")
    verify.verify(linux, token_spec)
    assert token_spec.token not in linux.text
    environment = render_env_file(token_spec, targets.environment_file("t.env", ""), "STS_TOKEN")
    verify.verify(environment, token_spec)
    keys = auth_secret.keys_for_login_providers(token_spec.login_providers)
    secret = render_secret(token_spec, targets.secret_manifest(name), name, keys)
    verify.verify(secret, token_spec)
    if all(quoting.is_unquoted_hocon_safe(role) for role in data["roles"]):
        values = render(token_spec, TARGETS["kubernetes"], external_secret=name)
        verify.verify(values, token_spec)
        assert token_spec.token not in values.text
        assert helm_bootstrap(values.text) == {
            **expected_bootstrap(data), "token": tokens.EXTERNAL_SECRET_PLACEHOLDER}  # fmt: skip
