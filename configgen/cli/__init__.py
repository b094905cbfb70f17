"""configgen's command line: ``configgen`` and ``python -m configgen``."""

from configgen.cli.base import Exit, main

__all__ = ["Exit", "main"]
