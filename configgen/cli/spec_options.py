"""The spec argument and the token/roles/ttl flags, shared by ``render`` and ``apply``.

``spec_options`` adds them to a command and hands the command one checked ``SpecFlags``
(keyword ``flags``) instead of ten loose values.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import click

from configgen.cli.params import COMMA_LIST, joined

if TYPE_CHECKING:
    from configgen.spec.token_source import TokenSource

_OPTIONS = (
    click.argument("spec", required=False, metavar="[SPEC]"),
    click.option("--token", "token_value", metavar="TOKEN",
                 help="The token itself. Visible to other users in the process list: prefer "
                      "--token-file or --token-env."),
    click.option("--token-file", metavar="FILE", help="Read the token from FILE (one line)."),
    click.option("--token-env", metavar="VAR",
                 help="Read the token from environment variable VAR."),
    click.option("--generate-token", is_flag=True,
                 help="Make a random 256-bit token; it is written to the output files only."),
    click.option("--show-token", is_flag=True, help="Print a generated token on stderr too."),
    click.option("--roles", multiple=True, type=COMMA_LIST, metavar="ROLE[,ROLE]",
                 help="Roles for the token, comma-separated, repeatable (replaces the spec's)."),
    click.option("--ttl", metavar="DURATION",
                 help="Time to live, e.g. 24h, 90m, 7d (default 24h)."),
    click.option("--dedicated-subject", metavar="SUBJECT",
                 help="Subject the token is bound to (suse-observability 2.3.6+)."),
    click.option("--login-provider", "login_providers", multiple=True, type=COMMA_LIST,
                 metavar="NAME[,NAME]",
                 help="Login providers to keep in authServerType (Linux); default "
                      "stackstateAuthServer."),
)  # fmt: skip


@dataclass(frozen=True)
class SpecFlags:
    """The spec file, flag overrides and token source, checked for conflicts."""

    spec_path: str | None
    overrides: dict[str, tuple[Any, str]]
    token_source: TokenSource | None
    show_token: bool

    @property
    def generating(self) -> bool:
        """True with --generate-token."""
        from configgen.spec.token_source import GENERATE

        return self.token_source is not None and self.token_source.kind == GENERATE


def spec_options(command: Callable[..., None]) -> Callable[..., None]:
    """Add SPEC and the spec flags to ``command``, which receives them as ``flags``."""

    @functools.wraps(command)
    def with_flags(
        spec: str | None,
        token_value: str | None,
        token_file: str | None,
        token_env: str | None,
        generate_token: bool,
        show_token: bool,
        roles: tuple[tuple[str, ...], ...],
        ttl: str | None,
        dedicated_subject: str | None,
        login_providers: tuple[tuple[str, ...], ...],
        **params: Any,
    ) -> None:
        from configgen.spec.token_source import ENV, FILE, GENERATE, VALUE, TokenSource

        given = {VALUE: token_value, FILE: token_file, ENV: token_env}
        kinds = [kind for kind, value in given.items() if value is not None]
        kinds += [GENERATE] if generate_token else []
        if len(kinds) > 1:
            raise click.UsageError("use only one of --token, --token-file, --token-env, "
                                   "--generate-token")  # fmt: skip
        if show_token and not generate_token:
            raise click.UsageError("--show-token goes with --generate-token")
        source = TokenSource(kinds[0], given.get(kinds[0]) or "") if kinds else None
        overrides: dict[str, tuple[Any, str]] = {}
        if roles:
            overrides["roles"] = (joined(roles), "--roles")
        if ttl is not None:
            overrides["ttl"] = (ttl, "--ttl")
        if dedicated_subject is not None:
            overrides["dedicatedSubject"] = (dedicated_subject, "--dedicated-subject")
        if login_providers:
            overrides["loginProviders"] = (joined(login_providers), "--login-provider")
        command(flags=SpecFlags(spec, overrides, source, show_token), **params)

    wrapped: Callable[..., None] = with_flags
    for option in reversed(_OPTIONS):
        wrapped = option(wrapped)
    return wrapped
