"""``configgen service-token``: service tokens on a running server (check, list, create, delete,
sync), in the vocabulary of ``sts service-token``.

Data goes to stdout (the check report, the token list, a new token's value when no file is
given, JSON); progress, warnings and errors go to stderr.  The HTTP client and everything under
``configgen.server`` are imported inside the commands, so ``configgen --help`` and ``configgen
lint`` never load them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from configgen.cli.base import Exit, fail, main, split_list

if TYPE_CHECKING:
    from configgen.server.client import Client
    from configgen.server.context import Target
    from configgen.server.errors import ServerError
    from configgen.server.sync import Done, Drift, Plan

F = TypeVar("F", bound=Callable[..., Any])

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

_FORMAT = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json: one JSON document on stdout, for scripts.",
)


def server_options(command: F) -> F:
    """Add the options saying where the server and the token are."""
    for option in reversed(_SERVER_OPTIONS):
        command = option(command)
    return command


@main.group("service-token", epilog=EXIT_HELP)
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


@service_token.command(epilog=EXIT_HELP)
@server_options
@click.option("--permission", "permissions", multiple=True, metavar="P",
              help="Also ask whether the token has permission P (repeatable).")  # fmt: skip
@_FORMAT
def check(permissions: tuple[str, ...], output_format: str, **params: Any) -> None:
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

    client, target = _connect(params)
    try:
        result = checking.run(client, split_list(permissions))
    except ServerError as err:
        _fail_server(err, target)
    if output_format == "json":
        document = {"url": target.endpoint.url, "tokenSource": target.token_source}
        _echo_json({**document, **result.as_json()})
    else:
        server = result.server
        details = ", ".join(filter(None, [server.deployment_mode, server.platform_version]))
        click.echo(f"server: {target.endpoint.url} (version {server.version}"
                   f"{', ' + details if details else ''})")  # fmt: skip
        click.echo(f"token: accepted (from {target.token_source})")
        click.echo(f"roles: {', '.join(result.roles) if result.roles else '(none)'}")
        for permission, verdict in result.permissions:
            shown = "unknown to the server" if verdict == checking.UNKNOWN else verdict
            click.echo(f"permission {_printable(permission)}: {shown}")
    if not result.ok:
        refused = [p for p, v in result.permissions if v != checking.ALLOWED]
        fail(Exit.INVALID_INPUT, message="the token lacks: " + ", ".join(map(_printable, refused)))


@service_token.command("list", epilog=EXIT_HELP)
@server_options
@_FORMAT
def list_tokens(output_format: str, **params: Any) -> None:
    """List the service tokens on the server (never their values).

    \b
    Examples:
      configgen service-token list
      configgen service-token list --format json | jq -r '.serviceTokens[].name'
    """
    import datetime as dt

    from configgen.server import tokens
    from configgen.server.errors import ServerError

    client, target = _connect(params)
    try:
        found = tokens.list_tokens(client)
    except ServerError as err:
        _fail_server(err, target)
    if output_format == "json":
        _echo_json({"serviceTokens": [t.as_json() for t in found]})
        return
    if not found:
        click.echo("no service tokens", err=True)
        return
    now = tokens.to_millis(dt.datetime.now(dt.timezone.utc))
    rows = [("ID", "NAME", "EXPIRATION", "ROLES", "DEDICATED SUBJECT")]
    for token in found:
        expiration = tokens.date_text(token.expiration)
        if token.expiration is not None and token.expiration <= now:
            expiration += " (expired)"
        rows.append((
            "" if token.id is None else str(token.id),
            _printable(token.name),
            expiration,
            _printable(",".join(token.roles)),
            _printable(token.dedicated_subject or ""),
        ))  # fmt: skip
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )


@service_token.command(epilog=EXIT_HELP)
@server_options
@click.option("--name", required=True, help="Name of the new token.")
@click.option(
    "--roles",
    multiple=True,
    required=True,
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
    roles: tuple[str, ...],
    ttl: str | None,
    expiration: str | None,
    dedicated_subject: str | None,
    write_token: Path | None,
    **params: Any,
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
    import datetime as dt

    from configgen import writer
    from configgen.server import tokens
    from configgen.server.errors import ServerError

    role_list = split_list(roles)
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
            writer.check_free([write_token])
        except writer.OutputExists:
            fail(Exit.NOT_WRITTEN, message=f"{write_token}: already exists; nothing was "
                 "created (choose another file, or remove it)")  # fmt: skip
    client, target = _connect(params)
    new = tokens.NewToken(name, tuple(role_list), expiry, dedicated_subject)
    try:
        created = tokens.create(client, new)
    except ServerError as err:
        _fail_server(err, target)
    expires = f"expires {tokens.date_text(created.expiration)}"
    if created.expiration is None:
        expires = "does not expire" if expiry is None else f"expires {tokens.date_text(expiry)}"
    if write_token is None:
        click.echo(f"created service token {_printable(created.name)} ({expires})", err=True)
        _warn("the token is printed once below and cannot be shown again: store it now "
              "(--write-token FILE keeps it out of terminals and logs)")  # fmt: skip
        click.echo(created.token.reveal())
        return
    try:
        tokens.save(write_token, created)
    except (writer.OutputExists, writer.WriteError) as err:
        _warn(f"cannot write {write_token} ({_write_reason(err)}): the token is printed "
              "below instead, so that it is not lost")  # fmt: skip
        click.echo(created.token.reveal())
        sys.exit(Exit.NOT_WRITTEN)
    click.echo(f"created service token {_printable(created.name)} ({expires}); "
               f"its value is in {write_token} (mode 0600)", err=True)  # fmt: skip


@service_token.command(epilog=EXIT_HELP)
@server_options
@click.argument("token_id", required=False, type=click.IntRange(min=0), metavar="[ID]")
@click.option("--name", help="Delete the token with this name (it must be the only one).")
def delete(token_id: int | None, name: str | None, **params: Any) -> None:
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
    client, target = _connect(params)
    try:
        found = tokens.find(tokens.list_tokens(client), token_id=token_id, name=name)
        what = f"id {token_id}" if token_id is not None else f"name {name!r}"
        if not found:
            fail(Exit.INVALID_INPUT, message=f"no service token with {_printable(what)} "
                 "(configgen service-token list shows them)")  # fmt: skip
        if len(found) > 1:
            ids = ", ".join(str(t.id) for t in found)
            fail(Exit.INVALID_INPUT, message=f"{len(found)} service tokens have "
                 f"{_printable(what)} (ids {ids}): delete one by ID")  # fmt: skip
        token = found[0]
        if token.id is None:
            fail(Exit.SERVER, message="the server lists this token without an id: "
                 "it cannot be deleted through the API")  # fmt: skip
        tokens.delete(client, token.id)
    except ServerError as err:
        _fail_server(err, target)
    click.echo(f"deleted service token {token.id} ({_printable(token.name)})", err=True)


@service_token.command(epilog=EXIT_HELP)
@server_options
@click.argument("file", metavar="FILE")
@click.option(
    "--check", "check_only", is_flag=True, help="Change nothing; exit 1 on drift (for CI)."
)
@click.option(
    "--prune",
    is_flag=True,
    help="Delete tokens the file does not declare (with --check: count them as drift).",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Re-create tokens whose roles or expiration differ (the API has no update; "
    "the old value stops working).",
)
@click.option(
    "--write-tokens",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Write each new token to DIR/NAME (mode 0600). Without it new tokens are "
    "printed once on stdout.",
)
@click.option(
    "--warn-before",
    default="7d",
    show_default=True,
    metavar="DURATION",
    help="A token expiring within DURATION is drift.",
)
@_FORMAT
def sync(
    file: str,
    check_only: bool,
    prune: bool,
    replace: bool,
    write_tokens: Path | None,
    warn_before: str,
    output_format: str,
    **params: Any,
) -> None:  # fmt: skip
    """Make the server's service tokens match FILE (- for stdin).

    \b
    FILE declares the tokens (configgen schema service-tokens):
      serviceTokens:
        - name: ci-pipeline
          roles: [stackstate-k8s-troubleshooter]
          expiration: 2027-06-30
        - name: rancher-extension
          roles: [stackstate-guest]

    Drift: a declared token that is missing; roles, expiration or dedicated subject that
    differ; a token that expired or expires within --warn-before; several tokens with one
    name. Undeclared tokens are listed, and count as drift only with --prune. Without --check,
    missing tokens are created (expiration at 00:00 UTC), differing ones re-created with
    --replace, undeclared ones deleted with --prune; exit 1 when drift remains.

    \b
    Examples:
      configgen service-token sync tokens.yaml --check
      configgen service-token sync tokens.yaml --write-tokens secrets/
      configgen service-token sync tokens.yaml --replace --prune --write-tokens secrets/
    """  # fmt: skip
    import datetime as dt

    from configgen.server import declared, tokens
    from configgen.server import sync as syncing
    from configgen.server.errors import ServerError

    if check_only and write_tokens is not None:
        raise click.UsageError("--check writes nothing: drop --write-tokens")
    warn = _warn_before(warn_before)
    try:
        declaration = declared.load(file)
    except declared.DeclarationError as err:
        fail(Exit.INVALID_INPUT, err.findings, "nothing was changed")
    client, target = _connect(params, stdin_taken=file == "-")
    try:
        actual = tokens.list_tokens(client)
    except ServerError as err:
        _fail_server(err, target)
    plan = syncing.plan(
        declaration,
        actual,
        now=dt.datetime.now(dt.timezone.utc),
        warn_before=warn,
        replace=replace,
        prune=prune,
    )
    if check_only:
        _report_check(plan, declaration.source, len(declaration.tokens), output_format)
        if not plan.in_sync:
            sys.exit(Exit.INVALID_INPUT)
        return
    _apply(client, target, plan, write_tokens, output_format, declaration.source)


def _apply(
    client: Client,
    target: Target,
    plan: Plan,
    token_dir: Path | None,
    output_format: str,
    source: str,
) -> None:
    from configgen import writer
    from configgen.server import sync as syncing

    try:
        syncing.check_files(plan.actions, token_dir)
    except writer.OutputExists as err:
        fail(Exit.NOT_WRITTEN, message=f"{err}: already exists; nothing was changed (remove "
             "the stale token file, or choose another --write-tokens DIR)")  # fmt: skip
    if token_dir is None and any(a.new is not None for a in plan.actions):
        _warn("new tokens are printed once on stdout and cannot be shown again: store them "
              "now (--write-tokens DIR keeps them out of terminals and logs)")  # fmt: skip
    try:
        done = syncing.execute(client, plan.actions, token_dir=token_dir)
    except syncing.SyncInterrupted as stopped:
        _report_done(stopped.done, plan, output_format, source, interrupted=True)
        error = stopped.error
        what = f"{stopped.action.kind} {stopped.action.name!r} failed"
        if isinstance(error, OSError):
            fail(Exit.NOT_WRITTEN, message=f"{what}: cannot write {_write_reason(error)}; "
                 "the new token is printed above instead")  # fmt: skip
        _fail_server(error, target, prefix=f"{what}; the rest was not done: ")
    _report_done(done, plan, output_format, source)
    if plan.unresolved:
        sys.exit(Exit.INVALID_INPUT)


def _report_check(plan: Plan, source: str, declared_count: int, output_format: str) -> None:
    if output_format == "json":
        _echo_json({
            "file": source,
            "inSync": plan.in_sync,
            "declared": declared_count,
            "drift": [d.as_json() for d in plan.drift],
            "actions": [a.as_json() for a in plan.actions],
        })  # fmt: skip
        return
    for drift in plan.drift:
        click.echo(_drift_line(drift, source))
    counted = sum(1 for d in plan.drift if d.counts)
    verdict = "in sync" if plan.in_sync else f"drift ({counted})"
    click.echo(f"{source}: {declared_count} declared, {verdict}")


def _report_done(
    done: list[Done], plan: Plan, output_format: str, source: str, *, interrupted: bool = False
) -> None:
    from configgen.server import sync as syncing

    printed = []
    for item in done:
        action = item.action
        name = _printable(action.name)
        where = f"; its value is in {item.file} (mode 0600)" if item.file else ""
        if action.kind == "create":
            click.echo(f"created {name}{where}", err=True)
        elif action.kind == "replace":
            old = ", ".join(map(str, item.deleted))
            gone = f"old id {old} deleted" if old else "the old one is not deleted yet"
            click.echo(f"re-created {name} ({gone}){where}", err=True)
        else:
            click.echo(f"deleted undeclared {name} (id {', '.join(map(str, item.deleted))})",
                       err=True)  # fmt: skip
        if item.created is not None and item.file is None:
            printed.append(item)
    unresolved = [] if interrupted else list(plan.unresolved)
    if output_format == "json":
        _echo_json({
            "file": source,
            "inSync": not unresolved and not interrupted,
            "done": [
                {**i.action.as_json(), "deletedIds": list(i.deleted),
                 "file": str(i.file) if i.file else None,
                 **({"token": i.created.token.reveal()} if i in printed and i.created else {})}
                for i in done
            ],
            "unresolved": [d.as_json() for d in unresolved],
        })  # fmt: skip
    else:
        for item in printed:
            assert item.created is not None
            click.echo(f"{item.action.name}\t{item.created.token.reveal()}")
    if interrupted:
        return
    for drift in unresolved:
        click.echo(_drift_line(drift, source), err=True)
    if not done and not unresolved:
        click.echo(f"{source}: in sync, nothing to do", err=True)
    elif unresolved:
        hints = sorted({d.fix for d in unresolved} - {syncing.FIX_SYNC})
        click.echo(f"{source}: {len(unresolved)} left as they are (see: {', '.join(hints)})",
                   err=True)  # fmt: skip


def _drift_line(drift: Drift, source: str) -> str:
    from configgen.server import sync as syncing

    fixes = {
        syncing.FIX_SYNC: "run configgen service-token sync to create it",
        syncing.FIX_REPLACE: "sync --replace re-creates it",
        syncing.FIX_PRUNE: "sync --prune deletes it",
        syncing.FIX_FILE: f"change {source}",
    }
    note = "" if drift.counts else " [not drift without --prune]"
    return f"{_printable(drift.name)}: {drift.kind}: {drift.message} ({fixes[drift.fix]}){note}"


def _connect(params: dict[str, Any], *, stdin_taken: bool = False) -> tuple[Client, Target]:
    """The client for the server and token the options and environment name."""
    import os

    from configgen.server import client, context
    from configgen.server.errors import SetupError

    readers = [params[k] for k in ("token_file", "sts_config", "ca_cert")] + ["-"] * stdin_taken
    if readers.count("-") > 1:
        raise click.UsageError("only one input can be read from stdin (-)")
    options = context.Options(
        url=params.pop("url"),
        context=params.pop("context_name"),
        sts_config=params.pop("sts_config"),
        token_file=params.pop("token_file"),
        token_env=params.pop("token_env"),
        ca_cert=params.pop("ca_cert"),
        skip_ssl=params.pop("skip_ssl"),
    )
    timeout, retries = params.pop("timeout"), params.pop("retries")
    try:
        target = context.resolve(options, os.environ)
        api = client.Client(target.endpoint, target.token, timeout=timeout, retries=retries)
    except SetupError as err:
        fail(Exit.USAGE, message=str(err))
    for warning in target.warnings:
        _warn(warning)
    return api, target


REFUSAL_CAUSES = """\
the server did not accept the token from {source}. Likely causes:
  - it expired: a bootstrap token lives for its ttl (24h by default) from the server's
    start with it; a created token until its expiration date. Create a new one.
  - it was never created: the Helm values had no bootstrap block the chart reads, e.g. a
    misspelled 'servicetoken' key. Check them: configgen lint --require-token values.yaml
  - a wrong header or URL: configgen sends X-API-Key to {url}; a proxy that drops the
    header, another server's URL or a deleted token give 401 too."""


