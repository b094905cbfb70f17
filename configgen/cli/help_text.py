"""The top-level help of ``configgen``: its texts, and the page built from them without click.

``configgen --help`` and ``configgen --version`` are what people type first, and importing click
took longer than everything else these pages need (``docs/benchmarks.md``). The texts live here,
without click, for both the click group (``cli.base.main``) and ``cli.fast``, which writes the
page itself; ``tests/cli/test_fast.py`` requires the two pages to be equal at six widths.
The layout follows click's help formatter: a usage line, paragraphs indented by two, ``\\b``
paragraphs kept line by line, and two-column lists whose second column wraps.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Sequence

MAIN_HELP = """\
Render and check StackState bootstrap service-token configuration.

\b
Shell completion (bash, zsh, fish):
  eval "$(_CONFIGGEN_COMPLETE=bash_source configgen)"
"""

EXIT_CODES_HELP = """\b
Exit codes:
  0  success
  1  invalid input: the spec has errors (each printed as file:line:col)
  2  usage error: unknown option, bad value, missing argument
  3  output not written: a file exists (use --force) or cannot be written
  4  internal error: the output did not read back as the spec (please report)
  5  service-token: the server could not be reached, TLS failed, or it answered
     something the API does not allow
"""

# name -> (module, one-line summary); the summaries are shown by ``configgen --help`` without
# importing the commands (a test keeps them equal to each command's own short help).
COMMANDS: dict[str, tuple[str, str]] = {
    "render": (
        "configgen.cli.render",
        "Write authentication.yaml and application_stackstate.conf.",
    ),
    "apply": ("configgen.cli.apply", "Put the token into existing values or HOCON files."),
    "lint": ("configgen.cli.lint", "Check Helm values and HOCON files (pre-commit, CI)."),
    "rules": ("configgen.cli.rules", "List the lint rules, or explain one."),
    "schema": (
        "configgen.cli.schema",
        "Print a JSON Schema (for editors, or a chart's values.schema.json).",
    ),
    "service-token": (
        "configgen.cli.service_token",
        "Service tokens on a running server: check, list, create, delete, sync.",
    ),
}

# The group's own options, as click words their help.
OPTIONS = (
    ("-V, --version", "Show the version and exit."),
    ("-h, --help", "Show this message and exit."),
)
HELP_OPTIONS = ("-h", "--help")
VERSION_OPTIONS = ("-V", "--version")
USAGE = "Usage: configgen [OPTIONS] COMMAND [ARGS]..."
MAX_HELP_WIDTH = 100


def help_width() -> int:
    """The width click would give help text (``shutil.get_terminal_size`` clipped to 50-98),
    found without importing ``shutil``, which loads bz2, lzma and zlib: a twentieth of
    ``configgen --help``."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return max(min(columns or 80, MAX_HELP_WIDTH) - 2, 50)


def version_line(version: str) -> str:
    """What ``configgen --version`` prints."""
    return f"configgen, version {version}\n"


def top_level(width: int) -> str:
    """The page ``configgen --help`` prints at ``width`` columns (``help_width()``)."""
    parts = [
        USAGE,
        _paragraphs(MAIN_HELP, width, "  "),
        "Options:\n" + _columns(OPTIONS, width),
        "Commands:\n" + _columns([(n, s) for n, (_m, s) in COMMANDS.items()], width),
        _paragraphs(EXIT_CODES_HELP, width, "  "),
    ]
    return "\n\n".join(part.rstrip("\n") for part in parts) + "\n"


def _columns(rows: Sequence[tuple[str, str]], width: int) -> str:
    """Two columns indented by two; the second wraps under itself."""
    first = max(len(name) for name, _text in rows) + 2
    lines = []
    for name, text in rows:
        wrapped = _paragraphs(text, max(width - first - 2, 10), "").splitlines()
        lines.append(f"  {name:<{first}}{wrapped[0]}")
        lines += [" " * (first + 2) + line for line in wrapped[1:]]
    return "\n".join(lines) + "\n"


def _paragraphs(text: str, width: int, indent: str) -> str:
    """Text wrapped to ``width``, paragraph by paragraph; a paragraph whose first line is
    ``\\b`` keeps its lines as written."""
    import textwrap

    out = []
    for block in text.strip("\n").split("\n\n"):
        lines = block.splitlines()
        if lines[0].strip() == "\b":
            out.append("\n".join(indent + line for line in lines[1:]))
            continue
        wrapper = textwrap.TextWrapper(
            width, initial_indent=indent, subsequent_indent=indent, replace_whitespace=False
        )
        out.append(wrapper.fill(" ".join(line.strip() for line in lines)))
    return "\n\n".join(out) + "\n"
