"""The ``configgen`` command group, the exit codes, and the exit policy every command shares.

The command line is the only part of configgen that uses click or writes to the terminal. Each
command parses options into typed values, calls one core function, prints, and exits with a
documented code.  Subcommands are imported only when they run (``LazyGroup``), and heavy
libraries only inside them, so ``--help``, ``--version``, completion and ``lint`` stay fast.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, NoReturn

import click

from configgen import __version__
from configgen.cli.exits import Exit as Exit  # re-exported: commands import it from here
from configgen.cli.exits import exit_code as exit_code
from configgen.cli.help_text import COMMANDS, MAIN_HELP, MAX_HELP_WIDTH, help_width
from configgen.cli.help_text import EXIT_CODES_HELP as EXIT_CODES_HELP

if TYPE_CHECKING:
    from configgen.findings import Finding


class LazyGroup(click.Group):
    """A group whose commands are imported the first time they are needed."""

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        extra.setdefault("terminal_width", help_width())  # subcommands inherit it
        return super().make_context(info_name, args, parent, **extra)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        module = importlib.import_module(COMMANDS[cmd_name][0])
        command: click.Command = getattr(module, cmd_name.replace("-", "_"))
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(name, summary) for name, (_module, summary) in COMMANDS.items()]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(
    cls=LazyGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": MAX_HELP_WIDTH},
    help=MAIN_HELP,
    epilog=EXIT_CODES_HELP,
)
@click.version_option(__version__, "-V", "--version", prog_name="configgen")
def main() -> None:
    """The ``configgen`` group; its help text is ``help_text.MAIN_HELP``."""


# -- output: the only calls to click.echo in configgen (tests/cli/test_names.py checks it) ------


def say(line: str) -> None:
    """Print one line on stderr, escaped: messages hold file names and names from files."""
    from configgen.messages import printable  # not needed by --help, --version

    click.echo(printable(line), err=True)


def show(line: str) -> None:
    """Print one line on stdout, escaped like ``say``."""
    from configgen.messages import printable

    click.echo(printable(line))


def emit(text: str, *, color: bool | None = None) -> None:
    """Print text configgen made and escaped where it holds names: a lint report, a diff, a
    rendered file, a JSON document, a schema (``printable`` would break its line structure)."""
    click.echo(text, nl=False, color=color)


def echo_findings(findings: Iterable[Finding]) -> None:
    """Print findings on stderr, one ``file:line:col: severity: message [rule]`` line each."""
    from configgen.lint.formats import text_line

    for finding in findings:
        say(text_line(finding))


def fail(
    code: Exit, findings: Iterable[Finding] = (), message: str = "", *details: str
) -> NoReturn:
    """Print findings, a message and detail lines on stderr, and exit with ``code``."""
    echo_findings(findings)
    if message:
        say(f"configgen: {message}")
    for line in details:
        say(line)
    sys.exit(code)
