"""No token in any output: every command, on success and on every kind of failure, is run and all
it printed is searched for every token the server knows and every token configgen was given.

The one exception is deliberate: a new token printed once on stdout when no file was given.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from configgen.cli import Exit
from testing.contract_server import ContractServer
from testing.server_helpers import AUTH_TOKEN, run

WRONG_TOKEN = "svctok-WRONGwrongWRONGwrong0000"
EXISTING_VALUE = "svctok-existingEXISTINGexisting00"
DECLARED = """\
serviceTokens:
  - {name: ci-pipeline, roles: [stackstate-k8s-troubleshooter], expiration: 2027-06-30}
  - {name: existing, roles: [changed-role]}
"""

COMMANDS = {
    "check": ["check", "--permission", "read-settings", "--permission", "update-settings"],
    "check-json": ["check", "--format", "json"],
    "list": ["list"],
    "list-json": ["list", "--format", "json"],
    "create-file": ["create", "--name", "n", "--roles", "r", "--write-token", "{tmp}/new.token"],
    "create-print": ["create", "--name", "n", "--roles", "r", "--ttl", "1d"],
    "delete-id": ["delete", "{existing_id}"],
    "delete-name": ["delete", "--name", "existing"],
    "sync-check": ["sync", "{tmp}/tokens.yaml", "--check", "--prune"],
    "sync-check-json": ["sync", "{tmp}/tokens.yaml", "--check", "--format", "json"],
    "sync-files": [
        "sync",
        "{tmp}/tokens.yaml",
        "--replace",
        "--prune",
        "--write-tokens",
        "{tmp}/out",
    ],
    "sync-print": ["sync", "{tmp}/tokens.yaml", "--replace"],
    "sync-print-json": ["sync", "{tmp}/tokens.yaml", "--replace", "--format", "json"],
}
PRINTS_NEW_TOKENS = {"create-print": 1, "sync-print": 2, "sync-print-json": 2}
FAULTS = [None, "wrong-token", "500", "unauthenticated", "malformed", "redirect", "close", "html"]


@pytest.mark.parametrize("fault", FAULTS)
@pytest.mark.parametrize("command", COMMANDS)
def test_no_token_in_any_output(
    api: ContractServer, tmp_path: Path, command: str, fault: str | None
) -> None:
    existing_id = api.add_token("existing", ["r"], value=EXISTING_VALUE)
    (tmp_path / "tokens.yaml").write_text(DECLARED)
    args = [a.format(tmp=tmp_path, existing_id=existing_id) for a in COMMANDS[command]]
    token = AUTH_TOKEN
    if fault == "wrong-token":
        token = WRONG_TOKEN
    elif fault is not None:
        api.set_fault(fault)
    result = run(api, *args, "--retries", "0", token=token)
    known = {AUTH_TOKEN, WRONG_TOKEN, EXISTING_VALUE, *api.keys}
    new = known - {AUTH_TOKEN, WRONG_TOKEN, EXISTING_VALUE}
    assert AUTH_TOKEN not in result.stdout + result.stderr
    for value in known:
        assert value not in result.stderr, f"{value} on stderr:\n{result.stderr}"
    printed = {v for v in known if v in result.stdout}
    if fault is None and command in PRINTS_NEW_TOKENS:
        assert result.exit_code == Exit.OK, result.stderr
        assert len(printed) == PRINTS_NEW_TOKENS[command]
        assert printed <= new
        assert all(result.stdout.count(v) == 1 for v in printed)
    else:
        assert printed == set(), result.stdout
    if fault is not None:
        assert result.exit_code in (Exit.INVALID_INPUT, Exit.SERVER)
    # Written token files hold the new values, and nothing else holds them.
    for written in tmp_path.rglob("*"):
        if written.is_file() and written.name != "tokens.yaml":
            assert written.read_text().strip() in new


def test_token_never_in_a_url(api: ContractServer, tmp_path: Path) -> None:
    (tmp_path / "tokens.yaml").write_text(DECLARED)
    for args in (
        ["check", "--permission", "read-settings"],
        ["list"],
        ["sync", str(tmp_path / "tokens.yaml"), "--write-tokens", str(tmp_path / "o")],
    ):
        run(api, *args)  # fmt: skip
    assert api.requests
    for request in api.requests:
        assert AUTH_TOKEN not in request.target
        assert request.headers["x-api-key"] == AUTH_TOKEN
        assert AUTH_TOKEN not in request.body.decode()