def _fail_server(err: ServerError, target: Target, prefix: str = "") -> NoReturn:
    from configgen.server import errors

    if isinstance(err, errors.ConnectionProblem):
        fail(Exit.SERVER, message=prefix + err.message)
    if isinstance(err, errors.Refused):
        causes = REFUSAL_CAUSES.format(source=target.token_source, url=target.endpoint.url)
        fail(Exit.INVALID_INPUT, message=f"{prefix}{err.message}\n{causes}")
    fail(Exit.INVALID_INPUT, message=prefix + err.message)


def _expiry(ttl: str | None, expiration: str | None, now: Any) -> int | None:
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


def _warn_before(text: str) -> Any:
    import datetime as dt

    from configgen.server import tokens

    epoch = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    try:
        millis = tokens.expiry_from_ttl(text, epoch) - tokens.to_millis(epoch)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--warn-before") from None
    return dt.timedelta(milliseconds=millis)


def _write_reason(err: OSError) -> str:
    from configgen import writer

    return f"{err}: it exists" if isinstance(err, writer.OutputExists) else str(err)


def _warn(message: str) -> None:
    click.echo(f"configgen: warning: {message}", err=True)


def _echo_json(document: Any) -> None:
    import json

    click.echo(json.dumps(document, indent=2, ensure_ascii=False))


def _printable(text: str) -> str:
    """Text from the server or the command line, without control characters."""
    return "".join(c if c.isprintable() else "?" for c in text)
