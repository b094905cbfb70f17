"""YAML nodes with exact character ranges, composed in one pass over libyaml's parse events.

``helm_yaml.load`` composes with libyaml's own composer, which is fastest but keeps no trace of
where an alias was written (an alias *is* its anchored node there) nor where a node ends.
Editing a file (``configgen apply``) needs both, and must not parse the file twice: ``compose``
builds, from the same events, nodes that carry

- the range view for editing: ``kind`` (``map``, ``seq``, ``scalar``, ``alias``), ``start`` and
  ``end`` (character offsets; ``end`` is after the last character of the node's text: the
  closing bracket of a flow collection, the last character of a nested block, the indicator
  of an empty value), ``pairs``/``items`` with aliases as nodes of their own;
- the composed view ``helm_yaml``'s builder reads, as PyYAML's nodes have it: ``id``,
  ``value`` (aliases replaced by the nodes they name), ``style``, ``start_mark``.

Errors are those of the composer (``libyaml.composer()``): syntax errors from the parser,
and an undefined alias or an anchor defined twice with PyYAML's wording and marks.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from configgen.parsing import libyaml

_KEEP_CHOMP = re.compile(r"[|>](?:[1-9]?\+|\+[1-9])")
_IDS = {"map": "mapping", "seq": "sequence", "scalar": "scalar", "alias": "alias"}


class Node:
    """A node with the character range of its text (see the module docstring)."""

    __slots__ = ("column", "end", "flow", "id", "items", "kind", "line", "pairs", "start",
                 "style", "target", "value")  # fmt: skip

    def __init__(
        self,
        kind: str,
        start: int,
        end: int,
        mark: Any,
        value: Any = "",
        style: str | None = None,
        flow: bool = False,
        target: Node | None = None,
    ) -> None:
        self.kind = kind
        self.id = _IDS[kind]
        self.start = start
        self.end = end
        self.line: int = mark.line  # 0-based, as PyYAML's marks
        self.column: int = mark.column
        self.value = value
        self.style = style
        self.flow = flow
        self.target = target
        self.pairs: list[tuple[Node, Node]] = []
        self.items: list[Node] = []

    @property
    def start_mark(self) -> Node:
        """Where the node starts, as PyYAML's nodes say it (``.line``, ``.column``)."""
        return self

    @property
    def plain(self) -> bool:
        """A plain (unquoted, not block) scalar."""
        return self.kind == "scalar" and not self.style

    def composed(self) -> Node:
        """The node itself, or the node an alias names."""
        return self.target if self.target is not None else self


def compose(text: str) -> list[Node | None]:
    """The root node of every document in ``text`` (``None`` for an empty document)."""
    events = libyaml.composer().parse(text)
    roots: list[Node | None] = []
    for event in events:
        if type(event).__name__ == "DocumentStartEvent":
            roots.append(_Builder(text, events).document(event.end_mark.index))
    return roots


class _Builder:
    def __init__(self, text: str, events: Iterator[Any]) -> None:
        self.text = text
        self.events = events
        self.closed = 0  # where the last flow collection ended
        self.anchors: dict[str, Node] = {}

    def document(self, before: int) -> Node | None:
        root = self.node(before)
        if root is not None:
            next(self.events)  # DocumentEndEvent
        return root

    def node(self, before: int) -> Node | None:
        """The next node; ``before`` is where the text before it ends (for empty values)."""
        event = next(self.events)
        name = type(event).__name__
        mark = event.start_mark
        start, end = mark.index, event.end_mark.index
        if name == "AliasEvent":
            target = self.anchors.get(event.anchor)
            if target is None:
                raise self.error("found undefined alias", event.start_mark)
            return Node("alias", start, end, mark, target=target)
        if name == "ScalarEvent":
            node = self.scalar(event, start, end, mark, before)
        elif name == "MappingStartEvent":
            node = Node("map", start, end, mark, flow=bool(event.flow_style), value=[])
            self.anchor(event, node)
            while (key := self.node(node.end)) is not None:
                value = self.node(key.end)
                assert value is not None  # a key always has a value event
                node.pairs.append((key, value))
                node.value.append((key.composed(), value.composed()))
                node.end = max(key.end, value.end)
            node.end = self.closed if node.flow else node.end
            return node
        elif name == "SequenceStartEvent":
            node = Node("seq", start, end, mark, flow=bool(event.flow_style), value=[])
            self.anchor(event, node)
            while (item := self.node(node.end)) is not None:
                node.items.append(item)
                node.value.append(item.composed())
                node.end = item.end
            node.end = self.closed if node.flow else node.end
            return node
        else:  # MappingEndEvent, SequenceEndEvent; DocumentEndEvent: an empty document
            self.closed = end  # a flow collection ends after its bracket
            return None
        self.anchor(event, node)
        return node

    def scalar(self, event: Any, start: int, end: int, mark: Any, before: int) -> Node:
        style = event.style or None
        if start == end:  # an empty value: it ends with its indicator (":" or "-")
            end = min(start, _indicator_end(self.text, before))
            return Node("scalar", end, end, mark, value=event.value)
        if style in ("|", ">"):
            header = self.text[start:end].split("\n", 1)[0]
            if not _KEEP_CHOMP.search(header):  # trailing blank lines are not content
                end = start + len(self.text[start:end].rstrip())
        return Node("scalar", start, end, mark, value=event.value, style=style)

    def anchor(self, event: Any, node: Node) -> None:
        """Register ``node`` under its anchor, as PyYAML's composer does (before its
        children, so that a node may contain an alias of itself)."""
        if event.anchor is None:
            return
        if event.anchor in self.anchors:
            raise self.error("second occurrence", event.start_mark)
        self.anchors[event.anchor] = node

    @staticmethod
    def error(problem: str, mark: Any) -> Exception:
        marked: type[Exception] = libyaml.composer().marked_error
        return marked(None, None, problem, mark)


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
