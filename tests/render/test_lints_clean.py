"""Every file ``configgen render`` writes lints without errors, under every product profile
that supports a bootstrap token; with predefined roles and a generated token, without any
finding at all.  Spec validation and lint apply one token policy: what the spec accepts lints
without a token error, and the spec warns about a weak token exactly when lint does."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from configgen.findings import Severity
from configgen.lint import run as lint
from configgen.product import auth, auth_secret, profiles, quoting
from configgen.render import targets
from configgen.render.targets import TARGETS
from configgen.render.templates import render, render_secret
from configgen.spec import model as spec
from configgen.spec.checks import resolve
from configgen.spec.load import SpecInput
from configgen.spec.model import SpecError
from configgen.spec.token_source import generate_token

PROFILES = [
    profiles.parse(p)
    for p in (
        "stackstate-5.1.3",
        "stackstate-5.1",
        "stackstate-k8s-1",
        "suse-observability-2.0",
        "suse-observability-2.2",
        "suse-observability-2.3.6",
        "suse-observability",
    )
]
TARGET_FORMS = ("kubernetes/full", "linux/full", "linux/short")
UNITS = ["s", "m", "h", "d", "seconds", "minutes", "hours", "days", "ms"]
TOKENS = st.text("abcdefABCDEF0123456789._~+/=-", min_size=16, max_size=64)
SAFE_ROLES = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-]{0,20}", fullmatch=True).filter(
    quoting.is_unquoted_hocon_safe
)


def lint_rendered(token_spec: spec.TokenSpec, profile: profiles.Profile) -> list[tuple[str, str]]:
    options = lint.LintOptions(profile=profile, require_token=True)
    found = []
    for target, form in (name.split("/") for name in TARGET_FORMS):
        rendered = render(token_spec, TARGETS[target], hocon_form=form)
        kind = "helm" if target == "kubernetes" else "hocon"
        for finding in lint.lint_text(rendered.target.filename, rendered.text, kind, options):
            found.append((f"{target}/{form}", f"{finding.rule} {finding.severity}"))
    return found


@settings(max_examples=60, deadline=None)
@given(
    token=TOKENS,
    roles=st.lists(SAFE_ROLES, min_size=1, max_size=4, unique=True),
    ttl=st.tuples(st.integers(1, 10_000), st.sampled_from(UNITS)).map(lambda t: f"{t[0]}{t[1]}"),
    subject=st.none() | SAFE_ROLES,
    profile=st.sampled_from(PROFILES),
)
def test_rendered_files_have_no_errors(
    token: str, roles: list[str], ttl: str, subject: str | None, profile: profiles.Profile
) -> None:
    token_spec = spec.TokenSpec(token=token, roles=tuple(roles), ttl=ttl, dedicated_subject=subject)
    errors = [f for f in lint_rendered(token_spec, profile) if f[1].endswith(str(Severity.ERROR))]
    # dedicatedSubject is written whenever the spec has one; versions before 2.3.6 drop it.
    dropped = subject is not None and not profile.reads_dedicated_subject
    expected = [(target, "ignored-by-version error") for target in TARGET_FORMS] if dropped else []
    assert errors == expected


@settings(max_examples=30, deadline=None)
@given(profile=st.sampled_from(PROFILES), data=st.data())
def test_rendered_files_with_predefined_roles_are_spotless(
    profile: profiles.Profile, data: st.DataObject
) -> None:
    roles = data.draw(st.lists(st.sampled_from(sorted(profile.known_roles)), min_size=1,
                               unique=True))  # fmt: skip
    token_spec = spec.TokenSpec(token=generate_token(), roles=tuple(roles), ttl="24h")
    assert lint_rendered(token_spec, profile) == []


# Tokens a careless spec might hold: documentation placeholders, stand-ins, short or repetitive
# strings, and random ones; all within the spec's character set and length.
PLACEHOLDER_LIKE = st.sampled_from(
    ["x" * 32, "X" * 20, "-" * 16, "." * 40, "*" * 16, "changeme", "xxxxxxxxxxxxxxxx-xxxx",
     "aaaaaaaaaaaaaaaaaaaaaaaa", "abababababababababab", "replace-me", "0123456789012345"]
)  # fmt: skip
SPEC_TOKENS = st.one_of(
    PLACEHOLDER_LIKE,
    st.text("x-.*", min_size=16, max_size=40),
    st.text("abcdefABCDEF0123456789._~+/=-", min_size=16, max_size=64),
)


@settings(max_examples=150, deadline=None)
@given(token=SPEC_TOKENS, profile=st.sampled_from(PROFILES))
def test_what_the_spec_accepts_lints_without_token_errors(
    token: str, profile: profiles.Profile
) -> None:
    data = {"token": token, "roles": ["stackstate-power-user"], "ttl": "24h"}
    try:
        token_spec, warnings = resolve(SpecInput("spec.yaml", data))
    except SpecError as err:
        refused = err.findings
    else:
        refused = []
    if refused:
        assert all(f.json_path == ("token",) for f in refused)
        return
    found = lint_rendered(token_spec, profile)
    assert [f for f in found if f[1].endswith(str(Severity.ERROR))] == []
    spec_weak = any("token is weak" in w.message for w in warnings)
    lint_weak = any(f[1] == "token-weak warning" for f in found)
    assert spec_weak == lint_weak


def test_the_spec_refuses_what_lint_calls_a_placeholder() -> None:
    """The case that made render write what lint rejects: 32 x's."""
    with pytest.raises(SpecError) as refused:
        resolve(SpecInput("spec.yaml", {"token": "x" * 32, "roles": ["stackstate-guest"]}))
    assert [f.message for f in refused.value.findings] == [
        "token: is a placeholder, not a secret: use --generate-token"
    ]


GITOPS_PROFILES = [p for p in PROFILES if p.reads_external_secret]


@settings(max_examples=30, deadline=None)
@given(
    profile=st.sampled_from(GITOPS_PROFILES),
    providers=st.lists(st.sampled_from(sorted(auth.LOGIN_PROVIDERS)), min_size=1, unique=True),
    data=st.data(),
)
def test_the_gitops_files_lint_without_errors(
    tmp_path_factory: pytest.TempPathFactory,
    profile: profiles.Profile,
    providers: list[str],
    data: st.DataObject,
) -> None:
    """The values naming an external Secret and that Secret, linted together, and the Linux file
    reading the environment: no error (an unfilled Secret key is at most a warning)."""
    roles = data.draw(st.lists(st.sampled_from(sorted(profile.known_roles)), min_size=1,
                               unique=True))  # fmt: skip
    token_spec = spec.TokenSpec(generate_token(), tuple(roles), login_providers=tuple(providers))
    out = tmp_path_factory.mktemp("gitops")
    values = render(token_spec, TARGETS["kubernetes"], external_secret="ext")
    keys = auth_secret.keys_for_login_providers(token_spec.login_providers)
    secret = render_secret(token_spec, targets.secret_manifest("ext"), "ext", keys)
    linux = render(token_spec, TARGETS["linux"], env_var="STS_TOKEN")
    for rendered in (values, secret, linux):
        (out / rendered.target.filename).write_text(rendered.text, encoding="utf-8")
    options = lint.LintOptions(profile=profile, require_token=True)
    found = lint.lint_paths([str(p) for p in sorted(out.iterdir())], options).findings
    assert {(f.rule, f.severity) for f in found} <= {
        ("external-secret-key-missing", Severity.WARNING),  # default_password, not filled in
        ("substitution", Severity.INFO),  # token = ${STS_TOKEN}
    }
