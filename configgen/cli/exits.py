"""The exit codes and the one exit policy, without click (the fast ``lint`` path uses them)."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from typing import TYPE_CHECKING

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


def exit_code(findings: Iterable[Finding], *, strict: bool = False) -> Exit:
    """The exit policy: ``INVALID_INPUT`` when a finding fails the run (``findings.fails``)."""
    from configgen.findings import fails

    return Exit.INVALID_INPUT if fails(findings, strict=strict) else Exit.OK
