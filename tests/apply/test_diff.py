"""``configgen apply --diff``: what would change, with every secret redacted by meaning.

A value is secret because of the key it sits under (``token``, ``password``, ``secret``,
``bindPassword``, ``clientSecret``...), whatever its YAML or HOCON style and however many lines
it spans -- not because its line looks like ``token: ...``.  The diff is computed from the
ranges apply changed (each shown line as the file has it, secrets masked line by line, so the
line numbers stay right) and must still be a correct diff: applied to the old text it gives
the new one.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from configgen.apply import plan as apply
from configgen.apply.diff import REDACTED
from configgen.spec.model import TokenSpec
from testing.fuzz import secret_files

TOKEN = "Zq3xV8pL2mN7rT4wY9bK6cF1hJ5sD0gA"
SPEC = TokenSpec(TOKEN, ("stackstate-power-user",), "48h")
OLD = "0ldS3cretT0kenQ7wE9rT1yU"  # the token the file held
HEAD = "stackstate:\n  authentication:\n"
BOOT = HEAD + "    serviceToken:\n      bootstrap:\n"


def pieces(secret: str) -> list[str]:
    """Every 6-character piece of ``secret``: none may be printed."""
    return [secret[i : i + 6] for i in range(len(secret) - 5)]


def diff_of(tmp_path: Path, text: str, kind: str = "helm") -> str:
    path = tmp_path / ("v.yaml" if kind == "helm" else "a.conf")
    path.write_text(text, encoding="utf-8")
    return apply.apply(SPEC, path, kind).diff()


ROW_03 = {
    "plain-continuation": BOOT + f"        token: {OLD[:12]}\n          {OLD[12:]}\n",
    "double-quoted-continuation": BOOT + f'        token: "{OLD[:12]}\\\n          {OLD[12:]}"\n',
    "literal-block": BOOT + f"        token: |\n          {OLD[:12]}\n          {OLD[12:]}\n",
    "folded-block": BOOT + f"        token: >-\n          {OLD[:12]}\n          {OLD[12:]}\n",
    "misspelled-block-next-line": HEAD + f"    servicetoken:\n      bootstrap:\n        token:\n"
    f"          {OLD}\n",
    "explicit-key": BOOT + f"        ? token\n        : {OLD}\n",
    "anchored-elsewhere": f"defaults: &t {OLD}\n" + BOOT + "        token: *t\n",
    "flow-mapping": BOOT.rstrip("\n").rsplit("\n", 1)[0] + f"\n      bootstrap: {{token: {OLD}}}\n",
}


@pytest.mark.parametrize("case", sorted(ROW_03))
def test_row_03_an_old_token_in_any_style_never_reaches_the_diff(tmp_path: Path, case: str) -> None:
    """The line pattern ``token: ...`` redacted the first line of a multi-line scalar only,
    and nothing of a token whose key sat on another line."""
    diff = diff_of(tmp_path, ROW_03[case])
    assert REDACTED in diff
    leaked = [p for p in pieces(OLD) if p in diff]
    assert leaked == [], diff


def test_row_03_an_ldap_bind_password_in_the_context_lines_is_redacted(tmp_path: Path) -> None:
    """Decision (#13, seen items): any secret the diff shows as context is redacted too."""
    password = "Bind9PassW0rdInCl3ar"
    text = (
        HEAD + "    ldap:\n      bind:\n        dn: cn=admin\n"
        f"        password: {password}\n"
        "    serviceToken:\n      bootstrap:\n        token: x\n"
    )
    diff = diff_of(tmp_path, text)
    assert "dn: cn=admin" in diff  # the context is shown ...
    assert password not in diff  # ... but not the secret in it
    assert f"        password: {REDACTED}\n" in diff


def test_redacted_lines_keep_their_number_and_indentation(tmp_path: Path) -> None:
    diff = diff_of(tmp_path, ROW_03["literal-block"])
    assert f"-        token: {REDACTED}\n-          {REDACTED}\n-          {REDACTED}\n" in diff


def test_hocon_secrets_are_redacted_whatever_their_form(tmp_path: Path) -> None:
    bind = "LdapB1nd" + OLD
    text = (
        "stackstate.api.authentication.authServer.serviceTokenAuthServer.bootstrap {\n"
        f'  token = "{OLD[:8]}" "{OLD[8:]}"\n'
        '  roles = ["a"]\n}\n'
        "stackstate.api.authentication.authServer.ldapAuthServer.connection.bindCredentials "
        f'= """{bind[:10]}\n{bind[10:]}"""\n'
    )
    diff = diff_of(tmp_path, text, "hocon")
    assert "bindCredentials" in diff  # in the context lines
    assert [p for p in pieces(OLD) + pieces(bind) if p in diff] == []


def apply_patch(old: str, diff: str) -> str:
    """Apply a unified diff (as ``--diff(redact=False)`` prints it) to ``old``."""
    lines = old.splitlines(keepends=True)
    out: list[str] = []
    cursor = 0
    body = diff.splitlines(keepends=True)[2:]
    index = 0
    while index < len(body):
        header = re.match(r"@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@", body[index])
        assert header, body[index]
        start = int(header.group(1)) - (0 if header.group(2) == "0" else 1)
        out += lines[cursor:start]
        cursor = start
        index += 1
        while index < len(body) and not body[index].startswith("@@"):
            line = body[index]
            if line.startswith("\\"):
                out[-1] = out[-1].rstrip("\r\n")
            elif line.startswith("+"):
                out.append(line[1:])
            elif line.startswith("-"):
                cursor += 1
            else:
                out.append(lines[cursor])
                cursor += 1
            index += 1
    return "".join(out + lines[cursor:])


@settings(
    max_examples=150,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sample=secret_files(), spec_token=st.sampled_from([TOKEN, "b" * 40]))
def test_no_planted_secret_reaches_a_diff_and_the_diff_is_right(
    tmp_path: Path, sample: tuple[str, str, str], spec_token: str
) -> None:
    """Generator: values and HOCON files with a secret planted under a token, password or
    secret key, in every scalar style and line span, in the bootstrap block, a misspelled
    block, an LDAP or OIDC section, behind an anchor; the diff shows none of it, and the
    unredacted diff turns the old text into the new one."""
    kind, text, secret = sample
    path = tmp_path / ("v.yaml" if kind == "helm" else "a.conf")
    path.write_text(text, encoding="utf-8")
    try:
        result = apply.apply(TokenSpec(spec_token, ("stackstate-guest",), "1h"), path, kind)
    except apply.ApplyError:
        return  # refused: nothing is shown
    diff = result.diff()
    assert [p for p in pieces(secret) if p in diff] == [], (text, diff)
    assert spec_token not in diff
    raw = result.diff(redact=False)
    assert apply_patch(result.old_text or "", raw) == result.new_text
