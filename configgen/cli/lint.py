"""``configgen lint``: check existing files, for pre-commit and CI."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

import click

from configgen.cli.base import emit
from configgen.cli.params import PRODUCT, RULES, joined
from configgen.lint.formats import AUTO, COLOR_CHOICES, FORMAT_CHOICES
from configgen.messages import printable
from configgen.parsing.kinds import KINDS

if TYPE_CHECKING:
    from configgen.product.profiles import Profile

LINT_EXIT_HELP = """\b
Exit codes:
  0  no errors (warnings and infos do not count, unless --strict)
  1  at least one error (or warning, with --strict)
  2  usage error: unknown option, bad value, invalid project configuration
"""


@click.command(epilog=LINT_EXIT_HELP)
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--kind",
    type=click.Choice(KINDS),
    help="File kind; default from the name (*.yaml, *.yml: helm; *.conf, *.hocon: "
    "hocon). Needed for stdin.",
)
@click.option(
    "--stdin-filename", metavar="NAME", default="<stdin>", help="Name to report stdin (-) under."
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMAT_CHOICES),
    default=AUTO,
    show_default=True,
    help="auto: github inside GitHub Actions, else text.",
)
@click.option(
    "--color",
    type=click.Choice(COLOR_CHOICES),
    default=AUTO,
    show_default=True,
    help="Colour text output (auto honours NO_COLOR).",
)
@click.option(
    "--product",
    type=PRODUCT,
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
@click.option("--disable", multiple=True, type=RULES, metavar="RULE[,RULE]", help="Silence rules.")
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, exists=True),
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
    product: Profile | None,
    require_token: bool | None,
    strict: bool,
    disable: tuple[tuple[str, ...], ...],
    config_file: str | None,
    no_config: bool,
) -> None:
    """Check Helm values and HOCON files (pre-commit, CI).

    Checks for bootstrap-token mistakes: what the chart and the server would refuse, fail on or
    silently ignore. Every file is checked, even after one fails. Findings say file:line:col,
    what is wrong and how to fix it; a token's value is never printed. Silence a rule on one
    line with "# configgen: disable-line=RULE", in a whole file with
    "# configgen: disable-file=RULE".

    \b
    Examples:
      configgen lint authentication.yaml values.yaml
      configgen lint --product stackstate-5.1 application_stackstate.conf
      helm get values stackstate -o yaml | configgen lint --kind helm -
      configgen lint --format sarif config/*.yaml > configgen.sarif
    """
    from configgen.cli import lint_core
    from configgen.lint.config import ConfigError

    if config_file is not None and no_config:
        raise click.UsageError("use either --config FILE or --no-config, not both")
    try:
        options = lint_core.options(product, require_token, joined(disable), config_file, no_config)
    except ConfigError as err:
        raise click.UsageError(printable(str(err))) from None
    outcome = lint_core.check(
        files,
        options,
        kind=kind,
        stdin_name=stdin_filename,
        output_format=output_format,
        color=color,
        strict=strict,
    )
    if outcome.report:
        emit(outcome.report, color=outcome.color)
    sys.exit(outcome.exit)
