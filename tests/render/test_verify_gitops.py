"""The read-back of the GitOps forms refuses what does not say exactly what it must.

``verify`` is configgen's guarantee that nothing is written that does not read back as the spec;
for the external-Secret and environment forms it also guarantees that the token is nowhere it
must not be.  Each case tampers with a correctly rendered text.
"""

from __future__ import annotations

import dataclasses

import pytest

from configgen.product import auth_secret
from configgen.render import targets
from configgen.render.targets import TARGETS
from configgen.render.templates import Rendered, render, render_env_file, render_secret
from configgen.render.verify import VerifyError, verify
from configgen.spec.model import TokenSpec
from testing.cli import ROLE, TOKEN

SPEC = TokenSpec(TOKEN, (ROLE,))
KEYS = auth_secret.keys_for_login_providers(["stackstateAuthServer"])


def values() -> Rendered:
    return render(SPEC, TARGETS["kubernetes"], external_secret="ext")


def conf() -> Rendered:
    return render(SPEC, TARGETS["linux"], env_var="STS_TOKEN")


def secret() -> Rendered:
    return render_secret(SPEC, targets.secret_manifest("ext"), "ext", KEYS)


def env_file() -> Rendered:
    return render_env_file(SPEC, targets.environment_file("t.env", ""), "STS_TOKEN")


def tampered(rendered: Rendered, old: str, new: str) -> Rendered:
    assert old in rendered.text
    return dataclasses.replace(rendered, text=rendered.text.replace(old, new))


@pytest.mark.parametrize(
    ("rendered", "problem"),
    [
        (tampered(values(), 'fromExternalSecret: "ext"', 'fromExternalSecret: "other"'),
         "fromExternalSecret does not read back as the Secret's name"),
        (tampered(values(), "# No secret", f"# {TOKEN} No secret"),
         "the token appears in a file that must not hold it"),
        (tampered(values(), '"<from the external Secret>"', f'"{TOKEN}"'),
         "token reads back differently"),
        (tampered(conf(), "${STS_TOKEN}", "${OTHER}"), "token reads back differently"),
        (tampered(conf(), "# No secret", f"# {TOKEN}"),
         "the token appears in a file that must not hold it"),
        (tampered(secret(), "kind: Secret", "kind: ConfigMap"),
         "apiVersion, kind or type is not that of a v1 Secret"),
        (tampered(secret(), "type: Opaque", "type: Opaque\nimmutable: true"),
         "keys other than those of the Secret"),
        (tampered(secret(), '"default_password": ""', '"default_password": "x"'),
         "stringData does not read back as the keys, the token first"),
        (tampered(secret(), f'"bootstrap_token": "{TOKEN}"', '"bootstrap_token": ""'),
         "stringData does not read back as the keys, the token first"),
        (tampered(secret(), 'name: "ext"', "name: [ext]"),
         "lint does not read it as the Secret it is"),
        (tampered(secret(), "type: Opaque", "type: Opaque\n---\nx: 1"), "not one Secret document"),
        (tampered(secret(), "apiVersion: v1", "a: 1\n---\napiVersion: v1"),
         "not one Secret document"),
        (tampered(env_file(), f'STS_TOKEN="{TOKEN}"', f"STS_TOKEN={TOKEN}"),
         "the environment file does not read back as one assignment of the token"),
        (tampered(env_file(), "# It holds", "OTHER=1\n# It holds"),
         "the environment file does not read back as one assignment of the token"),
    ],
)  # fmt: skip
def test_tampered_text_is_refused(rendered: Rendered, problem: str) -> None:
    with pytest.raises(VerifyError) as refused:
        verify(rendered, SPEC)
    assert problem in refused.value.problems
    assert TOKEN not in str(refused.value)


def test_the_untampered_files_pass() -> None:
    for rendered in (values(), conf(), secret(), env_file()):
        verify(rendered, SPEC)


def test_an_environment_file_only_for_tokens_systemd_reads_as_written() -> None:
    spec = TokenSpec('kQ3vX9pL2mN8r"T5wZ7yBc4H', (ROLE,))
    rendered = dataclasses.replace(env_file(), text=f'STS_TOKEN="{spec.token}"\n')
    with pytest.raises(VerifyError):
        verify(rendered, spec)


@pytest.mark.parametrize(
    ("template_input", "error"),
    [
        ({"variable": "lower"}, "not an environment variable name"),
        ({"variable": "A\nB"}, "not an environment variable name"),
    ],
)
def test_the_templates_refuse_unsafe_names(template_input: dict[str, str], error: str) -> None:
    with pytest.raises(TypeError, match=error):
        render_env_file(SPEC, targets.environment_file("t.env", ""), template_input["variable"])
    with pytest.raises(TypeError, match=error):
        render(SPEC, TARGETS["linux"], env_var=template_input["variable"])


def test_comments_are_one_printable_line() -> None:
    with pytest.raises(TypeError, match="one line"):
        render_secret(SPEC, targets.secret_manifest("ext\n"), "ext", KEYS)
