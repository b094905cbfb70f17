"""``configgen render`` end to end: targets, output files, flags over the spec, token sources."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from configgen import __version__
from configgen.cli import Exit
from testing.cli import (
    HELM_FILE,
    HOCON_FILE,
    NEXT_KUBERNETES,
    NEXT_LINUX,
    OTHER_TOKEN,
    ROLE,
    SERVICE_TOKEN_AUTH_SERVER,
    TOKEN,
    dir_is_empty,
    error_lines,
    file_mode,
    helm_bootstrap,
    hocon_auth_server_type,
    hocon_bootstrap,
    invoke,
    spec_text,
    write_spec,
)

TOKEN_WARNING = (
    "--token: warning: a token typed on the command line is visible to other users of this "
    "machine (process list, shell history): prefer --token-file or --token-env "
    "[token-on-command-line]"
)


@pytest.fixture
def spec(tmp_path: Path) -> Path:
    return write_spec(tmp_path, spec_text())


def test_kubernetes_to_stdout(spec: Path) -> None:
    result = invoke(["render", spec, "--target", "kubernetes"])
    assert result.exit_code == Exit.OK, result.stderr
    assert helm_bootstrap(result.stdout) == {"token": TOKEN, "roles": [ROLE], "ttl": "24h"}
    assert f'        token: "{TOKEN}"\n' in result.stdout  # quoted, so Helm reads a string
    assert result.stdout.endswith('        ttl: "24h"\n')
    assert "stackstate.api" not in result.stdout
    assert TOKEN not in result.stderr
    assert result.stderr == (
        "next (kubernetes): helm upgrade --install --namespace stackstate --values values.yaml "
        "--values authentication.yaml stackstate stackstate/stackstate\n"
    )


def test_linux_to_stdout(spec: Path) -> None:
    result = invoke(["render", spec, "--target", "linux"])
    assert result.exit_code == Exit.OK, result.stderr
    assert hocon_bootstrap(result.stdout) == {"token": TOKEN, "roles": [ROLE], "ttl": "24h"}
    assert hocon_auth_server_type(result.stdout) == [
        "stackstateAuthServer",
        SERVICE_TOKEN_AUTH_SERVER,
    ]
    assert "stackstate.api.authentication.authServer {" in result.stdout
    assert TOKEN not in result.stderr
    assert result.stderr.startswith(NEXT_LINUX)
    assert "wrote" not in result.stderr


def test_out_dir_writes_both_files_owner_only(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "deep" / "out"  # created, parents too
    result = invoke(["render", spec, "--out-dir", out])
    assert result.exit_code == Exit.OK, result.stderr
    assert result.stdout == ""
    assert sorted(p.name for p in out.iterdir()) == [HOCON_FILE, HELM_FILE]
    for name in (HELM_FILE, HOCON_FILE):
        assert file_mode(out / name) == 0o600
        assert f"wrote {out / name} (mode 0600)" in result.stderr.splitlines()
    assert NEXT_KUBERNETES in result.stderr
    assert NEXT_LINUX in result.stderr
    assert TOKEN not in result.stderr
    expected = {"token": TOKEN, "roles": [ROLE], "ttl": "24h"}
    assert helm_bootstrap((out / HELM_FILE).read_text()) == expected
    assert hocon_bootstrap((out / HOCON_FILE).read_text()) == expected


def test_out_dir_with_one_target(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(["render", spec, "--target", "linux", "--out-dir", out])
    assert result.exit_code == Exit.OK, result.stderr
    assert [p.name for p in out.iterdir()] == [HOCON_FILE]
    assert file_mode(out / HOCON_FILE) == 0o600


def test_force_replaces(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    for name in (HELM_FILE, HOCON_FILE):
        (out / name).write_text("old\n")
        (out / name).chmod(0o644)
    result = invoke(["render", spec, "--out-dir", out, "--force"])
    assert result.exit_code == Exit.OK, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [HOCON_FILE, HELM_FILE]  # no temp files left
    assert helm_bootstrap((out / HELM_FILE).read_text())["token"] == TOKEN
    assert hocon_bootstrap((out / HOCON_FILE).read_text())["token"] == TOKEN
    assert file_mode(out / HELM_FILE) == 0o600
    assert file_mode(out / HOCON_FILE) == 0o600


def test_force_replaces_a_symlink_not_its_target(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("untouched\n")
    (out / HELM_FILE).symlink_to(victim)
    result = invoke(["render", spec, "--out-dir", out, "--force"])
    assert result.exit_code == Exit.OK, result.stderr
    assert victim.read_text() == "untouched\n"
    assert not (out / HELM_FILE).is_symlink()
    assert file_mode(out / HELM_FILE) == 0o600


def test_flags_override_the_spec(tmp_path: Path) -> None:
    spec = write_spec(
        tmp_path,
        spec_text(
            roles=["stackstate-guest"],
            ttl="7d",
            dedicatedSubject="from-spec",
            loginProviders=["oidcAuthServer"],
        ),
    )
    out = tmp_path / "out"
    args = ["render", spec, "--out-dir", out, "--roles", "a, b", "--roles", "c", "--ttl", "90m"]
    args += ["--dedicated-subject", "svc-bot", "--login-provider", "ldapAuthServer"]
    result = invoke(args)
    assert result.exit_code == Exit.OK, result.stderr
    expected = {"token": TOKEN, "roles": ["a", "b", "c"], "ttl": "90m"}
    expected["dedicatedSubject"] = "svc-bot"
    helm = (out / HELM_FILE).read_text()
    hocon = (out / HOCON_FILE).read_text()
    assert helm_bootstrap(helm) == expected
    assert hocon_bootstrap(hocon) == expected
    assert hocon_auth_server_type(hocon) == ["ldapAuthServer", SERVICE_TOKEN_AUTH_SERVER]
    assert "stackstate-guest" not in helm + hocon
    # Warnings about values from flags name the flag, not the spec file.
    assert '--roles: warning: roles[0]: "a" is not a predefined role' in result.stderr
    assert '--ttl: warning: ttl: "90m" is outside the units every duration' in result.stderr


def test_spec_values_without_flags(tmp_path: Path) -> None:
    spec = write_spec(
        tmp_path,
        spec_text(
            roles=["stackstate-guest", "stackstate-admin"],
            ttl="7 days",
            dedicatedSubject="bot@example.com",
            loginProviders=["keycloakAuthServer", "ldapAuthServer"],
        ),
    )
    result = invoke(["render", spec, "--target", "linux"])
    assert result.exit_code == Exit.OK, result.stderr
    assert error_lines(result.stderr) == []
    assert "warning" not in result.stderr
    assert hocon_bootstrap(result.stdout) == {
        "token": TOKEN,
        "roles": ["stackstate-guest", "stackstate-admin"],
        "ttl": "7 days",
        "dedicatedSubject": "bot@example.com",
    }
    assert hocon_auth_server_type(result.stdout) == [
        "keycloakAuthServer",
        "ldapAuthServer",
        SERVICE_TOKEN_AUTH_SERVER,
    ]


@pytest.mark.parametrize(
    ("providers", "expected"),
    [
        (["ldapAuthServer"], ["ldapAuthServer"]),
        (["oidcAuthServer,stackstateAuthServer"], ["oidcAuthServer", "stackstateAuthServer"]),
        (["k8sServiceAccountAuthServer", "ldapAuthServer"], ["k8sServiceAccountAuthServer",
                                                             "ldapAuthServer"]),
    ],
)  # fmt: skip
def test_login_providers_keep_their_order(
    spec: Path, providers: list[str], expected: list[str]
) -> None:
    args = ["render", spec, "--target", "linux"]
    for provider in providers:
        args += ["--login-provider", provider]
    result = invoke(args)
    assert result.exit_code == Exit.OK, result.stderr
    assert hocon_auth_server_type(result.stdout) == [*expected, SERVICE_TOKEN_AUTH_SERVER]


def test_login_provider_does_not_change_the_helm_file(spec: Path) -> None:
    plain = invoke(["render", spec, "--target", "kubernetes"])
    ldap = invoke(["render", spec, "--target", "kubernetes", "--login-provider", "ldapAuthServer"])
    assert ldap.exit_code == plain.exit_code == Exit.OK
    assert ldap.stdout == plain.stdout


def test_spec_is_optional_with_flags(tmp_path: Path) -> None:
    result = invoke(
        ["render", "--roles", ROLE, "--token-env", "STS_TOKEN", "--target", "kubernetes"],
        env={"STS_TOKEN": OTHER_TOKEN},
    )
    assert result.exit_code == Exit.OK, result.stderr
    assert helm_bootstrap(result.stdout) == {"token": OTHER_TOKEN, "roles": [ROLE], "ttl": "24h"}
    assert OTHER_TOKEN not in result.stderr


@pytest.mark.parametrize(
    ("content", "label"),
    [
        (OTHER_TOKEN + "\n", "newline"),
        (OTHER_TOKEN + "\r\n", "crlf"),
        (OTHER_TOKEN, "no-newline"),
    ],
)
def test_token_file(spec: Path, tmp_path: Path, content: str, label: str) -> None:
    token_file = tmp_path / f"token-{label}.txt"
    token_file.write_bytes(content.encode())
    result = invoke(["render", spec, "--token-file", token_file, "--target", "linux"])
    assert result.exit_code == Exit.OK, result.stderr
    assert hocon_bootstrap(result.stdout)["token"] == OTHER_TOKEN  # the file wins over the spec
    assert TOKEN not in result.stdout
    assert OTHER_TOKEN not in result.stderr
    assert "warning" not in result.stderr


def test_token_file_from_stdin(spec: Path) -> None:
    result = invoke(
        ["render", spec, "--token-file", "-", "--target", "linux"], stdin=OTHER_TOKEN + "\n"
    )
    assert result.exit_code == Exit.OK, result.stderr
    assert hocon_bootstrap(result.stdout)["token"] == OTHER_TOKEN
    assert OTHER_TOKEN not in result.stderr


def test_token_file_with_two_lines_is_refused(spec: Path, tmp_path: Path) -> None:
    token_file = tmp_path / "token.txt"
    token_file.write_text(f"{OTHER_TOKEN}\n\n")
    result = invoke(["render", spec, "--token-file", token_file, "--target", "linux"])
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout == ""
    assert error_lines(result.stderr) == [
        f"--token-file {token_file}: error: token: has characters outside "
        "A-Z a-z 0-9 . _ ~ + / = -: use --generate-token [spec]"
    ]


def test_token_env(spec: Path) -> None:
    result = invoke(
        ["render", spec, "--token-env", "MY_TOKEN", "--target", "kubernetes"],
        env={"MY_TOKEN": OTHER_TOKEN},
    )
    assert result.exit_code == Exit.OK, result.stderr
    assert helm_bootstrap(result.stdout)["token"] == OTHER_TOKEN
    assert OTHER_TOKEN not in result.stderr
    assert "warning" not in result.stderr


def test_token_on_command_line_warns(spec: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = invoke(["render", spec, "--token", OTHER_TOKEN, "--out-dir", out])
    assert result.exit_code == Exit.OK, result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines()[0] == TOKEN_WARNING
    assert OTHER_TOKEN not in result.stderr
    assert helm_bootstrap((out / HELM_FILE).read_text())["token"] == OTHER_TOKEN
    assert hocon_bootstrap((out / HOCON_FILE).read_text())["token"] == OTHER_TOKEN


def test_spec_from_stdin(tmp_path: Path) -> None:
    result = invoke(["render", "-", "--target", "linux"], stdin=spec_text(ttl="36h"))
    assert result.exit_code == Exit.OK, result.stderr
    assert hocon_bootstrap(result.stdout) == {"token": TOKEN, "roles": [ROLE], "ttl": "36h"}


def test_spec_from_stdin_error_names_stdin() -> None:
    result = invoke(["render", "-", "--target", "linux"], stdin=spec_text(ttl="PT24H"))
    assert result.exit_code == Exit.INVALID_INPUT
    (line,) = error_lines(result.stderr)
    assert line.startswith('<stdin>:3:6: error: ttl: "PT24H" is not a duration the server accepts')


def test_json_spec(tmp_path: Path) -> None:
    data = {"token": TOKEN, "roles": [ROLE, "stackstate-guest"], "ttl": "12h"}
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(data, indent=2))
    out = tmp_path / "out"
    result = invoke(["render", spec, "--out-dir", out])
    assert result.exit_code == Exit.OK, result.stderr
    assert helm_bootstrap((out / HELM_FILE).read_text()) == data
    assert hocon_bootstrap((out / HOCON_FILE).read_text()) == data


def test_json_spec_error_has_a_position(tmp_path: Path) -> None:
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps({"token": TOKEN, "roles": [ROLE], "ttl": "2w"}, indent=2))
    result = invoke(["render", spec, "--target", "linux"])
    assert result.exit_code == Exit.INVALID_INPUT
    (line,) = error_lines(result.stderr)
    assert line.startswith(f'{spec}:6:10: error: ttl: "2w" is not a duration the server accepts')


def test_hocon_short_form(spec: Path) -> None:
    result = invoke(["render", spec, "--target", "linux", "--hocon-form", "short"])
    assert result.exit_code == Exit.OK, result.stderr
    assert hocon_bootstrap(result.stdout, "short") == {
        "token": TOKEN,
        "roles": [ROLE],
        "ttl": "24h",
    }
    assert hocon_auth_server_type(result.stdout, "short") == [
        "stackstateAuthServer",
        SERVICE_TOKEN_AUTH_SERVER,
    ]
    assert "stackstate.api" not in result.stdout.replace("# ", "")
    full = invoke(["render", spec, "--target", "linux"])
    assert full.stdout != result.stdout


def test_hocon_form_does_not_change_the_helm_file(spec: Path) -> None:
    short = invoke(["render", spec, "--target", "kubernetes", "--hocon-form", "short"])
    full = invoke(["render", spec, "--target", "kubernetes"])
    assert short.exit_code == full.exit_code == Exit.OK
    assert short.stdout == full.stdout


LDAP_DN = "cn=admins,ou=x"


def test_role_with_comma_renders_for_linux(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, spec_text(roles=[LDAP_DN, ROLE]))
    result = invoke(["render", spec, "--target", "linux"])
    assert result.exit_code == Exit.OK, result.stderr
    assert hocon_bootstrap(result.stdout)["roles"] == [LDAP_DN, ROLE]  # one role, not two


def test_role_with_comma_is_refused_for_kubernetes(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, spec_text(roles=[ROLE, LDAP_DN]))
    result = invoke(["render", spec, "--target", "kubernetes"])
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout == ""
    (line,) = error_lines(result.stderr)
    assert "roles[1]: the Helm chart writes roles into HOCON without quotes" in line
    assert "render --target linux" in line
    assert line.endswith("[render]")
    assert result.stderr.rstrip().endswith("configgen: nothing was written")


def test_kubernetes_refusal_points_at_the_role(tmp_path: Path) -> None:
    """The refused role was written in the spec at 3:5: the error should say so.

    configgen bug: render.check_target reports RenderError findings at line 0 (the bare file
    name), although the spec's positions are known.
    """
    spec = write_spec(tmp_path, f"token: {TOKEN}\nroles:\n  - {ROLE}\n  - '{LDAP_DN}'\n")
    result = invoke(["render", spec, "--target", "kubernetes"])
    assert result.exit_code == Exit.INVALID_INPUT
    (line,) = error_lines(result.stderr)
    assert line.startswith(f"{spec}:4:5: error: roles[1]: ")


@pytest.mark.parametrize(
    "role", ["admins group", "${HOME}", "true", "0777", "a//b", "team:ops", "x#y", "-lead"]
)
def test_roles_the_chart_would_misread_are_refused_for_kubernetes(
    tmp_path: Path, role: str
) -> None:
    spec = write_spec(tmp_path, spec_text(roles=[role]))
    kubernetes = invoke(["render", spec, "--target", "kubernetes"])
    assert kubernetes.exit_code == Exit.INVALID_INPUT
    assert "roles[0]: the Helm chart writes roles into HOCON without quotes" in kubernetes.stderr
    linux = invoke(["render", spec, "--target", "linux"])
    assert linux.exit_code == Exit.OK, linux.stderr
    assert hocon_bootstrap(linux.stdout)["roles"] == [role]


def test_roles_flag_splits_on_commas(spec: Path) -> None:
    """``--roles`` follows the sts CLI: commas separate roles (an LDAP DN needs the spec)."""
    result = invoke(["render", spec, "--roles", LDAP_DN, "--target", "linux"])
    assert result.exit_code == Exit.OK, result.stderr
    assert hocon_bootstrap(result.stdout)["roles"] == ["cn=admins", "ou=x"]


def test_target_all_without_out_dir_is_a_usage_error(spec: Path) -> None:
    result = invoke(["render", spec, "--target", "all"])
    assert result.exit_code == Exit.USAGE
    assert result.stdout == ""
    assert (
        "Error: --target all writes two files: give --out-dir DIR, or choose --target kubernetes "
        "or --target linux to print one to stdout" in result.stderr
    )


def test_warning_for_a_ttl_not_every_parser_reads(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, spec_text(ttl="10m"))
    result = invoke(["render", spec, "--target", "linux"])
    assert result.exit_code == Exit.OK
    assert result.stderr.splitlines()[0] == (
        f'{spec}:3:6: warning: ttl: "10m" is outside the units every duration parser agrees on: '
        "write a positive whole number with s, h, d, minutes, hours or days [spec]"
    )
    assert hocon_bootstrap(result.stdout)["ttl"] == "10m"


def test_bom_and_crlf_spec(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_bytes(b"\xef\xbb\xbf" + spec_text(ttl="2h").replace("\n", "\r\n").encode())
    result = invoke(["render", spec, "--target", "kubernetes"])
    assert result.exit_code == Exit.OK, result.stderr
    assert helm_bootstrap(result.stdout) == {"token": TOKEN, "roles": [ROLE], "ttl": "2h"}


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version(flag: str) -> None:
    result = invoke([flag])
    assert result.exit_code == Exit.OK
    assert result.stdout == f"configgen, version {__version__}\n"
    assert result.stderr == ""


def test_help_documents_exit_codes() -> None:
    result = invoke(["render", "--help"])
    assert result.exit_code == Exit.OK
    for line in ("1  invalid input", "2  usage error", "3  output not written", "4  internal"):
        assert line in result.stdout


def test_failure_on_second_file_leaves_nothing_behind(spec: Path, tmp_path: Path) -> None:
    """--force, but the second output cannot be written (a directory is in the way).

    authentication.yaml did not exist before, so it is removed again.
    """
    out = tmp_path / "out"
    (out / HOCON_FILE).mkdir(parents=True)
    result = invoke(["render", spec, "--out-dir", out, "--force"])
    assert result.exit_code == Exit.NOT_WRITTEN
    assert result.stderr.startswith(f"configgen: cannot write {out / HOCON_FILE}: ")
    assert sorted(p.name for p in out.iterdir()) == [HOCON_FILE], "a partial result was left"


def test_race_on_second_file_leaves_nothing_behind(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process creates the second output between the check and the write.

    configgen refuses (exit 3) and says "nothing was written", so the first file must not be
    left behind.
    """
    out = tmp_path / "out"
    real_link = os.link
    calls: list[str] = []

    def racing_link(source: str, target: str) -> None:
        calls.append(target)
        if len(calls) == 2:
            Path(target).write_text("created by someone else\n")
        real_link(source, target)

    monkeypatch.setattr(os, "link", racing_link)
    result = invoke(["render", spec, "--out-dir", out])
    assert result.exit_code == Exit.NOT_WRITTEN
    assert "nothing was written" in result.stderr
    assert (out / HOCON_FILE).read_text() == "created by someone else\n"
    assert not (out / HELM_FILE).exists(), "authentication.yaml was written after all"


def test_internal_error_when_output_does_not_read_back(
    spec: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A renderer bug (simulated) ends in exit 4, names no token, and writes nothing."""
    from configgen.render import run as generate
    from configgen.render.templates import Rendered

    real_render = generate.render

    def broken_render(*args: object, **kwargs: object) -> Rendered:
        rendered = real_render(*args, **kwargs)  # type: ignore[arg-type]
        return Rendered(rendered.target, rendered.text.replace(TOKEN, OTHER_TOKEN),
                        rendered.hocon_form)  # fmt: skip

    monkeypatch.setattr(generate, "render", broken_render)
    out = tmp_path / "out"
    result = invoke(["render", spec, "--out-dir", out])
    assert result.exit_code == Exit.INTERNAL
    assert result.stdout == ""
    assert result.stderr.startswith(
        "configgen: internal error: authentication.yaml: token reads back differently; "
        "nothing was written. Please report this"
    )
    assert TOKEN not in result.stderr
    assert OTHER_TOKEN not in result.stderr
    assert dir_is_empty(out)
