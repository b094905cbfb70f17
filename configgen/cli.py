"""The command line: the only module that uses click or writes to the terminal.

Each command parses options into a request, calls one core function, prints, and exits with a
documented code.  Heavy libraries (jinja2, jsonschema, pyhocon, ruamel.yaml) are imported only
inside commands, so ``--help``, ``--version`` and shell completion stay fast.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from configgen import __version__
from configgen.resources import SCHEMA_NAMES

if TYPE_CHECKING:
    from configgen.findings import Finding


class Exit(enum.IntEnum):
    """Exit codes, documented in ``--help`` and the README."""

    OK = 0
    INVALID_INPUT = 1  # the spec (or a linted file) has errors
    USAGE = 2  # bad options or arguments (click's own code)
    NOT_WRITTEN = 3  # an output exists (no --force) or cannot be written
    INTERNAL = 4  # a rendered file did not read back as the spec: a configgen bug


EXIT_CODES_HELP = """\b
Exit codes:
  0  success
  1  invalid input: the spec has errors (each printed as file:line:col)
  2  usage error: unknown option, bad value, missing argument
  3  output not written: a file exists (use --force) or cannot be written
  4  internal error: the output did not read back as the spec (please report)
"""


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EXIT_CODES_HELP,
)
@click.version_option(__version__, "-V", "--version", prog_name="configgen")
def main() -> None:
    """Render and check StackState bootstrap service-token configuration.

    \b
    configgen render   write authentication.yaml (Helm) and application_stackstate.conf
    configgen lint     check existing Helm values and HOCON files (pre-commit, CI)
    configgen rules    list the lint rules, or explain one
    configgen schema   print a shipped JSON Schema (for editors)

    \b
    Shell completion (bash, zsh, fish):
      eval "$(_CONFIGGEN_COMPLETE=bash_source configgen)"
    """


def _split(values: tuple[str, ...]) -> list[str]:
    """``--roles a,b --roles c`` -> ``[a, b, c]`` (the sts CLI's convention)."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _fail(code: Exit, findings: list[Finding] | None = None, message: str = "") -> NoReturn:
    from configgen.formatters import text_line

    for finding in findings or []:
        click.echo(text_line(finding), err=True)
    if message:
        click.echo(f"configgen: {message}", err=True)
    sys.exit(code)


@main.command(epilog=EXIT_CODES_HELP)
@click.argument("spec", required=False, metavar="[SPEC]")
@click.option(
    "--token",
    "token_value",
    metavar="TOKEN",
    help="The token itself. Visible to other users in the process list: prefer "
    "--token-file or --token-env.",
)
@click.option("--token-file", metavar="FILE", help="Read the token from FILE (one line).")
@click.option("--token-env", metavar="VAR", help="Read the token from environment variable VAR.")
@click.option(
    "--generate-token",
    is_flag=True,
    help="Make a random 256-bit token; it is written to the output files only.",
)
@click.option("--show-token", is_flag=True, help="Print a generated token on stderr too.")
@click.option(
    "--roles",
    multiple=True,
    metavar="ROLE[,ROLE]",
    help="Roles for the token, comma-separated, repeatable (replaces the spec's).",
)
@click.option("--ttl", metavar="DURATION", help="Time to live, e.g. 24h, 90m, 7d (default 24h).")
@click.option(
    "--dedicated-subject",
    metavar="SUBJECT",
    help="Subject the token is bound to (suse-observability 2.3.6+).",
)
@click.option(
    "--login-provider",
    "login_providers",
    multiple=True,
    metavar="NAME[,NAME]",
    help="Login providers to keep in authServerType (Linux); default stackstateAuthServer.",
)
@click.option(
    "--target",
    type=click.Choice(["kubernetes", "linux", "all"]),
    default="all",
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
    type=click.Choice(["full", "short"]),
    default="full",
    show_default=True,
    help="full: stackstate.api.authentication path to append to the file; short: "
    "the documentation's authentication { } block to merge by hand.",
)
def render(
    spec: str | None,
    token_value: str | None,
    token_file: str | None,
    token_env: str | None,
    generate_token: bool,
    show_token: bool,
    roles: tuple[str, ...],
    ttl: str | None,
    dedicated_subject: str | None,
    login_providers: tuple[str, ...],
    target: str,
    out_dir: Path | None,
    force: bool,
    hocon_form: str,
) -> None:
    """Render the bootstrap service token from SPEC (YAML or JSON; - for stdin) and flags.

    Flags override the spec. Every file is parsed back and checked against the spec and its
    schema before anything is written; files are written atomically with mode 0600 and never
    replaced without --force.

    \b
    Examples:
      configgen render examples/token-spec.yaml --generate-token --out-dir out/
      configgen render --roles stackstate-power-user --token-env STS_TOKEN --target linux
      configgen render spec.yaml --target kubernetes > authentication.yaml
    """
    from configgen import generate

    sources_given = [
        kind
        for kind, given in (
            ("value", token_value),
            ("file", token_file),
            ("env", token_env),
            ("generate", generate_token),
        )
        if given is not None and given is not False
    ]
    if len(sources_given) > 1:
        raise click.UsageError(
            "use only one of --token, --token-file, --token-env, --generate-token"
        )
    if show_token and not generate_token:
        raise click.UsageError("--show-token goes with --generate-token")
    targets = ("kubernetes", "linux") if target == "all" else (target,)
    if out_dir is None and len(targets) > 1:
        raise click.UsageError(
            "--target all writes two files: give --out-dir DIR, or choose "
            "--target kubernetes or --target linux to print one to stdout"
        )
    token_argument = next((v for v in (token_value, token_file, token_env) if v is not None), "")
    request = generate.RenderRequest(
        spec_path=spec,
        overrides=_overrides(roles, ttl, dedicated_subject, login_providers),
        token_source=generate.TokenSource(sources_given[0], token_argument)
        if sources_given
        else None,
        targets=targets,
        out_dir=out_dir,
        force=force,
        hocon_form=hocon_form,
    )
    result = _run_render(request)
    _report_render(result, show_token)


def _overrides(
    roles: tuple[str, ...], ttl: str | None, subject: str | None, providers: tuple[str, ...]
) -> dict[str, tuple[Any, str]]:
    overrides: dict[str, tuple[Any, str]] = {}
    if roles:
        overrides["roles"] = (_split(roles), "--roles")
    if ttl is not None:
        overrides["ttl"] = (ttl, "--ttl")
    if subject is not None:
        overrides["dedicatedSubject"] = (subject, "--dedicated-subject")
    if providers:
        overrides["loginProviders"] = (_split(providers), "--login-provider")
    return overrides


def _run_render(request: Any) -> Any:
    from configgen import generate, render, spec, verify, writer

    try:
        return generate.run(request)
    except (spec.SpecError, render.RenderError) as err:
        _fail(Exit.INVALID_INPUT, err.findings, "nothing was written")
    except writer.OutputExists as err:
        _fail(
            Exit.NOT_WRITTEN,
            message=f"{err}: already exists; nothing was written (use --force to replace it)",
        )
    except writer.WriteError as err:
        done = "".join(f"; {path} was already replaced" for path in err.replaced)
        _fail(Exit.NOT_WRITTEN, message=f"cannot write {err}{done}")
    except verify.VerifyError as err:
        _fail(
            Exit.INTERNAL,
            message=f"internal error: {err}; nothing was written. Please "
            "report this with the spec (without its token).",
        )


def _report_render(result: Any, show_token: bool) -> None:
    from configgen.formatters import text_line

    for finding in result.findings:
        click.echo(text_line(finding), err=True)
    for output in result.outputs:
        if output.path is None:
            click.echo(output.rendered.text, nl=False)
        else:
            click.echo(f"wrote {output.path} (mode 0600)", err=True)
    if result.generated_token is not None and show_token:
        click.echo(f"generated token: {result.generated_token}", err=True)
    for output in result.outputs:
        click.echo(
            f"next ({output.rendered.target.name}): {output.rendered.target.next_step}", err=True
        )


@main.command()
@click.argument("name", type=click.Choice(SCHEMA_NAMES))
def schema(name: str) -> None:
    """Print the shipped JSON Schema NAME, e.g. for yaml-language-server.

    \b
    Example:
      configgen schema token-spec > token-spec.schema.json
    """
    from configgen import resources

    click.echo(resources.schema_text(name), nl=False)


LINT_EXIT_HELP = """\b
Exit codes:
  0  no errors (warnings and infos do not count, unless --strict)
  1  at least one error (or warning, with --strict)
  2  usage error: unknown option, bad value, invalid project configuration
"""


@main.command(epilog=LINT_EXIT_HELP)
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--kind",
    type=click.Choice(["helm", "hocon"]),
    help="File kind; default from the name (*.yaml, *.yml: helm; *.conf, *.hocon: "
    "hocon). Needed for stdin.",
)
@click.option(
    "--stdin-filename", metavar="NAME", default="<stdin>", help="Name to report stdin (-) under."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["auto", "text", "parsable", "json", "github", "sarif"]),
    default="auto",
    show_default=True,
    help="auto: github inside GitHub Actions, else text.",
)
@click.option(
    "--color",
    type=click.Choice(["auto", "always", "never"]),
    default="auto",
    show_default=True,
    help="Colour text output (auto honours NO_COLOR).",
)
@click.option(
    "--product",
    metavar="PRODUCT",
    help="Product and version the files are for, e.g. suse-observability-2.3, "
    "stackstate-k8s-1, stackstate-5.1.3 (default: the latest suse-observability).",
)
@click.option(
    "--require-token",
    is_flag=True,
    default=None,
    help="Report files that configure no bootstrap token.",
)
@click.option("--strict", is_flag=True, help="Exit 1 on warnings too.")
@click.option("--disable", multiple=True, metavar="RULE[,RULE]", help="Silence rules.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Project configuration file (default: discovered upward "
    "from the working directory: .configgen.yaml or [tool.configgen] in "
    "pyproject.toml).",
)
@click.option("--no-config", is_flag=True, help="Ignore project configuration files.")
def lint(
    files: tuple[str, ...],
    kind: str | None,
    stdin_filename: str,
    output_format: str,
    color: str,
    product: str | None,
    require_token: bool | None,
    strict: bool,
    disable: tuple[str, ...],
    config_file: Path | None,
    no_config: bool,
) -> None:
    """Check Helm values files and HOCON files for bootstrap-token mistakes.

    Every file is checked, even after one fails. Findings say file:line:col, what is wrong
    and how to fix it; a token's value is never printed. Silence a rule on one line with
    "# configgen: disable-line=RULE", in a whole file with "# configgen: disable-file=RULE".

    \b
    Examples:
      configgen lint authentication.yaml values.yaml
      configgen lint --product stackstate-5.1 application_stackstate.conf
      helm get values stackstate -o yaml | configgen lint --kind helm -
      configgen lint --format sarif config/*.yaml > configgen.sarif
    """
    import os

    from configgen import formatters
    from configgen import lint as linting

    options = _lint_options(product, require_token, disable, config_file, no_config)
    result = linting.lint_paths(files, options, kind=kind, stdin_name=stdin_filename)
    fmt = formatters.resolve_format(output_format, os.environ)
    use_color = formatters.use_color(color, is_tty=sys.stdout.isatty(), environ=os.environ)
    from configgen.rules import catalogue

    report = formatters.format_report(
        result.findings,
        fmt=fmt,
        rules=list(catalogue().values()),
        files_checked=result.files_checked,
        color=use_color,
        tool_version=__version__,
    )
    if report:
        click.echo(report, nl=False, color=use_color)
    failing = {"error", "warning"} if strict else {"error"}
    sys.exit(
        Exit.INVALID_INPUT if any(str(f.severity) in failing for f in result.findings) else Exit.OK
    )


