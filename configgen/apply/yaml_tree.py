"""The indentation a values file uses, read from its nodes (for the lines ``apply`` inserts).

The nodes, with exact character ranges and aliases kept where they are written, come from
``configgen.parsing.yaml_tree``: the same single parse that gives the values (``helm_yaml``).
"""

from __future__ import annotations

from configgen.apply.spans import Lines
from configgen.parsing.yaml_tree import Node

__all__ = ["Node", "indentation"]


def indentation(root: Node, lines: Lines, excluded: list[tuple[int, int]]) -> tuple[int, int]:
    """The file's indentation step and the offset of ``-`` under a key (first seen, outside the
    replaced lines); 2 and the step when the file shows none."""
    step = dash = None
    pending = [root]
    while pending and (step is None or dash is None):
        node = pending.pop()
        pending.extend(reversed([*node.items, *(v for _, v in node.pairs)]))
        for key, value in node.pairs:
            if any(a <= key.start < b for a, b in excluded) or node.flow:
                continue
            if not lines.only_blanks_before(key.start):
                continue
            column = lines.position(key.start)[1]
            if step is None and value.kind == "map" and not value.flow and value.pairs:
                first = value.pairs[0][0].start
                if lines.only_blanks_before(first) and lines.position(first)[1] > column:
                    step = lines.position(first)[1] - column
            if (
                dash is None
                and value.kind == "seq"
                and not value.flow
                and value.items
                and lines.text[value.start] == "-"
                and lines.position(value.start)[1] >= column
            ):
                dash = lines.position(value.start)[1] - column
    step = step or 2
    return step, step if dash is None else dash
