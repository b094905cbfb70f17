"""A value the server only knows at start-up: a HOCON substitution, kept as written."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Unresolved:
    """A substitution such as ``${bootstrap_token}``, kept as written (never resolved)."""

    expression: str
