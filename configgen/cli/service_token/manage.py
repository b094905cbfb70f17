"""``configgen service-token list | create | delete``, in the vocabulary of ``sts``."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from configgen.cli.base import Exit, fail, say, show
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
    warn,
    write_reason,
)
from configgen.messages import printable


@service_token.command("list", epilog=EXIT_HELP)
@server_options
@FORMAT
def list_tokens(output_format: str, server: ServerFlags) -> None:
    """List the service tokens on the server (never their values).

    \b
    Examples:
      configgen service-token list
      configgen service-token list --format json | jq -r '.serviceTokens[].name'
    """

    from configgen.server import tokens
    from configgen.server.errors import ServerError

    client, target = connect(server)
    try:
        found = tokens.list_tokens(client)
    except ServerError as err:
        fail_server(err, target)
    if output_format == "json":
        echo_json({"serviceTokens": [t.as_json() for t in found]})
        return
    if not found:
        say("no service tokens")
        return
    now = tokens.to_millis(dt.datetime.now(dt.timezone.utc))
    rows = [("ID", "NAME", "EXPIRATION", "ROLES", "DEDICATED SUBJECT")]
    for token in found:
        expiration = tokens.date_text(token.expiration)
        if token.expiration is not None and token.expiration <= now:
            expiration += " (expired)"
        rows.append((
            "" if token.id is None else str(token.id),
            printable(token.name),
            expiration,
            printable(",".join(token.roles)),
            printable(token.dedicated_subject or ""),
        ))  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        show("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


@service_token.command(epilog=EXIT_HELP)
@server_options
@click.option("--name", required=True, help="Name of the new token.")
@click.option(
    "--roles",
    multiple=True,
    required=True,
    type=COMMA_LIST,
    metavar="ROLE[,ROLE]",
    help="Roles for the token, comma-separated, repeatable.",
)
@click.option("--ttl", metavar="DURATION", help="Expire after DURATION from now, e.g. 30d, 12h.")
@click.option(
    "--expiration",
    metavar="YYYY-MM-DD",
    help="Expire at 00:00 UTC on this date (as sts --expiration).",
)
@click.option(
    "--dedicated-subject",
    metavar="SUBJECT",
    help="Subject made for this token alone (deleted with it).",
)
@click.option("--write-token", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE",
              help="Write the new token to FILE (mode 0600, never over an existing file). "
                   "Without it the token is printed once on stdout.")  # fmt: skip
def create(
    name: str,
    roles: tuple[tuple[str, ...], ...],
    ttl: str | None,
    expiration: str | None,
    dedicated_subject: str | None,
    write_token: Path | None,
    server: ServerFlags,
) -> None:
    """Create a service token; its value is shown this once.

    Without --ttl or --expiration the token does not expire.

    \b
    Examples:
      configgen service-token create --name ci --roles stackstate-k8s-troubleshooter \\
          --ttl 90d --write-token ci.token
      configgen service-token create --name rancher --roles stackstate-guest \\
          --expiration 2027-06-30 --write-token rancher.token
    """

    from configgen import files
    from configgen.server import tokens
    from configgen.server.errors import ServerError

    role_list = joined(roles)
    if not role_list:
        raise click.BadParameter("give at least one role", param_hint="--roles")
    if not name.strip():
        raise click.BadParameter("the name is empty", param_hint="--name")
    if ttl is not None and expiration is not None:
        raise click.UsageError("use either --ttl or --expiration")
    now = dt.datetime.now(dt.timezone.utc)
    expiry = _expiry(ttl, expiration, now)
    if write_token is not None:
        try:
            files.check_free([write_token])
        except files.OutputExists:
            fail(Exit.NOT_WRITTEN, message=f"{write_token}: already exists; nothing was "
                 "created (choose another file, or remove it)")  # fmt: skip
    client, target = connect(server)
    new = tokens.NewToken(name, tuple(role_list), expiry, dedicated_subject)
    try:
        created = tokens.create(client, new)
    except ServerError as err:
        fail_server(err, target)
    expires = f"expires {tokens.date_text(created.expiration)}"
    if created.expiration is None:
        expires = "does not expire" if expiry is None else f"expires {tokens.date_text(expiry)}"
    if write_token is None:
        say(f"created service token {printable(created.name)} ({expires})")
        warn("the token is printed once below and cannot be shown again: store it now "
              "(--write-token FILE keeps it out of terminals and logs)")  # fmt: skip
        show(created.token.reveal())
        return
    try:
        tokens.save(write_token, created)
    except (files.OutputExists, files.WriteError) as err:
        warn(f"cannot write {write_token} ({write_reason(err)}): the token is printed "
              "below instead, so that it is not lost")  # fmt: skip
        show(created.token.reveal())
        sys.exit(Exit.NOT_WRITTEN)
    say(f"created service token {printable(created.name)} ({expires}); "
        f"its value is in {write_token} (mode 0600)")  # fmt: skip


@service_token.command(epilog=EXIT_HELP)
@server_options
@click.argument("token_id", required=False, type=click.IntRange(min=0), metavar="[ID]")
@click.option("--name", help="Delete the token with this name (it must be the only one).")
def delete(token_id: int | None, name: str | None, server: ServerFlags) -> None:
    """Delete a service token by ID (see list) or by --name.

    \b
    Examples:
      configgen service-token delete 107484341630693
      configgen service-token delete --name ci-pipeline
    """
    from configgen.server import tokens
    from configgen.server.errors import ServerError

    if (token_id is None) == (name is None):
        raise click.UsageError("give either an ID or --name")
    client, target = connect(server)
    try:
        found = tokens.find(tokens.list_tokens(client), token_id=token_id, name=name)
        what = f"id {token_id}" if token_id is not None else f"name {name!r}"
        if not found:
            fail(Exit.INVALID_INPUT, message=f"no service token with {printable(what)} "
                 "(configgen service-token list shows them)")  # fmt: skip
        if len(found) > 1:
            ids = ", ".join(str(t.id) for t in found)
            fail(Exit.INVALID_INPUT, message=f"{len(found)} service tokens have "
                 f"{printable(what)} (ids {ids}): delete one by ID")  # fmt: skip
        token = found[0]
        if token.id is None:
            fail(Exit.SERVER, message="the server lists this token without an id: "
                 "it cannot be deleted through the API")  # fmt: skip
        tokens.delete(client, token.id)
    except ServerError as err:
        fail_server(err, target)
    say(f"deleted service token {token.id} ({printable(token.name)})")


def _expiry(ttl: str | None, expiration: str | None, now: dt.datetime) -> int | None:
    from configgen.server import tokens

    try:
        if ttl is not None:
            return tokens.expiry_from_ttl(ttl, now)
        if expiration is not None:
            expiry = tokens.expiry_from_date(expiration)
            if expiry <= tokens.to_millis(now):
                raise ValueError("the date is not in the future")
            return expiry
    except ValueError as err:
        raise click.BadParameter(
            str(err), param_hint="--ttl" if ttl is not None else "--expiration"
        ) from None
    return None
