"""``configgen render``: write the two files from one token spec."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from configgen.cli.base import EXIT_CODES_HELP, Exit, echo_findings, emit, fail, say
from configgen.cli.params import SECRET_NAME, VARIABLE_NAME
from configgen.cli.spec_options import SpecFlags, spec_options
from configgen.product.linux_env import DEFAULT_VARIABLE
from configgen.render.targets import ALL, HOCON_FORMS, TARGET_CHOICES, TARGETS

if TYPE_CHECKING:
    from configgen.render.run import RenderRequest, RenderResult


@click.command(epilog=EXIT_CODES_HELP)
@spec_options
@click.option(
    "--target",
    type=click.Choice(TARGET_CHOICES),
    default=ALL,
    show_default=True,
    help="Which file to render.",
)
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write files into DIR (created if needed). Without it, one target prints to stdout.",
)
@click.option("--force", is_flag=True, help="Replace existing output files.")
@click.option(
    "--hocon-form",
    type=click.Choice(HOCON_FORMS),
    default=HOCON_FORMS[0],
    show_default=True,
    help="full: stackstate.api.authentication path to append to the file; short: "
    "the documentation's authentication { } block to merge by hand.",
)
@click.option(
    "--external-secret",
    metavar="NAME",
    type=SECRET_NAME,
    help="Kubernetes: keep the token out of the values (GitOps). authentication.yaml names "
    "Secret NAME (fromExternalSecret, suse-observability 2.2.0+) and holds a placeholder; "
    "NAME-secret.yaml is the Secret, with the token. Needs --out-dir.",
)
@click.option(
    "--token-env-var",
    metavar="NAME",
    type=VARIABLE_NAME,
    help="Linux: write token = ${NAME}; the server reads the token from environment "
    f"variable NAME (e.g. {DEFAULT_VARIABLE}). No token is needed unless --env-file.",
)
@click.option(
    "--env-file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="With --token-env-var: also write FILE (mode 0600) setting the variable, for "
    "systemd's EnvironmentFile=.",
)
def render(
    flags: SpecFlags,
    target: str,
    out_dir: Path | None,
    force: bool,
    hocon_form: str,
    external_secret: str | None,
    token_env_var: str | None,
    env_file: Path | None,
) -> None:
    """Write authentication.yaml and application_stackstate.conf.

    Renders the bootstrap service token from SPEC (YAML or JSON; - for stdin) and flags.
    Flags override the spec. Every file is parsed back and checked against the spec and its
    schema before anything is written; files are written atomically with mode 0600 and never
    replaced without --force.

    \b
    Examples:
      configgen render examples/token-spec.yaml --generate-token --out-dir out/
      configgen render --roles stackstate-power-user --token-env STS_TOKEN --target linux
      configgen render spec.yaml --target kubernetes > authentication.yaml
      configgen render spec.yaml --target kubernetes --external-secret stackstate-auth \
          --out-dir gitops/
      configgen render --roles stackstate-admin --target linux \
          --token-env-var STS_BOOTSTRAP_TOKEN
    """  # fmt: skip
    from configgen.render.run import RenderRequest

    targets = tuple(TARGETS) if target == ALL else (target,)
    if out_dir is None and len(targets) > 1:
        raise click.UsageError(
            "--target all writes two files: give --out-dir DIR, or choose "
            "--target kubernetes or --target linux to print one to stdout"
        )
    request = RenderRequest(
        spec_path=flags.spec_path,
        overrides=flags.overrides,
        token_source=flags.token_source,
        targets=targets,
        out_dir=out_dir,
        force=force,
        hocon_form=hocon_form,
        external_secret=external_secret,
        token_env_var=token_env_var,
        env_file=env_file,
    )
    _check_secret_options(request, generating=flags.generating)
    _report(_run(request), flags.show_token)


def _check_secret_options(request: RenderRequest, *, generating: bool) -> None:
    """Usage errors for the external-Secret and environment-variable options."""
    if request.external_secret is not None:
        if "kubernetes" not in request.targets:
            raise click.UsageError("--external-secret is for --target kubernetes (or all)")
        if request.out_dir is None:
            raise click.UsageError(
                "--external-secret writes two files, the values (no secret, for Git) and the "
                "Secret (the token, never for Git as it is): give --out-dir DIR. They are "
                "not printed together: one stream would put the token next to the values, "
                "and Helm reads only the first document of a values file"
            )
    if request.token_env_var is None:
        if request.env_file is not None:
            raise click.UsageError("--env-file goes with --token-env-var NAME")
        return
    if "linux" not in request.targets:
        raise click.UsageError("--token-env-var is for --target linux (or all)")
    if generating and not request.token_needed:
        raise click.UsageError(
            "a generated token would be written nowhere: add --env-file FILE, or give the "
            "token you will put in the environment variable"
        )


def _run(request: RenderRequest) -> RenderResult:
    from configgen import files
    from configgen.findings import FindingsError
    from configgen.render.run import run
    from configgen.render.verify import VerifyError

    try:
        return run(request)
    except FindingsError as err:
        fail(Exit.INVALID_INPUT, err.findings, "nothing was written")
    except files.OutputExists as err:
        fail(
            Exit.NOT_WRITTEN,
            message=f"{err}: already exists; nothing was written (use --force to replace it)",
        )
    except files.WriteError as err:
        done = "".join(f"; {path} was already replaced" for path in err.replaced)
        fail(Exit.NOT_WRITTEN, message=f"cannot write {err}{done}")
    except VerifyError as err:
        fail(
            Exit.INTERNAL,
            message=f"internal error: {err}; nothing was written. Please "
            "report this with the spec (without its token).",
        )


def _report(result: RenderResult, show_token: bool) -> None:
    echo_findings(result.findings)
    for output in result.outputs:
        if output.path is None:
            emit(output.rendered.text)
        else:
            say(f"wrote {output.path} (mode 0600)")
    if result.generated_token is not None and show_token:
        say(f"generated token: {result.generated_token}")
    for output in result.outputs:
        target = output.rendered.target
        if target.next_step:
            say(f"next ({target.name}): {target.next_step}")
