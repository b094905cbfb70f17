"""Rules about reading the file at all: found by the parsers, not by inspecting values."""

from __future__ import annotations

from collections.abc import Iterable

from configgen.findings import Finding, Severity
from configgen.rules.base import Context, rule

SYNTAX = rule(
    "syntax",
    Severity.ERROR,
    "The file is not valid YAML or HOCON.",
    """
    The file cannot be parsed the way Helm (YAML 1.1 through Go's yaml.v2) or the StackState
    server (Lightbend config) would parse it, so the chart's render or the server's start-up
    fails. Also reported for files that are not UTF-8 text, are binary, or are too large.

    Example: ``roles: [stackstate-power-user`` (unclosed list).
    Fix: correct the syntax at the reported position. (It cannot be disabled: the file was not
    checked.)
""",
)

INCLUDE = rule(
    "include",
    Severity.ERROR,
    "HOCON include directives are never followed.",
    """
    ``include "x"``, ``include url(...)``, ``file(...)``, ``classpath(...)``, ``required(...)``
    pull other files or URLs into the configuration. configgen never follows them (a pull
    request could make a linter fetch a URL or read a secret file), so it cannot check what
    they bring in.

    Example: ``include "secrets.conf"``.
    Fix: inline the settings, or lint the included file on its own. (It cannot be disabled:
    what the include brings in was not checked.)
""",
)

LIMIT = rule(
    "limit",
    Severity.ERROR,
    "The file exceeds a size, nesting or work limit.",
    """
    Limits keep linting bounded on hostile input: file size, nesting depth, and the number of
    values a YAML document expands to through aliases ("billion laughs").

    Example: a YAML file whose aliases expand to millions of values.
    Fix: simplify the file. (A project configuration can only lower the limits, and the
    finding cannot be disabled: the file was not checked.)
""",
)

MULTI_DOCUMENT = rule(
    "multi-document",
    Severity.ERROR,
    "A values file with several documents.",
    """
    Helm reads only the first YAML document of a values file; everything after ``---`` is
    silently ignored.

    Example: a second document after ``---`` that holds ``stackstate.authentication``.
    Fix: keep one document per values file.
""",
)

INTERNAL = rule(
    "internal-error",
    Severity.ERROR,
    "configgen failed on this file.",
    """
    An unexpected error inside configgen while checking this file. Other files are still
    checked.

    Example: none known; please report it.
    Fix: report the problem (without secrets) so it can be fixed.
""",
)

RULES = (SYNTAX, INCLUDE, LIMIT, MULTI_DOCUMENT, INTERNAL)

# Findings that say the file was not (fully) checked.  No directive in the file, no project
# configuration and no --disable can silence or lower them: either may come with the pull
# request, and silencing them would make a file nobody checked pass with "no problems".
UNCHECKED = frozenset({SYNTAX.id, LIMIT.id, INCLUDE.id, INTERNAL.id})
UNCHECKED_MESSAGE = (
    "means the file was not (fully) checked, so it cannot be disabled or lowered "
    "(a file or configuration that comes with a pull request could hide anything)"
)


def check(ctx: Context) -> Iterable[Finding]:
    """Nothing to check on parsed data: these findings come from ``configgen.lint``."""
    return ()
