"""The ``configgen`` command group, exit codes and the helpers every command shares.

The command line is the only part of configgen that uses click or writes to the terminal. Each
command parses options into a request, calls one core function, prints, and exits with a
documented code.  Heavy libraries (jinja2, jsonschema, pyhocon, ruamel.yaml) are imported only
inside commands, so ``--help``, ``--version`` and shell completion stay fast.
"""

from __future__ import annotations

import enum
import sys
from typing import TYPE_CHECKING, NoReturn

import click

from configgen import __version__

if TYPE_CHECKING:
    from configgen.findings import Finding


class Exit(enum.IntEnum):
    """Exit codes, documented in ``--help`` and the README."""

    OK = 0
    INVALID_INPUT = 1  # the spec (or a linted file) has errors
    USAGE = 2  # bad options or arguments (click's own code)
    NOT_WRITTEN = 3  # an output exists (no --force) or cannot be written
    INTERNAL = 4  # a rendered file did not read back as the spec: a configgen bug
    SERVER = 5  # service-token: the server could not be reached, TLS failed, or odd answer


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
    configgen apply    put the token into existing values / HOCON files, keeping the rest
    configgen lint     check existing Helm values and HOCON files (pre-commit, CI)
    configgen rules    list the lint rules, or explain one
    configgen schema   print a shipped JSON Schema (for editors)
    configgen service-token  check, list, create, delete, sync tokens on a running server

    \b
    Shell completion (bash, zsh, fish):
      eval "$(_CONFIGGEN_COMPLETE=bash_source configgen)"
    """


def split_list(values: tuple[str, ...]) -> list[str]:
    """``--roles a,b --roles c`` -> ``[a, b, c]`` (the sts CLI's convention)."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def fail(code: Exit, findings: list[Finding] | None = None, message: str = "") -> NoReturn:
    """Print findings and a message on stderr, and exit with ``code``."""
    from configgen.formatters import text_line

    for finding in findings or []:
        click.echo(text_line(finding), err=True)
    if message:
        click.echo(f"configgen: {message}", err=True)
    sys.exit(code)
