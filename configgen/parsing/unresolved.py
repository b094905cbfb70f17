"""A value the server only knows at start-up: a HOCON substitution, kept as written."""

from __future__ import annotations


class Unresolved:
    """A substitution such as ``${bootstrap_token}``, kept as written (never resolved).

    A plain class, not a data class: it is defined on every ``lint`` run, where a frozen data
    class costs about a millisecond to create.
    """

    __slots__ = ("expression",)

    def __init__(self, expression: str) -> None:
        self.expression = expression

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unresolved) and other.expression == self.expression

    def __hash__(self) -> int:
        return hash((Unresolved, self.expression))

    def __repr__(self) -> str:
        return f"Unresolved(expression={self.expression!r})"
