"""``configgen render`` keeping the token out of the files that go to Git (issue #11).

Kubernetes: ``--external-secret NAME`` writes the values (``fromExternalSecret``, a placeholder
token: no secret) and the Secret manifest (the token), both or neither.  Linux:
``--token-env-var NAME`` writes ``token = ${NAME}``, and ``--env-file`` the file that sets it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from configgen.cli import Exit
from configgen.lint import run as lint
from configgen.parsing import helm_yaml
from configgen.product import profiles, tokens
from testing.cli import (
    HELM_FILE,
    HOCON_FILE,
    ROLE,
    TOKEN,
    dir_is_empty,
    file_mode,
    helm_bootstrap,
    hocon_bootstrap,
    invoke,
    spec_text,
    write_spec,
)

SECRET = "stackstate-auth"
SECRET_FILE = f"{SECRET}-secret.yaml"
PLACEHOLDER = tokens.EXTERNAL_SECRET_PLACEHOLDER


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    return write_spec(tmp_path, spec_text(ttl="48h", dedicatedSubject="ci"))


def render_external(spec: Path, out: Path, *extra: object) -> tuple[str, str]:
    result = invoke(["render", spec, "--target", "kubernetes", "--external-secret", SECRET,
                     "--out-dir", out, *extra])  # fmt: skip
    assert result.exit_code == Exit.OK, result.stderr
    assert result.stdout == ""
    assert TOKEN not in result.stderr
    return (out / HELM_FILE).read_text("utf-8"), (out / SECRET_FILE).read_text("utf-8")


def test_external_secret_writes_the_values_and_the_secret(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    values, secret = render_external(spec, out)
    assert sorted(p.name for p in out.iterdir()) == [HELM_FILE, SECRET_FILE]
    assert file_mode(out / HELM_FILE) == file_mode(out / SECRET_FILE) == 0o600
    assert TOKEN not in values
    data = helm_yaml.load(values).data["stackstate"]["authentication"]
    assert data["fromExternalSecret"] == SECRET
    assert helm_bootstrap(values) == {
        "token": PLACEHOLDER, "roles": [ROLE], "ttl": "48h", "dedicatedSubject": "ci"}  # fmt: skip
    manifest = helm_yaml.load(secret).data
    assert manifest["kind"] == "Secret"
    assert manifest["metadata"] == {"name": SECRET}
    assert manifest["stringData"] == {"bootstrap_token": TOKEN, "default_password": ""}
    assert "# the admin password" in secret


def test_the_rendered_pair_lints_without_errors(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    render_external(spec, out)
    files = [str(out / HELM_FILE), str(out / SECRET_FILE)]
    found = lint.lint_paths(files, lint.LintOptions(require_token=True)).findings
    assert [(Path(f.path).name, f.rule, str(f.severity)) for f in found] == [
        (SECRET_FILE, "external-secret-key-missing", "warning")  # default_password: fill it in
    ]
    result = invoke(["lint", *files])
    assert result.exit_code == Exit.OK
    assert TOKEN not in result.stdout


@pytest.mark.parametrize(
    "product", ["stackstate-5.1", "stackstate-k8s-1", "suse-observability-2.1"]
)
def test_the_classic_and_k8s_profiles_refuse_the_pair(
    spec: Path, tmp_path: Path, product: str
) -> None:
    out = tmp_path / "out"
    render_external(spec, out)
    options = lint.LintOptions(profile=profiles.parse(product))
    found = lint.lint_paths([str(out / HELM_FILE), str(out / SECRET_FILE)], options).findings
    # The spec's dedicatedSubject is dropped too: these versions do not read it.
    assert {f.rule for f in found if f.severity.name == "ERROR"} == {
        "external-secret-unsupported", "token-placeholder", "ignored-by-version"}  # fmt: skip


def test_login_providers_decide_the_secret_keys(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, spec_text(loginProviders=["oidcAuthServer", "ldapAuthServer"]))
    _values, secret = render_external(spec, tmp_path / "out")
    assert list(helm_yaml.load(secret).data["stringData"]) == [
        "bootstrap_token", "oidc_client_id", "oidc_secret", "ldap_password"]  # fmt: skip


def test_target_all_writes_three_files(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(["render", spec, "--external-secret", SECRET, "--out-dir", out])
    assert result.exit_code == Exit.OK, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [HOCON_FILE, HELM_FILE, SECRET_FILE]
    assert hocon_bootstrap((out / HOCON_FILE).read_text("utf-8"))["token"] == TOKEN
    assert result.stderr.index("next (kubernetes-secret)") < result.stderr.index(
        "next (kubernetes)")  # fmt: skip


def test_a_generated_token_goes_to_the_secret_only(tmp_path: Path) -> None:
    out = tmp_path / "out"
    spec = write_spec(tmp_path, spec_text(token=None))
    result = invoke(["render", spec, "--generate-token", "--show-token", "--target",
                     "kubernetes", "--external-secret", SECRET, "--out-dir", out])  # fmt: skip
    assert result.exit_code == Exit.OK, result.stderr
    token = result.stderr.split("generated token: ")[1].split()[0]
    assert token not in (out / HELM_FILE).read_text("utf-8")
    assert helm_yaml.load((out / SECRET_FILE).read_text("utf-8")).data["stringData"][
        "bootstrap_token"] == token  # fmt: skip


def test_the_pair_is_written_whole_or_not_at_all(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / SECRET_FILE).write_text("mine\n", encoding="utf-8")
    result = invoke(["render", spec, "--target", "kubernetes", "--external-secret", SECRET,
                     "--out-dir", out])  # fmt: skip
    assert result.exit_code == Exit.NOT_WRITTEN
    assert sorted(p.name for p in out.iterdir()) == [SECRET_FILE]
    assert (out / SECRET_FILE).read_text("utf-8") == "mine\n"
    again = invoke(["render", spec, "--target", "kubernetes", "--external-secret", SECRET,
                    "--out-dir", out, "--force"])  # fmt: skip
    assert again.exit_code == Exit.OK
    assert TOKEN in (out / SECRET_FILE).read_text("utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--target", "kubernetes", "--external-secret", SECRET],
         "--external-secret writes two files"),
        (["--target", "linux", "--external-secret", SECRET, "--out-dir", "o"],
         "--external-secret is for --target kubernetes"),
        (["--target", "kubernetes", "--external-secret", "Bad_Name", "--out-dir", "o"],
         "is not a Kubernetes Secret name"),
        (["--target", "kubernetes", "--token-env-var", "X"],
         "--token-env-var is for --target linux"),
        (["--target", "linux", "--token-env-var", "sts_token"], "upper-case letters"),
        (["--target", "linux", "--token-env-var", "STS.TOKEN"], "upper-case letters"),
        (["--target", "linux", "--env-file", "x.env"], "--env-file goes with --token-env-var"),
        (["--target", "linux", "--token-env-var", "X", "--generate-token"],
         "a generated token would be written nowhere"),
    ],
)  # fmt: skip
def test_usage_errors(spec: Path, tmp_path: Path, args: list[str], message: str) -> None:
    result = invoke(["render", spec, *args])
    assert result.exit_code == Exit.USAGE
    assert message in result.stderr
    assert dir_is_empty(tmp_path / "o")


# -- Linux: the token from an environment variable ---------------------------------------------


def test_token_env_var_needs_no_token(tmp_path: Path) -> None:
    result = invoke(["render", "--roles", ROLE, "--target", "linux", "--token-env-var",
                     "STS_BOOTSTRAP_TOKEN"])  # fmt: skip
    assert result.exit_code == Exit.OK, result.stderr
    assert "token = ${STS_BOOTSTRAP_TOKEN}\n" in result.stdout
    assert "EnvironmentFile=/etc/stackstate/bootstrap-token.env" in result.stderr
    assert "write STS_BOOTSTRAP_TOKEN=<token> to" in result.stderr


def test_token_env_var_with_an_env_file(spec: Path, tmp_path: Path) -> None:
    env_file = tmp_path / "secrets" / "token.env"
    result = invoke(["render", spec, "--target", "linux", "--token-env-var", "STS_TOKEN",
                     "--env-file", env_file])  # fmt: skip
    assert result.exit_code == Exit.OK, result.stderr
    assert TOKEN not in result.stdout + result.stderr
    assert env_file.read_text("utf-8").endswith(f'\nSTS_TOKEN="{TOKEN}"\n')
    assert file_mode(env_file) == 0o600
    assert f"wrote {env_file} (mode 0600)" in result.stderr
    assert f"install {env_file} as /etc/stackstate/bootstrap-token.env" in result.stderr


def test_env_file_and_out_dir_are_written_together(spec: Path, tmp_path: Path) -> None:
    out, env_file = tmp_path / "out", tmp_path / "token.env"
    env_file.write_text("old\n", encoding="utf-8")
    args = ["render", spec, "--target", "linux", "--token-env-var", "STS_TOKEN",
            "--env-file", env_file, "--out-dir", out]  # fmt: skip
    assert invoke(args).exit_code == Exit.NOT_WRITTEN
    assert dir_is_empty(out)
    assert invoke([*args, "--force"]).exit_code == Exit.OK
    conf = (out / HOCON_FILE).read_text("utf-8")
    assert TOKEN not in conf
    assert "No secret in it" in conf
    assert TOKEN in env_file.read_text("utf-8")


def test_target_all_with_both(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(["render", spec, "--external-secret", SECRET, "--token-env-var",
                     "STS_TOKEN", "--out-dir", out])  # fmt: skip
    assert result.exit_code == Exit.OK, result.stderr
    for name in (HELM_FILE, HOCON_FILE):
        assert TOKEN not in (out / name).read_text("utf-8")
    assert TOKEN in (out / SECRET_FILE).read_text("utf-8")
