"""The ``configgen service-token`` group and what its commands share: where the server and the
token come from, the exit codes, and how server errors are reported.

Data goes to stdout (the check report, the token list, a new token's value when no file is
given, JSON); progress, warnings and errors go to stderr.  The HTTP client and everything under
``configgen.server`` are imported inside the commands, so ``configgen --help`` and ``configgen
lint`` never load them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, NoReturn

import click

from configgen.cli.base import Exit, emit, fail, say

if TYPE_CHECKING:
    from configgen.server.client import Client
    from configgen.server.context import Target
    from configgen.server.errors import ServerError

OUTPUT_FORMATS = ("text", "json")

EXIT_HELP = """\b
Exit codes:
  0  success (sync: in sync)
  1  the token was refused (401) or may not do this (403); a permission is
     forbidden; drift (sync); a token or file that does not exist
  2  usage error; also: no server URL or token, an unreadable sts config file
  3  a token file could not be written (nothing was changed, or the new token
     is printed instead, so that it is not lost)
  5  the server could not be reached, TLS failed, or it answered something
     the API does not allow (5xx, not JSON, too large, a redirect)
"""

_SERVER_OPTIONS = (
    click.option("--url", metavar="URL",
                 help="Server base URL, e.g. https://observability.example.com "
                      "(default: STS_CLI_URL, else the sts context)."),
    click.option("--context", "context_name", metavar="NAME",
                 help="sts context to use (default: STS_CLI_CONTEXT, else current-context)."),
    click.option("--sts-config", metavar="FILE",
                 help="sts config file (default: $XDG_CONFIG_HOME/stackstate-cli/config.yaml)."),
    click.option("--token-file", metavar="FILE",
                 help="Read the service token from FILE (first line; - for stdin)."),
    click.option("--token-env", metavar="VAR",
                 help="Read the service token from environment variable VAR "
                      "(default: STS_CLI_SERVICE_TOKEN, else the sts context)."),
    click.option("--ca-cert", metavar="FILE",
                 help="Trust this CA certificate (PEM or DER) too, for a private CA."),
    click.option("--skip-ssl", is_flag=True,
                 help="Do not check the server's certificate (test systems only; warns)."),
    click.option("--timeout", type=click.FloatRange(0.05, 600), default=10.0,
                 show_default=True, metavar="SECONDS",
                 help="Longest wait for a connection and for each answer."),
    click.option("--retries", type=click.IntRange(0, 10), default=2, show_default=True,
                 help="Retries after connection errors (GET also after timeouts and "
                      "502/503/504)."),
)  # fmt: skip

FORMAT = click.option(
    "--format",
    "output_format",
    type=click.Choice(OUTPUT_FORMATS),
    default=OUTPUT_FORMATS[0],
    show_default=True,
    help="json: one JSON document on stdout, for scripts.",
)


@dataclass(frozen=True)
class ServerFlags:
    """Where the server and the token are, as the options say."""

    url: str | None
    context_name: str | None
    sts_config: str | None
    token_file: str | None
    token_env: str | None
    ca_cert: str | None
    skip_ssl: bool
    timeout: float
    retries: int


def server_options(command: Callable[..., None]) -> Callable[..., None]:
    """Add the options saying where the server and the token are; the command receives them
    as one ``ServerFlags`` (keyword ``server``)."""
    names = [field.name for field in fields(ServerFlags)]

    @functools.wraps(command)
    def with_server(**params: Any) -> None:
        flags = ServerFlags(**{name: params.pop(name) for name in names})
        command(server=flags, **params)

    wrapped: Callable[..., None] = with_server
    for option in reversed(_SERVER_OPTIONS):
        wrapped = option(wrapped)
    return wrapped


@click.group("service-token", epilog=EXIT_HELP)
def service_token() -> None:
    """Service tokens on a running server: check, list, create, delete, sync.

    The server comes from --url, STS_CLI_URL or the sts context; the token from --token-file,
    --token-env, STS_CLI_SERVICE_TOKEN or the sts context. The token is sent only in the
    X-API-Key header and never printed; a new token goes to a 0600 file, or is printed once.

    \b
    Examples:
      configgen service-token check --permission read-settings
      configgen service-token list --format json
      configgen service-token create --name ci --roles stackstate-k8s-troubleshooter \\
          --expiration 2027-06-30 --write-token ci.token
      configgen service-token sync tokens.yaml --check
    """


def connect(server: ServerFlags, *, stdin_taken: bool = False) -> tuple[Client, Target]:
    """The client for the server and token the options and environment name."""
    import os

    from configgen.server import client, context
    from configgen.server.errors import SetupError

    readers = [server.token_file, server.sts_config, server.ca_cert] + ["-"] * stdin_taken
    if readers.count("-") > 1:
        raise click.UsageError("only one input can be read from stdin (-)")
    options = context.Options(
        url=server.url,
        context=server.context_name,
        sts_config=server.sts_config,
        token_file=server.token_file,
        token_env=server.token_env,
        ca_cert=server.ca_cert,
        skip_ssl=server.skip_ssl,
    )
    timeout, retries = server.timeout, server.retries
    try:
        target = context.resolve(options, os.environ)
        api = client.Client(target.endpoint, target.token, timeout=timeout, retries=retries)
    except SetupError as err:
        fail(Exit.USAGE, message=str(err))
    for warning in target.warnings:
        warn(warning)
    return api, target


REFUSAL_CAUSES = """\
the server did not accept the token from {source}. Likely causes:
  - it expired: a bootstrap token lives for its ttl (24h by default) from the server's
    start with it; a created token until its expiration date. Create a new one.
  - it was never created: the Helm values had no bootstrap block the chart reads, e.g. a
    misspelled 'servicetoken' key. Check them: configgen lint --require-token values.yaml
  - a wrong header or URL: configgen sends X-API-Key to {url}; a proxy that drops the
    header, another server's URL or a deleted token give 401 too."""


def fail_server(err: ServerError, target: Target, prefix: str = "") -> NoReturn:
    from configgen.server import errors

    if isinstance(err, errors.ConnectionProblem):
        fail(Exit.SERVER, message=prefix + err.message)
    if isinstance(err, errors.Refused):
        causes = REFUSAL_CAUSES.format(source=target.token_source, url=target.endpoint.url)
        fail(Exit.INVALID_INPUT, (), f"{prefix}{err.message}", *causes.splitlines())
    fail(Exit.INVALID_INPUT, message=prefix + err.message)


def write_reason(err: OSError) -> str:
    from configgen import files

    return f"{err}: it exists" if isinstance(err, files.OutputExists) else str(err)


def warn(message: str) -> None:
    say(f"configgen: warning: {message}")


def echo_json(document: Any) -> None:
    import json

    # ASCII: a name with a lone surrogate (a hostile server's \\udcff) cannot stop the output
    emit(json.dumps(document, indent=2, ensure_ascii=True) + "\n")
