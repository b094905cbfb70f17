"""``configgen lint``: check existing files, for pre-commit and CI."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from configgen import __version__
from configgen.cli.base import Exit, main, split_list

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

    from configgen.lint import formats
    from configgen.lint import run as linting

    options = _lint_options(product, require_token, disable, config_file, no_config)
    result = linting.lint_paths(files, options, kind=kind, stdin_name=stdin_filename)
    fmt = formats.resolve_format(output_format, os.environ)
    use_color = formats.use_color(color, is_tty=sys.stdout.isatty(), environ=os.environ)
    from configgen.rules import catalogue

    report = formats.format_report(
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
    from configgen.lint import config
    from configgen.lint.run import LintOptions
    from configgen.product import profiles
    from configgen.rules import catalogue

    known = frozenset(catalogue())
    disabled = set(split_list(disable))
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
        **project.limits,
    )
