"""YAML nodes with exact character ranges, for editing values files by text surgery.

``configgen.yamlfile`` gives line/column positions of keys and values; editing needs more: where
each node *ends* (the last character of a nested block, a flow collection's closing bracket),
and where an alias or an empty value is written.  ``parse_tree`` builds that from ruamel's parse
events (not from composed nodes, which share an alias's target and its position).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from configgen.apply.spans import Lines

_KEEP_CHOMP = re.compile(r"[|>](?:[1-9]?\+|\+[1-9])")


@dataclass(eq=False)
class Node:
    """A node with the character range of its text (``end``: after its last character)."""

    kind: str  # "map", "seq", "scalar" or "alias"
    start: int
    end: int
    flow: bool = False
    value: str = ""  # scalars: the value
    plain: bool = False
    pairs: list[tuple[Node, Node]] = field(default_factory=list)
    items: list[Node] = field(default_factory=list)


def parse_tree(text: str) -> Node | None:
    """The first document as nodes with ranges; ``None`` when it is empty."""
    from ruamel.yaml import YAML

    events = iter(YAML(typ="rt", pure=True).parse(text))
    for event in events:
        if type(event).__name__ == "DocumentStartEvent":
            return _Builder(text, events).node(event.end_mark.index)
    return None


class _Builder:
    def __init__(self, text: str, events: Iterator[Any]) -> None:
        self.text = text
        self.events = events
        self.closed = 0  # where the last flow collection ended

    def node(self, before: int) -> Node | None:
        """The next node; ``before`` is where the text before it ends (for empty values)."""
        event = next(self.events)
        name = type(event).__name__
        start, end = event.start_mark.index, event.end_mark.index
        if name == "ScalarEvent":
            if start == end:  # an empty value: it ends with its indicator (":" or "-")
                end = min(start, _indicator_end(self.text, before))
                return Node("scalar", end, end, plain=True)
            if event.style in ("|", ">"):
                header = self.text[start:end].split("\n", 1)[0]
                if not _KEEP_CHOMP.search(header):  # trailing blank lines are not content
                    end = start + len(self.text[start:end].rstrip())
            return Node("scalar", start, end, value=event.value, plain=event.style is None)
        if name == "AliasEvent":
            return Node("alias", start, end)
        if name == "MappingStartEvent":
            mapping = Node("map", start, end, flow=bool(event.flow_style))
            while (key := self.node(mapping.end)) is not None:
                value = self.node(key.end)
                assert value is not None  # a key always has a value event
                mapping.pairs.append((key, value))
                mapping.end = max(key.end, value.end)
            mapping.end = self.closed if mapping.flow else mapping.end
            return mapping
        if name == "SequenceStartEvent":
            sequence = Node("seq", start, end, flow=bool(event.flow_style))
            while (item := self.node(sequence.end)) is not None:
                sequence.items.append(item)
                sequence.end = item.end
            sequence.end = self.closed if sequence.flow else sequence.end
            return sequence
        if name in ("MappingEndEvent", "SequenceEndEvent"):
            self.closed = end  # a flow collection ends after its bracket
            return None
        return None  # DocumentEndEvent: an empty document


def _indicator_end(text: str, index: int) -> int:
    """Just after the first ``:``/``-``/``?`` from ``index``, skipping blanks and comments."""
    while index < len(text):
        char = text[index]
        if char == "#":
            newline = text.find("\n", index)
            index = len(text) if newline < 0 else newline
        elif char.isspace():
            index += 1
        else:
            return index + 1
    return index


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
