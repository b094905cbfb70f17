"""``configgen service-token check``: is the token accepted, and what may it do?"""

from __future__ import annotations

import click

from configgen.cli.base import Exit, fail, show
from configgen.cli.params import COMMA_LIST, joined
from configgen.cli.service_token.group import (
    EXIT_HELP,
    FORMAT,
    ServerFlags,
    connect,
    echo_json,
    fail_server,
    server_options,
    service_token,
)
from configgen.messages import printable


@service_token.command(epilog=EXIT_HELP)
@server_options
@click.option("--permission", "permissions", multiple=True, type=COMMA_LIST, metavar="P",
              help="Also ask whether the token has permission P (repeatable).")  # fmt: skip
@FORMAT
def check(
    permissions: tuple[tuple[str, ...], ...], output_format: str, server: ServerFlags
) -> None:
    """Is the token accepted, and what may it do?

    Asks an endpoint that needs authentication (the session's roles) and reports the server
    version, the roles and each --permission. A refused token (401) exits 1 with its likely
    causes; a forbidden permission (403) exits 1.

    \b
    Examples:
      configgen service-token check
      STS_CLI_URL=https://sts.example.com configgen service-token check --token-env STS_TOKEN
      configgen service-token check --permission read-settings --permission manage-service-tokens
      configgen service-token check --context prod --format json
    """
    from configgen.server import check as checking
    from configgen.server.errors import ServerError

    client, target = connect(server)
    try:
        result = checking.run(client, joined(permissions))
    except ServerError as err:
        fail_server(err, target)
    if output_format == "json":
        document = {"url": target.endpoint.url, "tokenSource": target.token_source}
        echo_json({**document, **result.as_json()})
    else:
        info = result.server
        details = ", ".join(filter(None, [info.deployment_mode, info.platform_version]))
        show(f"server: {target.endpoint.url} (version {info.version}"
             f"{', ' + details if details else ''})")  # fmt: skip
        show(f"token: accepted (from {target.token_source})")
        show(f"roles: {', '.join(result.roles) if result.roles else '(none)'}")
        for permission, verdict in result.permissions:
            shown = "unknown to the server" if verdict == checking.UNKNOWN else verdict
            show(f"permission {printable(permission)}: {shown}")
    if not result.ok:
        refused = [p for p, v in result.permissions if v != checking.ALLOWED]
        fail(Exit.INVALID_INPUT, message="the token lacks: " + ", ".join(map(printable, refused)))
