"""``configgen apply --external-secret NAME --to values.yaml``: the token moves to a Secret.

The values file changes in exactly two places (the token becomes the placeholder,
``fromExternalSecret: NAME`` appears); the Secret manifest gets the token.  The token never
reaches stdout or stderr.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from configgen import files
from configgen.cli import Exit
from configgen.lint import run as lint
from configgen.parsing import helm_yaml
from configgen.product import tokens
from testing.cli import OTHER_TOKEN, TOKEN, file_mode, invoke, spec_text, write_spec

NAME = "stackstate-auth"
SECRET_FILE = f"{NAME}-secret.yaml"
PLACEHOLDER = tokens.EXTERNAL_SECRET_PLACEHOLDER

VALUES = f"""\
# Production values
stackstate:
  baseUrl: https://sts.example.com   # keep me
  authentication:
    serviceToken:
      bootstrap:
        token: '{TOKEN}'   # a comment that stays
        roles: [stackstate-admin]
        ttl: 24h
    oidc:
      discoveryUri: https://idp.example.com
  other: 1
"""


def values_file(tmp_path: Path, text: str = VALUES, name: str = "values.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def run(*args: object) -> tuple[int, str, str]:
    result = invoke(["apply", *args])
    assert TOKEN not in result.stdout + result.stderr
    assert OTHER_TOKEN not in result.stdout + result.stderr
    return result.exit_code, result.stdout, result.stderr


def changed_lines(old: str, new: str) -> list[str]:
    return [
        line
        for line in difflib.ndiff(old.splitlines(), new.splitlines())
        if line.startswith(("- ", "+ "))
    ]


def test_the_token_moves_to_the_secret(tmp_path: Path) -> None:
    path = values_file(tmp_path)
    code, stdout, stderr = run("--external-secret", NAME, "--to", path)
    assert code == Exit.OK, stderr
    assert stdout == ""
    new = path.read_text("utf-8")
    assert changed_lines(VALUES, new) == [
        f'+     fromExternalSecret: "{NAME}"',
        f"-         token: '{TOKEN}'   # a comment that stays",
        f'+         token: "{PLACEHOLDER}"   # a comment that stays',
    ]
    secret = tmp_path / SECRET_FILE
    assert file_mode(secret) == 0o600
    data = helm_yaml.load(secret.read_text("utf-8")).data
    assert data["metadata"]["name"] == NAME
    # The values configure OIDC: its keys, empty and commented; no admin password.
    assert data["stringData"] == {"bootstrap_token": TOKEN, "oidc_client_id": "", "oidc_secret": ""}
    assert f"wrote {secret} (mode 0600; it holds the token)" in stderr
    assert f"updated {path}" in stderr
    assert "next: fill in the empty values" in stderr


def test_the_converted_pair_lints_as_expected(tmp_path: Path) -> None:
    path = values_file(tmp_path)
    assert run("--external-secret", NAME, "--to", path)[0] == Exit.OK
    found = lint.lint_paths([str(path), str(tmp_path / SECRET_FILE)], lint.LintOptions()).findings
    assert sorted({(Path(f.path).name, f.rule, str(f.severity)) for f in found}) == [
        (SECRET_FILE, "external-secret-key-missing", "error")  # the OIDC client id and secret
    ]


def test_applying_twice_changes_nothing(tmp_path: Path) -> None:
    path = values_file(tmp_path)
    assert run("--external-secret", NAME, "--to", path, "--check")[0] == Exit.INVALID_INPUT
    assert run("--external-secret", NAME, "--to", path)[0] == Exit.OK
    converted = path.read_bytes(), (tmp_path / SECRET_FILE).read_bytes()
    code, _out, stderr = run("--external-secret", NAME, "--to", path)
    assert code == Exit.OK
    assert "already up to date" in stderr
    assert (path.read_bytes(), (tmp_path / SECRET_FILE).read_bytes()) == converted
    assert run("--external-secret", NAME, "--to", path, "--check")[0] == Exit.OK


def test_diff_writes_nothing_and_shows_no_token(tmp_path: Path) -> None:
    path = values_file(tmp_path)
    code, stdout, stderr = run("--external-secret", NAME, "--to", path, "--diff")
    assert code == Exit.OK
    assert f'+    fromExternalSecret: "{NAME}"' in stdout
    assert f"{tmp_path / SECRET_FILE}: would be created (it holds the token; not shown)" in stderr
    assert path.read_text("utf-8") == VALUES
    assert not (tmp_path / SECRET_FILE).exists()


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("    fromExternalSecret:\n", f'    fromExternalSecret: "{NAME}"\n'),
        ("    fromExternalSecret: ~  # set me\n", f'    fromExternalSecret: "{NAME}"  # set me\n'),
        ("    fromExternalSecret: old-name\n", f'    fromExternalSecret: "{NAME}"\n'),
    ],
)
def test_an_existing_from_external_secret_is_set(tmp_path: Path, line: str, expected: str) -> None:
    text = VALUES.replace("  authentication:\n", "  authentication:\n" + line)
    path = values_file(tmp_path, text)
    assert run("--external-secret", NAME, "--to", path)[0] == Exit.OK
    new = path.read_text("utf-8")
    assert expected in new
    assert new.count("fromExternalSecret") == 1


def test_line_endings_and_bom_are_kept(tmp_path: Path) -> None:
    text = "\ufeff" + VALUES.replace("\n", "\r\n")
    path = values_file(tmp_path, text)
    assert run("--external-secret", NAME, "--to", path)[0] == Exit.OK
    new = path.read_bytes().decode("utf-8")
    assert new.startswith("\ufeff# Production values\r\n")
    assert "\n" not in new.replace("\r\n", "")
    assert f'    fromExternalSecret: "{NAME}"\r\n' in new


def test_with_a_spec_its_token_and_roles_are_used(tmp_path: Path) -> None:
    path = values_file(tmp_path)
    spec = write_spec(tmp_path, spec_text(token=OTHER_TOKEN, roles=["stackstate-guest"]))
    code, _out, stderr = run(spec, "--external-secret", NAME, "--to", path, "--diff")
    assert code == Exit.OK, stderr
    assert run(spec, "--external-secret", NAME, "--to", path)[0] == Exit.OK
    data = helm_yaml.load(path.read_text("utf-8")).data["stackstate"]["authentication"]
    assert data["serviceToken"]["bootstrap"] == {
        "token": PLACEHOLDER, "roles": ["stackstate-guest"], "ttl": "24h"}  # fmt: skip
    secret = helm_yaml.load((tmp_path / SECRET_FILE).read_text("utf-8")).data
    assert secret["stringData"]["bootstrap_token"] == OTHER_TOKEN
    assert TOKEN not in path.read_text("utf-8")
    # Applied again with the same spec: up to date.
    code, _out, stderr = run(spec, "--external-secret", NAME, "--to", path)
    assert (code, "already up to date" in stderr) == (Exit.OK, True)


def test_an_already_converted_file_with_a_spec_gets_its_secret(tmp_path: Path) -> None:
    path = values_file(tmp_path)
    assert run("--external-secret", NAME, "--to", path)[0] == Exit.OK
    (tmp_path / SECRET_FILE).unlink()
    code, _out, stderr = run("--external-secret", NAME, "--to", path)
    assert code == Exit.INVALID_INPUT
    assert "the token is no longer in this file" in stderr
    spec = write_spec(tmp_path, spec_text(token=OTHER_TOKEN, roles=["stackstate-admin"]))
    assert run(spec, "--external-secret", NAME, "--to", path)[0] == Exit.OK
    bootstrap = helm_yaml.load(path.read_text("utf-8")).data["stackstate"]["authentication"]
    assert bootstrap["serviceToken"]["bootstrap"]["token"] == PLACEHOLDER
    assert OTHER_TOKEN in (tmp_path / SECRET_FILE).read_text("utf-8")


def test_secret_file_option(tmp_path: Path) -> None:
    path = values_file(tmp_path)
    target = tmp_path / "secrets" / "auth.yaml"
    target.parent.mkdir()
    assert run("--external-secret", NAME, "--to", path, "--secret-file", target)[0] == Exit.OK
    assert TOKEN in target.read_text("utf-8")
    assert not (tmp_path / SECRET_FILE).exists()


@pytest.mark.parametrize(
    ("text", "args", "message"),
    [
        (VALUES.replace(f"token: '{TOKEN}'   # a comment that stays", "token: changeme"), [],
         "the token in this file is a placeholder"),
        (VALUES.replace(f"token: '{TOKEN}'   # a comment that stays", "roles2: []"), [],
         "there is no token in stackstate.authentication.serviceToken.bootstrap to move"),
        (VALUES.replace(f"token: '{TOKEN}'   # a comment that stays",
                        f"token: {TOKEN}\n          {TOKEN}"), [],
         "the token is not written on one line"),
        ("stackstate: {authentication: {serviceToken: {bootstrap: {token: " + TOKEN + "}}}}\n", [],
         "the path to the token is not in block style"),
        (VALUES, ["--product", "stackstate-5.1"], "does not read fromExternalSecret"),
        (VALUES, ["--product", "stackstate-k8s-1"], "does not read fromExternalSecret"),
    ],
)  # fmt: skip
def test_files_that_cannot_be_converted(
    tmp_path: Path, text: str, args: list[str], message: str
) -> None:
    path = values_file(tmp_path, text)
    code, _out, stderr = run("--external-secret", NAME, "--to", path, *args)
    assert code == Exit.INVALID_INPUT
    assert message in stderr
    assert "nothing was written" in stderr
    assert path.read_text("utf-8") == text
    assert not (tmp_path / SECRET_FILE).exists()


def test_an_existing_secret_file_is_never_replaced(tmp_path: Path) -> None:
    path = values_file(tmp_path)
    (tmp_path / SECRET_FILE).write_text("mine\n", encoding="utf-8")
    code, _out, stderr = run("--external-secret", NAME, "--to", path)
    assert code == Exit.INVALID_INPUT
    assert "exists; nothing was changed" in stderr
    assert path.read_text("utf-8") == VALUES
    assert (tmp_path / SECRET_FILE).read_text("utf-8") == "mine\n"


def test_a_missing_values_file(tmp_path: Path) -> None:
    code, _out, stderr = run("--external-secret", NAME, "--to", tmp_path / "values.yaml")
    assert code == Exit.INVALID_INPUT
    assert "not an existing values file" in stderr


def test_when_the_values_cannot_be_written_the_secret_goes_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from configgen.apply import run as apply_run

    def refuse(*_args: object, **_kwargs: object) -> object:
        raise files.WriteError(f"{tmp_path / 'values.yaml'}: read-only file system")

    monkeypatch.setattr(apply_run, "write", refuse)
    path = values_file(tmp_path)
    code, _out, stderr = run("--external-secret", NAME, "--to", path)
    assert code == Exit.NOT_WRITTEN
    assert "nothing was written" in stderr
    assert not (tmp_path / SECRET_FILE).exists()
    assert path.read_text("utf-8") == VALUES


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--to", "a.yaml", "--to", "b.yaml"], "--external-secret converts one Helm values file"),
        (["--to", "application_stackstate.conf"], "--external-secret converts one Helm values"),
        (["--to", "v.yaml", "--external-secret", "Bad"], "is not a Kubernetes Secret name"),
    ],
)
def test_usage_errors(args: list[str], message: str) -> None:
    result = invoke(["apply", "--external-secret", NAME, *args])
    assert result.exit_code == Exit.USAGE
    assert message in result.stderr


def test_secret_file_without_external_secret_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke(["apply", "--to", tmp_path / "v.yaml", "--secret-file", tmp_path / "s.yaml"])
    assert result.exit_code == Exit.USAGE
    assert "--secret-file goes with --external-secret" in result.stderr


def test_a_generated_token_is_shown_when_asked(tmp_path: Path) -> None:
    path = values_file(tmp_path)
    result = invoke(["apply", "--generate-token", "--show-token", "--roles", "stackstate-admin",
                     "--external-secret", NAME, "--to", path])  # fmt: skip
    assert result.exit_code == Exit.OK, result.stderr
    shown = result.stderr.split("generated token: ")[1].split()[0]
    assert shown in (tmp_path / SECRET_FILE).read_text("utf-8")
    assert shown not in path.read_text("utf-8")


def test_more_files_that_cannot_be_converted(tmp_path: Path) -> None:
    mapping = VALUES.replace(
        "  authentication:\n", "  authentication:\n    fromExternalSecret: {a: 1}\n"
    )
    path = values_file(tmp_path, mapping)
    code, _out, stderr = run("--external-secret", NAME, "--to", path)
    assert (code, "fromExternalSecret is not written on one line" in stderr) == (
        Exit.INVALID_INPUT, True)  # fmt: skip
    binary = values_file(tmp_path, "", "binary.yaml")
    binary.write_bytes(b"\xff\xfe\x00bad")
    code, _out, stderr = run("--external-secret", NAME, "--to", binary)
    assert code == Exit.INVALID_INPUT
    assert not (tmp_path / SECRET_FILE).exists()


def test_an_invalid_spec_writes_nothing(tmp_path: Path) -> None:
    path = values_file(tmp_path)
    code, _out, stderr = run("--roles", "stackstate-admin", "--token", OTHER_TOKEN, "--ttl", "2w",
                             "--external-secret", NAME, "--to", path)  # fmt: skip
    assert code == Exit.INVALID_INPUT
    assert "ttl" in stderr
    assert path.read_text("utf-8") == VALUES


def test_a_secret_that_cannot_be_written_leaves_the_values_alone(tmp_path: Path) -> None:
    path = values_file(tmp_path)
    blocked = tmp_path / "not-a-dir"
    blocked.write_text("", encoding="utf-8")
    code, _out, stderr = run("--external-secret", NAME, "--to", path,
                             "--secret-file", blocked / "secret.yaml")  # fmt: skip
    assert code == Exit.NOT_WRITTEN
    assert "nothing was written" in stderr
    assert path.read_text("utf-8") == VALUES
