"""Run ``configgen service-token`` against a contract server, in-process."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from click.testing import Result

from testing.cli import invoke
from testing.contract_server import ContractServer

AUTH_TOKEN = "svctok-kQ3vX9pL2mN8rT5wZ7yBcD4e"  # the contract servers' admin token
ADMIN_ROLES = ["stackstate-admin"]


def run(
    server: ContractServer | None,
    *args: Any,
    token: str | None = AUTH_TOKEN,
    env: Mapping[str, str] | None = None,
    stdin: str | None = None,
) -> Result:
    """``configgen service-token ARGS`` with STS_CLI_URL and STS_CLI_SERVICE_TOKEN set."""
    environment: dict[str, str] = {}
    if server is not None:
        environment["STS_CLI_URL"] = server.url
    if token is not None:
        environment["STS_CLI_SERVICE_TOKEN"] = token
    environment.update(env or {})
    return invoke(["service-token", *args], env=environment, stdin=stdin)


def output(result: Result) -> str:
    return result.stdout + result.stderr


def assert_secret_free(result: Result, secrets: Sequence[str]) -> None:
    everything = output(result)
    for secret in secrets:
        assert secret not in everything, f"a token leaked into the output:\n{everything}"
