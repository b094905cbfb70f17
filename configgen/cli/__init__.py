"""configgen's command line: ``configgen`` and ``python -m configgen``."""

from configgen.cli import apply, info, lint, render, service_token  # noqa: F401 - registers the commands
from configgen.cli.base import Exit, main

__all__ = ["Exit", "main"]
