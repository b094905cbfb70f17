"""``configgen service-token check | list | create | delete`` against the contract server: exit
codes, stdout and stderr asserted separately."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

import pytest

from configgen.cli import Exit
from configgen.server import tokens
from testing.contract_server import ContractServer
from testing.server_helpers import AUTH_TOKEN, assert_secret_free, output, run

JUNE_2027 = 1814313600000  # 2027-06-30T00:00:00Z


def days_from_now(days: int) -> int:
    return tokens.to_millis(dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days))


# check


def test_check_accepted(api: ContractServer) -> None:
    result = run(api, "check", "--permission", "read-settings")
    assert result.exit_code == Exit.OK, output(result)
    assert result.stdout.splitlines() == [
        f"server: {api.url} (version 7.1.2, SelfHosted, 2.3.6)",
        "token: accepted (from STS_CLI_SERVICE_TOKEN)",
        "roles: stackstate-admin",
        "permission read-settings: allowed",
    ]
    assert result.stderr == ""
    paths = [r.target for r in api.requests]
    assert paths == [
        "/api/server/info",
        "/api/user/session/availableRoles",
        "/api/user/authorization/for?permission=read-settings",
    ]


def test_check_json(api: ContractServer) -> None:
    result = run(api, "check", "--permission", "read-settings,update-settings", "--format", "json")
    assert result.exit_code == Exit.INVALID_INPUT
    document = json.loads(result.stdout)
    assert document == {
        "url": api.url,
        "tokenSource": "STS_CLI_SERVICE_TOKEN",
        "accepted": True,
        "ok": False,
        "server": {"version": "7.1.2", "deploymentMode": "SelfHosted", "platformVersion": "2.3.6"},
        "roles": ["stackstate-admin"],
        "permissions": {"read-settings": "allowed", "update-settings": "forbidden"},
    }
    assert result.stderr == "configgen: the token lacks: update-settings\n"


def test_check_refused_lists_the_likely_causes(api: ContractServer) -> None:
    """/server/info answers without credentials: only the session endpoint proves anything."""
    result = run(api, "check", token="svctok-expired-long-ago-000000")
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stdout == ""
    assert "the server refused the token (401 Unauthorized)" in result.stderr
    assert "from STS_CLI_SERVICE_TOKEN" in result.stderr
    for cause in ("it expired", "never created", "configgen lint --require-token",
                  "wrong header or URL", "X-API-Key"):  # fmt: skip
        assert cause in result.stderr
    assert "svctok-expired-long-ago-000000" not in output(result)


def test_check_refused_by_server_info_too(api: ContractServer) -> None:
    api.info_needs_auth = True
    result = run(api, "check", token="svctok-unknown-token-00000000")
    assert result.exit_code == Exit.INVALID_INPUT
    assert "/api/server/info: the server refused the token" in result.stderr


def test_check_forbidden_and_unknown_permissions(api: ContractServer) -> None:
    result = run(api, "check", "--permission", "update-settings", "--permission", "fly")
    assert result.exit_code == Exit.INVALID_INPUT
    assert "permission update-settings: forbidden" in result.stdout
    assert "permission fly: unknown to the server" in result.stdout
    assert result.stderr == "configgen: the token lacks: update-settings, fly\n"


def test_check_with_a_private_ca(tls_api: ContractServer, ca_file: Path) -> None:
    result = run(tls_api, "check", "--ca-cert", ca_file)
    assert result.exit_code == Exit.OK, output(result)
    assert result.stdout.startswith(f"server: {tls_api.url} ")


def test_check_without_the_ca(tls_api: ContractServer) -> None:
    result = run(tls_api, "check", "--retries", "0")
    assert result.exit_code == Exit.SERVER
    assert "TLS certificate not trusted" in result.stderr
    assert "--ca-cert FILE" in result.stderr


def test_check_skip_ssl_warns(tls_api: ContractServer) -> None:
    result = run(tls_api, "check", "--skip-ssl")
    assert result.exit_code == Exit.OK
    assert "configgen: warning: TLS certificate checks are off" in result.stderr


def test_check_bad_ca_file(tls_api: ContractServer, tmp_path: Path) -> None:
    bogus = tmp_path / "ca.pem"
    bogus.write_text("-----BEGIN CERTIFICATE-----\nnot really\n-----END CERTIFICATE-----\n")
    result = run(tls_api, "check", "--ca-cert", bogus)
    assert result.exit_code == Exit.USAGE
    assert "not a PEM or DER certificate" in result.stderr


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("500", "server error (500 Internal Server Error): boom for key ***"),
        ("malformed", "the answer is not JSON"),
        ("oversized", "larger than 4 MiB"),
        ("slow", "no answer within 1 s"),
        ("drip", "did not arrive within 1 s"),
        ("redirect", "redirects (302)"),
        ("close", "closed the connection without answering"),
        ("bad-shape", "does not match the API (Roles)"),
    ],
)
def test_check_faults_exit_5(api: ContractServer, fault: str, message: str) -> None:
    api.set_fault(fault, paths={"/user/session/availableRoles"})
    result = run(api, "check", "--timeout", "1", "--retries", "0")
    assert result.exit_code == Exit.SERVER, output(result)
    assert message in result.stderr
    assert result.stdout == ""
    assert_secret_free(result, [AUTH_TOKEN])


def test_server_info_of_the_wrong_shape(api: ContractServer) -> None:
    api.set_fault("bad-shape", paths={"/server/info"})
    result = run(api, "check")
    assert result.exit_code == Exit.SERVER
    assert "does not match the API (ServerInfo)" in result.stderr


def test_connection_refused_exit_5() -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run(None, "check", "--url", f"http://127.0.0.1:{port}", "--retries", "0")
    assert result.exit_code == Exit.SERVER
    assert "connection refused: is the server running" in result.stderr


# list


def test_list_text(api: ContractServer) -> None:
    api.add_token("rancher-extension", ["stackstate-guest"])
    api.add_token("ci-pipeline", ["stackstate-k8s-troubleshooter", "stackstate-guest"], JUNE_2027)
    api.add_token("old", ["stackstate-guest"], days_from_now(-3), dedicated_subject="old-subject")
    result = run(api, "list")
    assert result.exit_code == Exit.OK
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["ID", "NAME", "EXPIRATION", "ROLES", "DEDICATED", "SUBJECT"]
    assert lines[1].split()[1:] == [
        "ci-pipeline", "2027-06-30", "stackstate-k8s-troubleshooter,stackstate-guest"
    ]  # fmt: skip
    assert lines[2].split()[1:4] == ["old", tokens.date_text(days_from_now(-3)), "(expired)"]
    assert lines[2].endswith("old-subject")
    assert lines[3].split()[1:] == ["rancher-extension", "never", "stackstate-guest"]
    assert result.stderr == ""


def test_list_json(api: ContractServer) -> None:
    token_id = api.add_token("ci", ["r"], JUNE_2027, description="made by hand")
    result = run(api, "list", "--format", "json")
    assert json.loads(result.stdout) == {
        "serviceTokens": [
            {
                "id": token_id,
                "name": "ci",
                "roles": ["r"],
                "expiration": "2027-06-30T00:00:00Z",
                "expirationMillis": JUNE_2027,
                "dedicatedSubject": None,
                "description": "made by hand",
            }
        ]
    }


def test_list_empty(api: ContractServer) -> None:
    result = run(api, "list")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "no service tokens\n")
    assert json.loads(run(api, "list", "--format", "json").stdout) == {"serviceTokens": []}


def test_list_forbidden(api: ContractServer) -> None:
    api.set_fault("unauthenticated")
    result = run(api, "list")
    assert result.exit_code == Exit.INVALID_INPUT
    assert "refused the token" in result.stderr


def test_list_of_the_wrong_shape(api: ContractServer) -> None:
    api.set_fault("bad-shape")
    result = run(api, "list")
    assert result.exit_code == Exit.SERVER
    assert "item 0 has no name" in result.stderr


# create


def test_create_writes_the_token_to_a_0600_file(api: ContractServer, tmp_path: Path) -> None:
    target = tmp_path / "ci.token"
    result = run(api, "create", "--name", "ci", "--roles", "stackstate-k8s-troubleshooter",
                 "--roles", "stackstate-guest", "--expiration", "2027-06-30",
                 "--write-token", target)  # fmt: skip
    assert result.exit_code == Exit.OK, output(result)
    value = target.read_text().strip()
    assert value.startswith("svctok-")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert result.stdout == ""
    assert result.stderr == (
        f"created service token ci (expires 2027-06-30); its value is in {target} (mode 0600)\n"
    )
    assert_secret_free(result, [value, AUTH_TOKEN])
    (created,) = api.tokens.values()
    assert created["roles"] == ["stackstate-k8s-troubleshooter", "stackstate-guest"]
    assert created["expiration"] == JUNE_2027
    body = json.loads(api.requests[-1].body)
    assert body == {
        "name": "ci",
        "roles": ["stackstate-k8s-troubleshooter", "stackstate-guest"],
        "expiryDate": JUNE_2027,
    }


def test_create_prints_the_token_once_without_a_file(api: ContractServer) -> None:
    result = run(api, "create", "--name", "ci", "--roles", "stackstate-guest", "--ttl", "30d",
                 "--dedicated-subject", "ci-subject")  # fmt: skip
    assert result.exit_code == Exit.OK
    (value,) = result.stdout.splitlines()
    assert value.startswith("svctok-")
    assert "warning: the token is printed once below" in result.stderr
    assert value not in result.stderr
    (created,) = api.tokens.values()
    assert created["dedicatedSubject"] == "ci-subject"
    expected = days_from_now(30)
    assert abs(created["expiration"] - expected) < 600_000  # the same moment, give or take


def test_create_without_expiration(api: ContractServer, tmp_path: Path) -> None:
    result = run(api, "create", "--name", "forever", "--roles", "r", "--write-token",
                 tmp_path / "t")  # fmt: skip
    assert result.exit_code == Exit.OK
    assert "(does not expire)" in result.stderr
    assert "expiryDate" not in json.loads(api.requests[-1].body)


def test_create_never_over_an_existing_file(api: ContractServer, tmp_path: Path) -> None:
    target = tmp_path / "ci.token"
    target.write_text("keep me\n")
    result = run(api, "create", "--name", "ci", "--roles", "r", "--write-token", target)
    assert result.exit_code == Exit.NOT_WRITTEN
    assert "already exists; nothing was created" in result.stderr
    assert api.requests == []
    assert target.read_text() == "keep me\n"


def test_create_prints_the_token_when_its_file_cannot_be_written(
    api: ContractServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from configgen import files

    def broken(*args: object, **kwargs: object) -> None:
        raise files.WriteError(f"{tmp_path / 't'}: No space left on device")

    monkeypatch.setattr(files, "write_new", broken)
    result = run(api, "create", "--name", "ci", "--roles", "r", "--write-token", tmp_path / "t")
    assert result.exit_code == Exit.NOT_WRITTEN
    (value,) = result.stdout.splitlines()
    assert value.startswith("svctok-")
    assert "No space left on device" in result.stderr
    assert "printed below instead" in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--ttl", "30d", "--expiration", "2027-06-30"], "use either --ttl or --expiration"),
        (["--ttl", "2w"], "there is no week unit"),
        (["--ttl", "86400"], "add a unit"),
        (["--ttl", "0d"], "positive duration"),
        (["--expiration", "30.06.2027"], "YYYY-MM-DD"),
        (["--expiration", "2027-02-30"], "not a date in the calendar"),
        (["--expiration", "2020-01-01"], "not in the future"),
    ],
)
def test_create_usage_errors(api: ContractServer, args: list[str], message: str) -> None:
    result = run(api, "create", "--name", "ci", "--roles", "r", *args)
    assert result.exit_code == Exit.USAGE
    assert message in result.stderr
    assert api.requests == []


def test_create_needs_a_name_and_roles(api: ContractServer) -> None:
    assert "at least one role" in run(api, "create", "--name", "a", "--roles", ",").stderr
    assert "the name is empty" in run(api, "create", "--name", " ", "--roles", "r").stderr


def test_create_refused_expiry(api: ContractServer, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server has the last word on the expiration (its clock may be ahead of ours)."""
    monkeypatch.setattr(tokens, "expiry_from_ttl", lambda text, now: 1_000)
    result = run(api, "create", "--name", "ci", "--roles", "r", "--ttl", "1d")
    assert result.exit_code == Exit.INVALID_INPUT
    assert "refused the expiration of 'ci': Expiry date must be in the future" in result.stderr