def _lint_options(
    product: str | None,
    require_token: bool | None,
    disable: tuple[str, ...],
    config_file: Path | None,
    no_config: bool,
) -> Any:
    from configgen import config, profiles
    from configgen.lint import LintOptions
    from configgen.rules import catalogue

    known = frozenset(catalogue())
    disabled = set(_split(disable))
    for rule_id in disabled - known:
        raise click.BadParameter(
            f"unknown rule {rule_id!r} (configgen rules lists them)", param_hint="--disable"
        )
    if config_file is not None and no_config:
        raise click.UsageError("use either --config FILE or --no-config, not both")
    project = config.ProjectConfig()
    path = config_file or (None if no_config else config.discover(Path.cwd()))
    if path is not None:
        try:
            project = config.load(path, known)
        except config.ConfigError as err:
            raise click.UsageError(str(err)) from None
    try:
        profile = profiles.parse(product) if product else project.product
    except profiles.ProfileError as err:
        raise click.BadParameter(str(err), param_hint="--product") from None
    return LintOptions(
        profile=profile or profiles.DEFAULT_PROFILE,
        require_token=bool(require_token if require_token is not None else project.require_token),
        disable=frozenset(disabled | project.disable),
        severity=project.severity,
    )


@main.command()
@click.argument("rule_id", required=False, metavar="[RULE]")
def rules(rule_id: str | None) -> None:
    """List the lint rules, or show the documentation of RULE.

    \b
    Examples:
      configgen rules
      configgen rules ttl-invalid
    """
    from configgen.rules import catalogue

    known = catalogue()
    if rule_id is None:
        width = max(len(r) for r in known)
        for info in known.values():
            click.echo(f"{info.id:<{width}}  {info.severity!s:<7}  {info.summary}")
        return
    if rule_id not in known:
        from configgen.validation import did_you_mean

        raise click.BadParameter(
            f"unknown rule {rule_id!r}{did_you_mean(rule_id, list(known))}", param_hint="RULE"
        )
    info = known[rule_id]
    click.echo(f"{info.id} ({info.severity}): {info.summary}\n\n{info.doc}")
