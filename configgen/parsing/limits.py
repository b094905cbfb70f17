"""How much work reading one input may cost: the bounds that keep hostile input harmless.

Every reader takes its bounds from here.  A project configuration may lower them (``tightened``)
but never raise them, because it may arrive with the pull request being checked.
"""

from __future__ import annotations

from typing import NamedTuple

KIB = 1024
MIB = 1024 * KIB
# No parser nests deeper, whatever it is asked: deeper trees would bring the recursive parsers
# near Python's default recursion limit (1000 frames); no real configuration comes close.
HARD_MAX_DEPTH = 200
SPEC_MAX_BYTES = 10 * MIB  # a token spec
TOKEN_FILE_MAX_BYTES = 64 * KIB  # --token-file: one line
CONFIG_MAX_BYTES = 1 * MIB  # a configuration file: the project's, the sts CLI's, declared tokens
CERTIFICATE_MAX_BYTES = 1 * MIB  # --ca-cert
ANSWER_MAX_BYTES = 4 * MIB  # one answer of the StackState server


class Limits(NamedTuple):
    """Bounds for one values or HOCON file."""

    max_bytes: int = 512 * KIB  # values files are far smaller
    max_depth: int = 100  # nesting levels, YAML and HOCON
    max_values: int = 200_000  # values a YAML document may expand to through aliases

    def tightened(self, **lower: int) -> Limits:
        """These limits with some lowered (a larger value leaves the limit as it is)."""
        changes = {name: min(value, getattr(self, name)) for name, value in lower.items()}
        return self._replace(**changes)


DEFAULT = Limits()
