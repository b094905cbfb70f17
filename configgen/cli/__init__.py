"""configgen's command line: ``configgen`` and ``python -m configgen``.

``main`` is the click program (tests and ``CliRunner`` call it); the console script runs
``cli.fast.run``, which answers a plain ``lint`` without importing click. Names are loaded on
first use so that importing this package costs nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from configgen.cli.base import main as main
    from configgen.cli.exits import Exit as Exit

__all__ = ["Exit", "main"]


def __getattr__(name: str) -> Any:
    if name == "main":
        from configgen.cli.base import main

        return main
    if name == "Exit":
        from configgen.cli.exits import Exit

        return Exit
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
