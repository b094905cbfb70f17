"""``configgen service-token sync``: make the server's service tokens match a declared file."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from configgen.cli.base import Exit, emit, fail, say, show
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

if TYPE_CHECKING:
    from configgen.server.client import Client
    from configgen.server.context import Target
    from configgen.server.sync import Done, Drift, Plan


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
@FORMAT
def sync(
    file: str,
    check_only: bool,
    prune: bool,
    replace: bool,
    write_tokens: Path | None,
    warn_before: str,
    output_format: str,
    server: ServerFlags,
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
    client, target = connect(server, stdin_taken=file == "-")
    try:
        actual = tokens.list_tokens(client)
    except ServerError as err:
        fail_server(err, target)
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
    from configgen import files
    from configgen.server import sync as syncing

    try:
        syncing.check_files(plan.actions, token_dir)
    except files.OutputExists as err:
        fail(Exit.NOT_WRITTEN, message=f"{err}: already exists; nothing was changed (remove "
             "the stale token file, or choose another --write-tokens DIR)")  # fmt: skip
    if token_dir is None and any(a.new is not None for a in plan.actions):
        warn("new tokens are printed once on stdout and cannot be shown again: store them "
              "now (--write-tokens DIR keeps them out of terminals and logs)")  # fmt: skip
    try:
        done = syncing.execute(client, plan.actions, token_dir=token_dir)
    except syncing.SyncInterrupted as stopped:
        _report_done(stopped.done, plan, output_format, source, interrupted=True)
        error = stopped.error
        what = f"{stopped.action.kind} {stopped.action.name!r} failed"
        if isinstance(error, OSError):
            fail(Exit.NOT_WRITTEN, message=f"{what}: cannot write {write_reason(error)}; "
                 "the new token is printed above instead")  # fmt: skip
        fail_server(error, target, prefix=f"{what}; the rest was not done: ")
    _report_done(done, plan, output_format, source)
    if plan.unresolved:
        sys.exit(Exit.INVALID_INPUT)


def _report_check(plan: Plan, source: str, declared_count: int, output_format: str) -> None:
    if output_format == "json":
        echo_json({
            "file": source,
            "inSync": plan.in_sync,
            "declared": declared_count,
            "drift": [d.as_json() for d in plan.drift],
            "actions": [a.as_json() for a in plan.actions],
        })  # fmt: skip
        return
    for drift in plan.drift:
        show(_drift_line(drift, source))
    counted = sum(1 for d in plan.drift if d.counts)
    verdict = "in sync" if plan.in_sync else f"drift ({counted})"
    show(f"{source}: {declared_count} declared, {verdict}")


def _report_done(
    done: list[Done], plan: Plan, output_format: str, source: str, *, interrupted: bool = False
) -> None:
    from configgen.server import sync as syncing

    printed = []
    for item in done:
        action = item.action
        name = printable(action.name)
        where = f"; its value is in {item.file} (mode 0600)" if item.file else ""
        if action.kind == "create":
            say(f"created {name}{where}")
        elif action.kind == "replace":
            old = ", ".join(map(str, item.deleted))
            gone = f"old id {old} deleted" if old else "the old one is not deleted yet"
            say(f"re-created {name} ({gone}){where}")
        else:
            say(f"deleted undeclared {name} (id {', '.join(map(str, item.deleted))})")
        if item.created is not None and item.file is None:
            printed.append(item)
    unresolved = [] if interrupted else list(plan.unresolved)
    if output_format == "json":
        echo_json({
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
            token = item.created.token.reveal()  # name TAB token: escaped, the tab kept
            emit(f"{printable(item.action.name)}\t{printable(token)}\n")
    if interrupted:
        return
    for drift in unresolved:
        say(_drift_line(drift, source))
    if not done and not unresolved:
        say(f"{source}: in sync, nothing to do")
    elif unresolved:
        hints = sorted({d.fix for d in unresolved} - {syncing.FIX_SYNC})
        say(f"{source}: {len(unresolved)} left as they are (see: {', '.join(hints)})")


def _drift_line(drift: Drift, source: str) -> str:
    from configgen.server import sync as syncing

    fixes = {
        syncing.FIX_SYNC: "run configgen service-token sync to create it",
        syncing.FIX_REPLACE: "sync --replace re-creates it",
        syncing.FIX_PRUNE: "sync --prune deletes it",
        syncing.FIX_FILE: f"change {source}",
    }
    note = "" if drift.counts else " [not drift without --prune]"
    return f"{printable(drift.name)}: {drift.kind}: {drift.message} ({fixes[drift.fix]}){note}"


def _warn_before(text: str) -> dt.timedelta:
    from configgen.server import tokens

    epoch = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)
    try:
        millis = tokens.expiry_from_ttl(text, epoch) - tokens.to_millis(epoch)
    except ValueError as err:
        raise click.BadParameter(str(err), param_hint="--warn-before") from None
    return dt.timedelta(milliseconds=millis)
