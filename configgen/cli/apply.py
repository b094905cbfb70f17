"""``configgen apply``: put the bootstrap token into existing files, changing nothing else."""

from __future__ import annotations

from typing import Any

import click

from configgen.cli.base import Exit, fail, main
from configgen.cli.spec_options import spec_flags, spec_options

APPLY_EXIT_HELP = """\b
Exit codes:
  0  every file is up to date (or was updated)
  1  invalid spec, or a file configgen cannot update safely (nothing written);
     with --check: a file would change
  2  usage error: unknown option, bad value, missing argument
  3  a file could not be written (the original is intact)
  4  internal error: the result did not read back as the spec (please report)
"""


@main.command(epilog=APPLY_EXIT_HELP)
@spec_options
@click.option(
    "--to",
    "files",
    multiple=True,
    required=True,
    metavar="FILE",
    help="File to update (repeatable); created as render would when missing.",
)
@click.option(
    "--kind",
    type=click.Choice(["helm", "hocon"]),
    help="File kind; default from the name (*.yaml, *.yml: helm; *.conf: hocon).",
)
@click.option(
    "--product",
    metavar="PRODUCT",
    help="Product the files are for (lint check of the result), e.g. suse-observability-2.3.",
)
@click.option(
    "--hocon-form",
    type=click.Choice(["full", "short"]),
    default="full",
    show_default=True,
    help="Form of a HOCON file created from scratch.",
)
@click.option(
    "--diff",
    "show_diff",
    is_flag=True,
    help="Print a unified diff (token values redacted) and write nothing.",
)
@click.option(
    "--check", is_flag=True, help="Write nothing; exit 1 when a file would change (for CI)."
)
@click.option("--backup", is_flag=True, help="Keep the previous version as FILE.bak.")
def apply(**params: Any) -> None:
    """Put the bootstrap token from SPEC (and flags) into existing FILEs.

    Helm values: sets stackstate.authentication.serviceToken.bootstrap and keeps every other
    byte (comments, order, quoting, indentation, line endings); a misspelled servicetoken
    block is replaced. HOCON: adds or replaces one marked, configgen-managed block and adds
    serviceTokenAuthServer to authServerType, keeping the existing providers. The result is
    parsed back and linted before the file is replaced atomically; applying twice changes
    nothing the second time.

    \b
    Examples:
      configgen apply spec.yaml --token-env STS_TOKEN --to values.yaml
      configgen apply spec.yaml --token-file token.txt --to application_stackstate.conf --diff
      configgen apply spec.yaml --token-env STS_TOKEN --to values.yaml --check
    """  # fmt: skip
    from configgen.apply import plan as applying
    from configgen.lint import run as lint
    from configgen.product import profiles

    flags = spec_flags(params)
    if params["show_diff"] and params["check"]:
        raise click.UsageError("use either --diff or --check")
    try:
        profile = profiles.parse(params["product"]) if params["product"] else None
    except profiles.ProfileError as err:
        raise click.BadParameter(str(err), param_hint="--product") from None
    lint_options = lint.LintOptions(profile=profile or profiles.DEFAULT_PROFILE)
    request = applying.ApplyRequest(
        spec_path=flags.spec_path,
        files=tuple(params["files"]),
        overrides=flags.overrides,
        token_source=flags.token_source,
        kind=params["kind"],
        options=applying.ApplyOptions(lint=lint_options, hocon_form=params["hocon_form"]),
    )
    planned = _plan(request)
    if flags.show_token and planned.generated_token is not None:
        click.echo(f"generated token: {planned.generated_token}", err=True)
    if params["show_diff"]:
        for result in planned.results:
            click.echo(result.diff(), nl=False)
        return
    changed = [r for r in planned.results if r.changed]
    if params["check"]:
        for result in changed:
            click.echo(f"{result.name}: would change (run configgen apply to update it)",
                       err=True)  # fmt: skip
        if changed:
            fail(Exit.INVALID_INPUT)
        return
    _write(changed, backup=params["backup"])


def _plan(request: Any) -> Any:
    from configgen.apply import plan as applying
    from configgen.lint.formats import text_line
    from configgen.render import templates as render
    from configgen.spec import load as spec

    try:
        planned = applying.run(request)
    except (spec.SpecError, render.RenderError) as err:
        fail(Exit.INVALID_INPUT, err.findings, "nothing was written")
    for finding in planned.warnings:
        click.echo(text_line(finding), err=True)
    for error in planned.errors:
        click.echo(f"{error.location}: error: {error.message}", err=True)
        for finding in error.findings:
            click.echo(text_line(finding), err=True)
    if planned.errors:
        fail(Exit.INVALID_INPUT, message="nothing was written")
    for result in planned.results:
        for note in result.notes:
            click.echo(f"{result.name}: {note}", err=True)
        for finding in result.findings:
            click.echo(text_line(finding), err=True)
    return planned


def _write(changed: list[Any], *, backup: bool) -> None:
    from configgen import files
    from configgen.apply import plan as applying
    from configgen.render import verify

    try:
        written = applying.write_all(changed, backup=backup)
    except files.OutputExists as err:
        fail(Exit.NOT_WRITTEN, message=f"{err}: appeared meanwhile; nothing was written")
    except files.WriteError as err:
        done = "".join(f"; {path} was already updated" for path in err.replaced)
        fail(Exit.NOT_WRITTEN, message=f"cannot write {err}{done}")
    except applying.ApplyError as err:
        fail(Exit.NOT_WRITTEN, message=f"{err.location}: {err.message}")
    except verify.VerifyError as err:
        fail(Exit.INTERNAL, message=f"internal error: {err}; please report it")
    for item in written:
        for note in item.notes:
            click.echo(f"{item.path}: {note}", err=True)
        backup_note = f" (previous version: {item.backup})" if item.backup else ""
        click.echo(f"updated {item.path}{backup_note}", err=True)
