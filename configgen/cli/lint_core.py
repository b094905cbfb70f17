"""What ``configgen lint`` does between reading its options and printing: no click here.

The click command (``cli/lint.py``) and the fast path (``cli/fast.py``) both call ``options``
and ``check``, so the two cannot drift apart; only parsing the command line differs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from configgen import __version__
from configgen.cli.exits import Exit, exit_code

if TYPE_CHECKING:
    from configgen.lint.run import LintOptions
    from configgen.product.profiles import Profile


class Outcome(NamedTuple):
    """The report to print (may be empty), whether it is coloured, and the exit code."""

    report: str
    color: bool
    exit: Exit


def options(
    product: Profile | None,
    require_token: bool | None,
    disable: Sequence[str],
    config_file: str | None,
    no_config: bool,
) -> LintOptions:
    """Options from the command line over the project configuration; ``config.ConfigError``
    when that configuration is invalid (a usage error for the caller to report)."""
    from configgen.lint import config
    from configgen.lint.run import LintOptions
    from configgen.product import profiles
    from configgen.rules import catalogue

    project = config.ProjectConfig()
    if config_file is not None:
        from pathlib import Path

        path: Path | None = Path(config_file)
    else:
        path = None if no_config else config.discover(os.curdir)
    if path is not None:
        project = config.load(path, frozenset(catalogue()))
    return LintOptions(
        profile=product or project.product or profiles.DEFAULT_PROFILE,
        require_token=bool(require_token if require_token is not None else project.require_token),
        disable=frozenset(disable) | project.disable,
        severity=project.severity,
        limits=project.limits,
    )


def check(
    files: Sequence[str],
    lint_options: LintOptions,
    *,
    kind: str | None,
    stdin_name: str,
    output_format: str,
    color: str,
    strict: bool,
) -> Outcome:
    """Lint ``files`` and format the report as the options ask."""
    from configgen.lint import formats
    from configgen.lint.run import lint_paths
    from configgen.rules import catalogue

    result = lint_paths(files, lint_options, kind=kind, stdin_name=stdin_name)
    use_color = formats.use_color(color, is_tty=sys.stdout.isatty(), environ=os.environ)
    report = formats.format_report(
        result.findings,
        fmt=formats.resolve_format(output_format, os.environ),
        rules=list(catalogue().values()),
        files_checked=result.files_checked,
        color=use_color,
        tool_version=__version__,
    )
    return Outcome(report, use_color, exit_code(result.findings, strict=strict))
