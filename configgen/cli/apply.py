"""``configgen apply``: put the bootstrap token into existing files, changing nothing else."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from configgen.cli.base import Exit, echo_findings, emit, fail, say
from configgen.cli.params import PRODUCT, SECRET_NAME
from configgen.cli.spec_options import SpecFlags, spec_options
from configgen.messages import printable
from configgen.parsing.kinds import KINDS
from configgen.render.targets import HOCON_FORMS

if TYPE_CHECKING:
    from configgen.apply.external import Conversion
    from configgen.apply.plan import ApplyResult
    from configgen.apply.run import ApplyRun
    from configgen.lint.run import LintOptions
    from configgen.product.profiles import Profile
    from configgen.spec.model import TokenSpec

APPLY_EXIT_HELP = """\b
Exit codes:
  0  every file is up to date (or was updated)
  1  invalid spec, or a file configgen cannot update safely (nothing written);
     with --check: a file would change
  2  usage error: unknown option, bad value, missing argument
  3  a file could not be written (the original is intact)
  4  internal error: the result did not read back as the spec (please report)
"""


@click.command(epilog=APPLY_EXIT_HELP)
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
    type=click.Choice(KINDS),
    help="File kind; default from the name (*.yaml, *.yml: helm; *.conf: hocon).",
)
@click.option(
    "--product",
    type=PRODUCT,
    help="Product the files are for (lint check of the result), e.g. suse-observability-2.3.",
)
@click.option(
    "--hocon-form",
    type=click.Choice(HOCON_FORMS),
    default=HOCON_FORMS[0],
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
@click.option(
    "--external-secret",
    metavar="NAME",
    type=SECRET_NAME,
    help="Move the token of one values file into Secret NAME (GitOps): the values get "
    "fromExternalSecret: NAME and a placeholder, NAME-secret.yaml (next to the file) the token. "
    "Without SPEC, the token already in the file is moved.",
)
@click.option(
    "--secret-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --external-secret: where to write the Secret manifest (never replaced).",
)
def apply(
    flags: SpecFlags,
    files: tuple[str, ...],
    kind: str | None,
    product: Profile | None,
    hocon_form: str,
    show_diff: bool,
    check: bool,
    backup: bool,
    external_secret: str | None,
    secret_file: Path | None,
) -> None:
    """Put the token into existing values or HOCON files.

    Puts the bootstrap token from SPEC (and flags) into existing FILEs. Helm values: sets
    stackstate.authentication.serviceToken.bootstrap and keeps every other byte (comments,
    order, quoting, indentation, line endings); a misspelled servicetoken block is replaced.
    HOCON: adds or replaces one marked, configgen-managed block and adds serviceTokenAuthServer
    to authServerType, keeping the existing providers. The result is parsed back and linted
    before the file is replaced atomically; applying twice changes nothing the second time.

    \b
    Examples:
      configgen apply spec.yaml --token-env STS_TOKEN --to values.yaml
      configgen apply spec.yaml --token-file token.txt --to application_stackstate.conf --diff
      configgen apply spec.yaml --token-env STS_TOKEN --to values.yaml --check
      configgen apply --external-secret stackstate-auth --to values.yaml
    """  # fmt: skip
    from configgen.apply.plan import ApplyOptions
    from configgen.apply.run import ApplyRequest
    from configgen.lint.run import LintOptions
    from configgen.product import profiles

    if show_diff and check:
        raise click.UsageError("use either --diff or --check")
    if "-" in files:
        raise click.UsageError(
            "--to -: apply edits files in place and never reads stdin; a file named '-' is ./-"
        )
    lint_options = LintOptions(profile=product or profiles.DEFAULT_PROFILE)
    if external_secret is not None:
        _external(flags, files, kind, lint_options, external_secret, secret_file,
                  show_diff=show_diff, check=check, backup=backup)  # fmt: skip
        return
    if secret_file is not None:
        raise click.UsageError("--secret-file goes with --external-secret NAME")
    request = ApplyRequest(
        spec_path=flags.spec_path,
        files=files,
        overrides=flags.overrides,
        token_source=flags.token_source,
        kind=kind,
        options=ApplyOptions(lint=lint_options, hocon_form=hocon_form),
    )
    from configgen import locks
    from configgen.apply.run import SameFile, session
    from configgen.findings import FindingsError

    try:
        # Writing: every existing file stays locked from before it is read until it is replaced.
        with session(request, lock=not (show_diff or check)) as planned:
            _report(planned)
            if flags.show_token and planned.generated_token is not None:
                say(f"generated token: {planned.generated_token}")
            _finish(planned, show_diff=show_diff, check=check, backup=backup)
    except SameFile as err:
        raise click.UsageError(printable(str(err))) from None
    except FindingsError as err:
        fail(Exit.INVALID_INPUT, err.findings, "nothing was written")
    except locks.Locked as err:
        fail(Exit.NOT_WRITTEN, message=f"cannot write {err}")


def _finish(planned: ApplyRun, *, show_diff: bool, check: bool, backup: bool) -> None:
    if show_diff:
        for result in planned.results:
            emit(result.diff())
        return
    changed = [r for r in planned.results if r.changed]
    if check:
        for result in changed:
            say(f"{result.name}: would change (run configgen apply to update it)")
        if changed:
            fail(Exit.INVALID_INPUT)
        return
    _write(changed, backup=backup)


def _report(planned: ApplyRun) -> None:
    """The spec's warnings; every file that cannot be updated (then exit 1); the notes and
    new findings of the others."""
    echo_findings(planned.warnings)
    for error in planned.errors:
        say(f"{error.location}: error: {error.message}")
        echo_findings(error.findings)
    if planned.errors:
        fail(Exit.INVALID_INPUT, message="nothing was written")
    for result in planned.results:
        for note in result.notes:
            say(f"{result.name}: {note}")
        echo_findings(result.findings)


def _write(changed: list[ApplyResult], *, backup: bool) -> None:
    from configgen import files
    from configgen.apply.plan import ApplyError
    from configgen.apply.run import write_all
    from configgen.render.verify import VerifyError

    try:
        written = write_all(changed, backup=backup)
    except files.OutputExists as err:
        fail(Exit.NOT_WRITTEN, message=f"{err}: appeared meanwhile; nothing was written")
    except files.WriteError as err:
        done = "".join(f"; {path} was already updated" for path in err.replaced)
        fail(Exit.NOT_WRITTEN, message=f"cannot write {err}{done}")
    except ApplyError as err:
        fail(Exit.NOT_WRITTEN, message=f"{err.location}: {err.message}")
    except VerifyError as err:
        fail(Exit.INTERNAL, message=f"internal error: {err}; please report it")
    for item in written:
        for note in item.notes:
            say(f"{item.path}: {note}")
        backup_note = f" (previous version: {item.backup})" if item.backup else ""
        say(f"updated {item.path}{backup_note}")


def _external(
    flags: SpecFlags,
    files: tuple[str, ...],
    kind: str | None,
    lint_options: LintOptions,
    name: str,
    secret_file: Path | None,
    *,
    show_diff: bool,
    check: bool,
    backup: bool,
) -> None:
    """``apply --external-secret``: plan, then show, check or write the values and the Secret."""
    from configgen.apply import external
    from configgen.apply.plan import ApplyError
    from configgen.findings import FindingsError
    from configgen.parsing.kinds import HELM, kind_for

    if len(files) != 1 or (kind or kind_for(files[0])) != HELM:
        raise click.UsageError("--external-secret converts one Helm values file: --to FILE.yaml")
    try:
        spec = _spec_if_given(flags)
        planned = external.convert(
            Path(files[0]), name, spec=spec, lint_options=lint_options, secret_path=secret_file
        )
    except ApplyError as err:
        say(f"{err.location}: error: {err.message}")
        fail(Exit.INVALID_INPUT, err.findings, "nothing was written")
    except FindingsError as err:
        fail(Exit.INVALID_INPUT, err.findings, "nothing was written")
    if flags.show_token and flags.generating and spec is not None:
        say(f"generated token: {spec.token}")
    values = planned.values
    for note in values.notes:
        say(f"{values.name}: {note}")
    echo_findings(values.findings)
    creates = f"{planned.secret_path}: would be created (it holds the token; not shown)"
    if show_diff:
        emit(values.diff())
        if planned.secret is not None:
            say(creates)
        return
    if check:
        if planned.changed:
            say(f"{values.name}: would change (run configgen apply to update it)")
            fail(Exit.INVALID_INPUT)
        return
    _write_external(planned, backup=backup)


def _spec_if_given(flags: SpecFlags) -> TokenSpec | None:
    """The spec when one is given (a file, token flags or overrides); ``None``: move the
    file's own token."""
    if flags.spec_path is None and flags.token_source is None and not flags.overrides:
        return None
    from configgen.spec.load import load

    return load(flags.spec_path, flags.overrides, flags.token_source).token_spec


def _write_external(planned: Conversion, *, backup: bool) -> None:
    """The Secret first (a new file), then the values; the Secret goes again if they fail."""
    from configgen import files
    from configgen.apply.plan import ApplyError
    from configgen.apply.run import write

    secret = planned.secret
    if secret is not None:
        try:
            files.write_new([(planned.secret_path, secret.text)], overwrite=False)
        except files.OutputExists as err:
            fail(Exit.NOT_WRITTEN, message=f"{err}: appeared meanwhile; nothing was written")
        except files.WriteError as err:
            fail(Exit.NOT_WRITTEN, message=f"cannot write {err}; nothing was written")
        say(f"wrote {planned.secret_path} (mode 0600; it holds the token)")
    try:
        done = write(planned.values, backup=backup)
    except (files.WriteError, files.OutputExists, ApplyError) as err:
        if secret is not None:
            planned.secret_path.unlink(missing_ok=True)
        where = err.location if isinstance(err, ApplyError) else str(err)
        fail(Exit.NOT_WRITTEN, message=f"cannot update {where}; nothing was written")
    for note in done.notes:
        say(f"{done.path}: {note}")
    if done.written:
        say(f"updated {done.path}")
    if secret is not None:
        say(f"next: {secret.target.next_step}")
