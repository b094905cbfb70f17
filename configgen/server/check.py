"""Is this token accepted, and what may it do?

``GET /server/info`` gives the version, but it may answer without any credentials (readiness
probes poll it unauthenticated), so its 200 proves nothing about the token.  The proof is
``GET /user/session/availableRoles``, which needs an authenticated session: 200 with the
session's roles, or 401.  Each permission asked for is ``GET /user/authorization/for`` (204
allowed, 403 forbidden, 400 unknown to the server).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from configgen.server.client import Client
from configgen.server.errors import UnexpectedAnswer

INFO_PATH = "/server/info"
ROLES_PATH = "/user/session/availableRoles"
AUTHORIZATION_PATH = "/user/authorization/for"

ALLOWED, FORBIDDEN, UNKNOWN = "allowed", "forbidden", "unknown"


@dataclass(frozen=True)
class ServerInfo:
    """What ``/server/info`` says about the server."""

    version: str
    deployment_mode: str | None
    platform_version: str | None


@dataclass(frozen=True)
class CheckResult:
    """The server, the session's roles and a verdict per permission asked for."""

    server: ServerInfo
    roles: tuple[str, ...]
    permissions: tuple[tuple[str, str], ...]  # (permission, ALLOWED | FORBIDDEN | UNKNOWN)

    @property
    def ok(self) -> bool:
        """True when every permission asked for is allowed."""
        return all(verdict == ALLOWED for _, verdict in self.permissions)

    def as_json(self) -> dict[str, Any]:
        return {
            "accepted": True,
            "ok": self.ok,
            "server": {
                "version": self.server.version,
                "deploymentMode": self.server.deployment_mode,
                "platformVersion": self.server.platform_version,
            },
            "roles": list(self.roles),
            "permissions": dict(self.permissions),
        }


def run(client: Client, permissions: Sequence[str] = ()) -> CheckResult:
    """Ask the server; ``Refused`` (401) when it does not accept the token."""
    server = server_info(client)
    roles = session_roles(client)
    verdicts = tuple((p, authorized_for(client, p)) for p in dict.fromkeys(permissions))
    return CheckResult(server, roles, verdicts)


def server_info(client: Client) -> ServerInfo:
    data = client.get(INFO_PATH).data
    where = client.endpoint.address(INFO_PATH)
    if not isinstance(data, dict) or not isinstance(data.get("version"), dict):
        raise UnexpectedAnswer(f"{where}: the answer does not match the API (ServerInfo)")
    version = data["version"]
    parts = [version.get(k) for k in ("major", "minor", "patch")]
    if not all(isinstance(p, int) and not isinstance(p, bool) for p in parts):
        raise UnexpectedAnswer(f"{where}: the version does not match the API (ServerVersion)")
    text = ".".join(str(p) for p in parts)
    diff = version.get("diff")
    if isinstance(diff, str) and diff:
        text += f"-{client.server_text(diff, 40)}"
    mode = data.get("deploymentMode")
    platform = data.get("platformVersion")
    return ServerInfo(
        version=text,
        deployment_mode=client.server_text(mode, 40) if isinstance(mode, str) else None,
        platform_version=client.server_text(platform, 40) if isinstance(platform, str) else None,
    )


def session_roles(client: Client) -> tuple[str, ...]:
    data = client.get(ROLES_PATH).data
    roles = data.get("roles") if isinstance(data, dict) else None
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise UnexpectedAnswer(
            f"{client.endpoint.address(ROLES_PATH)}: the answer does not match the API (Roles)"
        )
    return tuple(client.server_text(r, 120) for r in roles)


def authorized_for(client: Client, permission: str) -> str:
    answer = client.get(AUTHORIZATION_PATH, {"permission": permission}, expect=(204, 400, 403))
    return {204: ALLOWED, 403: FORBIDDEN}.get(answer.status, UNKNOWN)
