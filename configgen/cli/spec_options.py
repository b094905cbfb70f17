"""The spec argument and the token/roles/ttl flags, shared by ``render`` and ``apply``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import click

from configgen.cli.base import split_list

if TYPE_CHECKING:
    from configgen.render.run import TokenSource

F = TypeVar("F", bound=Callable[..., Any])

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
    click.option("--roles", multiple=True, metavar="ROLE[,ROLE]",
                 help="Roles for the token, comma-separated, repeatable (replaces the spec's)."),
    click.option("--ttl", metavar="DURATION",
                 help="Time to live, e.g. 24h, 90m, 7d (default 24h)."),
    click.option("--dedicated-subject", metavar="SUBJECT",
                 help="Subject the token is bound to (suse-observability 2.3.6+)."),
    click.option("--login-provider", "login_providers", multiple=True, metavar="NAME[,NAME]",
                 help="Login providers to keep in authServerType (Linux); default "
                      "stackstateAuthServer."),
)  # fmt: skip


def spec_options(command: F) -> F:
    """Add SPEC and the spec flags to ``command`` (they arrive as keyword arguments)."""
    for option in reversed(_OPTIONS):
        command = option(command)
    return command


@dataclass(frozen=True)
class SpecFlags:
    """The spec file, flag overrides and token source, checked for conflicts."""

    spec_path: str | None
    overrides: dict[str, tuple[Any, str]]
    token_source: TokenSource | None
    show_token: bool


def spec_flags(params: dict[str, Any]) -> SpecFlags:
    """Take the spec options out of ``params``; ``click.UsageError`` on conflicting ones."""
    from configgen.render.run import TokenSource

    given = {
        "value": params.pop("token_value"),
        "file": params.pop("token_file"),
        "env": params.pop("token_env"),
    }
    generate, show = params.pop("generate_token"), params.pop("show_token")
    kinds = [kind for kind, value in given.items() if value is not None]
    kinds += ["generate"] if generate else []
    if len(kinds) > 1:
        raise click.UsageError("use only one of --token, --token-file, --token-env, "
                               "--generate-token")  # fmt: skip
    if show and not generate:
        raise click.UsageError("--show-token goes with --generate-token")
    source = TokenSource(kinds[0], given.get(kinds[0]) or "") if kinds else None
    overrides: dict[str, tuple[Any, str]] = {}
    roles, ttl = params.pop("roles"), params.pop("ttl")
    subject, providers = params.pop("dedicated_subject"), params.pop("login_providers")
    if roles:
        overrides["roles"] = (split_list(roles), "--roles")
    if ttl is not None:
        overrides["ttl"] = (ttl, "--ttl")
    if subject is not None:
        overrides["dedicatedSubject"] = (subject, "--dedicated-subject")
    if providers:
        overrides["loginProviders"] = (split_list(providers), "--login-provider")
    return SpecFlags(params.pop("spec"), overrides, source, show)