def test_create_server_error(api: ContractServer) -> None:
    api.set_fault("500")
    result = run(api, "create", "--name", "ci", "--roles", "r", "--retries", "0")
    assert result.exit_code == Exit.SERVER
    assert_secret_free(result, [AUTH_TOKEN])


# delete


def test_delete_by_id(api: ContractServer) -> None:
    token_id = api.add_token("ci", ["r"])
    result = run(api, "delete", str(token_id))
    assert result.exit_code == Exit.OK
    assert result.stderr == f"deleted service token {token_id} (ci)\n"
    assert api.tokens == {}
    assert api.requests[-1].method == "DELETE"
    assert api.requests[-1].target == f"/api/security/tokens/{token_id}"


def test_delete_by_name(api: ContractServer) -> None:
    api.add_token("keep", ["r"])
    token_id = api.add_token("ci", ["r"])
    result = run(api, "delete", "--name", "ci")
    assert result.exit_code == Exit.OK
    assert str(token_id) in result.stderr
    assert [t["name"] for t in api.tokens.values()] == ["keep"]


def test_delete_missing_or_ambiguous(api: ContractServer) -> None:
    result = run(api, "delete", "42")
    assert result.exit_code == Exit.INVALID_INPUT
    assert "no service token with id 42" in result.stderr
    api.add_token("twin", ["r"])
    api.add_token("twin", ["r"])
    result = run(api, "delete", "--name", "twin")
    assert result.exit_code == Exit.INVALID_INPUT
    assert "2 service tokens have name 'twin'" in result.stderr
    assert len(api.tokens) == 2


def test_delete_usage(api: ContractServer) -> None:
    assert run(api, "delete").exit_code == Exit.USAGE
    assert run(api, "delete", "1", "--name", "x").exit_code == Exit.USAGE
    assert run(api, "delete", "abc").exit_code == Exit.USAGE


def test_delete_server_error(api: ContractServer) -> None:
    token_id = api.add_token("ci", ["r"])
    api.set_fault("500", paths={f"/security/tokens/{token_id}"})
    result = run(api, "delete", str(token_id))
    assert result.exit_code == Exit.SERVER
    assert "server error" in result.stderr


@pytest.mark.parametrize("command", ["check", "list", "create", "delete", "sync"])
def test_every_command_has_help_with_examples(command: str) -> None:
    result = run(None, command, "--help", token=None)
    assert result.exit_code == Exit.OK
    assert "Examples:" in result.stdout
    assert "Exit codes:" in result.stdout
    assert "5  the server could not be reached" in result.stdout
