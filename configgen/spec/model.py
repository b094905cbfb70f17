"""The validated token spec, and the error that refuses a spec."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from configgen.findings import Finding, FindingsError
from configgen.product import auth, durations

RULE = "spec"  # the rule id of every spec finding


@dataclass(frozen=True)
class TokenSpec:
    """A validated bootstrap token: what both output files must say."""

    token: str = field(repr=False)
    roles: tuple[str, ...]
    ttl: str = durations.DEFAULT_TTL
    dedicated_subject: str | None = None
    login_providers: tuple[str, ...] = auth.DEFAULT_LOGIN_PROVIDERS

    @property
    def auth_server_types(self) -> list[str]:
        """``authServerType`` of a Linux file: the login providers kept, then service tokens."""
        return auth.with_service_tokens(self.login_providers)

    def bootstrap(self) -> dict[str, Any]:
        """The bootstrap block as the chart and the server must read it back."""
        block: dict[str, Any] = {"token": self.token, "roles": list(self.roles), "ttl": self.ttl}
        if self.dedicated_subject is not None:
            block["dedicatedSubject"] = self.dedicated_subject
        return block


class SpecError(FindingsError):
    """The spec cannot be used; ``findings`` says why, each with a position."""

    def __init__(self, findings: Sequence[Finding]) -> None:
        super().__init__(findings, f"{len(findings)} problem(s) in the token spec")
