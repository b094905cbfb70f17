"""The ``configgen`` program: plain ``lint`` runs, ``--help`` and ``--version`` without click;
everything else through click.

pre-commit starts ``configgen lint FILE...`` once per batch of files, so start-up is most of
what a hook costs, and importing click alone takes about as long as the rest of such a run
(``docs/benchmarks.md``). This module reads the command lines pre-commit and CI scripts write
-- ``lint``, then file names and the options below -- and runs ``cli.lint_core`` directly, the
same code the click command runs. The top-level ``--help`` and ``--version`` pages are written
from ``cli.help_text``, the texts the click group is built from. Anything else (another
command, another option, ``-`` for stdin, a repeated option, a value it does not know, a
command's ``--help``, shell completion, an invalid project configuration, a stdout that is not
UTF-8) goes to the click program, which parses and reports it as it always does;
``tests/cli/test_fast.py`` runs both on the same command lines and requires the same output
and exit code.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

# option -> whether it takes a value (the subset of ``configgen lint``'s options read here)
OPTIONS = {"--kind": True, "--product": True, "--format": True, "--strict": False,
           "--no-config": False}  # fmt: skip


# A ``lint`` command line this module can run: the files, and option -> value (flags: "").
# A plain tuple: defining a NamedTuple costs a third of this module's import.
FastLint = tuple[tuple[str, ...], dict[str, str]]


def run() -> None:
    """The console script and ``python -m configgen``."""
    args = sys.argv[1:]
    code = _try_page(args) if len(args) == 1 else _try_lint(args)
    if code is None:
        from configgen.cli.base import main

        main()
    sys.exit(code)


def parse(args: Sequence[str]) -> FastLint | None:
    """The files and options of a simple ``lint`` command line, or None for anything else."""
    if not args or args[0] != "lint":
        return None
    files: list[str] = []
    values: dict[str, str] = {}
    rest = iter(args[1:])
    for arg in rest:
        if not arg.startswith("-"):
            files.append(arg)
            continue
        name, equals, value = arg.partition("=")
        if name not in OPTIONS or name in values:
            return None
        if OPTIONS[name] and not equals:
            value = next(rest, "")
            if not value or value.startswith("-"):
                return None
        elif not OPTIONS[name] and equals:
            return None
        values[name] = value
    return (tuple(files), values) if files else None


def _try_page(args: Sequence[str]) -> int | None:
    """``configgen --help`` and ``configgen --version``, written as click writes them."""
    if "_CONFIGGEN_COMPLETE" in os.environ or not _utf8(sys.stdout):
        return None
    from configgen.cli import help_text

    if args[0] in help_text.HELP_OPTIONS:
        return _write(help_text.top_level(help_text.help_width()), 0)
    if args[0] in help_text.VERSION_OPTIONS:
        from configgen import __version__

        return _write(help_text.version_line(__version__), 0)
    return None


def _try_lint(args: Sequence[str]) -> int | None:
    if "_CONFIGGEN_COMPLETE" in os.environ or not _utf8(sys.stdout):
        return None
    command = parse(args)
    if command is None:
        return None
    files, values = command
    from configgen.cli import lint_core
    from configgen.lint.config import ConfigError
    from configgen.lint.formats import AUTO, FORMAT_CHOICES
    from configgen.parsing.kinds import KINDS
    from configgen.product import profiles

    kind = values.get("--kind")
    output_format = values.get("--format", AUTO)
    if (kind is not None and kind not in KINDS) or output_format not in FORMAT_CHOICES:
        return None
    try:
        product = profiles.parse(values["--product"]) if "--product" in values else None
        options = lint_core.options(product, None, (), None, "--no-config" in values)
    except (profiles.ProfileError, ConfigError):
        return None  # click reports it as the usage error it is
    outcome = lint_core.check(
        files,
        options,
        kind=kind,
        stdin_name="<stdin>",
        output_format=output_format,
        color=AUTO,
        strict="--strict" in values,
    )
    return _write(outcome.report, outcome.exit)


def _write(report: str, code: int) -> int:
    """Print the report as click would; a closed pipe exits 1, as click's programs do."""
    try:
        if report:
            sys.stdout.write(report)
            sys.stdout.flush()
    except BrokenPipeError:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - nothing more may reach the pipe
        return 1
    return code


def _utf8(stream: object) -> bool:
    encoding = getattr(stream, "encoding", None) or ""
    return encoding.lower().replace("-", "").replace("_", "") == "utf8"
