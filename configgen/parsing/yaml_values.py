"""Helm's values from composed YAML nodes: count what a document expands to, then build it.

``helm_yaml`` composes the text; here the nodes become plain JSON types the way Helm's Go YAML
code reads them (YAML 1.1 plain scalars, merge keys as yaml.v2 resolves them, keys named as
sigs.k8s.io/yaml names them), with the position of every key and value.  Counting comes first,
so that an alias or merge-key bomb is refused for what it would cost, at the cost of an
ordinary file.
"""

from __future__ import annotations

import math
from typing import Any

from configgen.findings import ErrorKind, JsonPath, LocatedError, Position
from configgen.product.helm_scalars import INT64, go_float32_text, resolve_plain


def position_of(node: Any) -> Position:
    """The 1-based position where a composed node starts."""
    mark = node.start_mark
    return Position(mark.line + 1, mark.column + 1)


_pos = position_of


class YamlError(LocatedError):
    """The text is not YAML that Helm could read; carries a position and a safe message."""

    def __init__(
        self, message: str, position: Position, kind: ErrorKind = ErrorKind.SYNTAX
    ) -> None:
        super().__init__(message, position.line, position.column, kind)


class YamlDocument:
    """A parsed document: plain data plus where each part was written.

    A plain class, not a data class: ``dataclasses`` is kept off the lint path (CONTRIBUTING).
    """

    __slots__ = ("data", "duplicates", "extra_documents", "keys", "raw", "styles", "unreadable",
                 "values")  # fmt: skip

    def __init__(self, data: Any, extra_documents: list[Position] | None = None) -> None:
        self.data = data
        self.values: dict[JsonPath, Position] = {}
        self.keys: dict[JsonPath, Position] = {}
        self.styles: dict[JsonPath, str] = {}  # "plain", "quoted", "block"
        self.raw: dict[JsonPath, str] = {}  # original text of each scalar
        self.duplicates: list[tuple[JsonPath, Position]] = []
        self.extra_documents: list[Position] = extra_documents or []  # Helm ignores these
        # Values Helm cannot turn into JSON (it then refuses the whole file): (position, what).
        self.unreadable: list[tuple[Position, str]] = []

    def position(self, path: JsonPath, *, key: bool = False) -> Position:
        """Where ``path`` was written, or its nearest written ancestor."""
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if key and prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return Position(1, 1)


class Builder:
    """Turns composed nodes into plain data, recording positions as it goes.

    Before anything is built, ``measure`` counts what the document expands to -- values through
    aliases, merge keys (``<<``) resolved, and the depth it reaches -- once per node, so that an
    alias or merge-key bomb is refused for what it would cost, at the cost of an ordinary file.
    Building then spends at most that count (the budget is checked again as a second line).
    """

    def __init__(self, doc: YamlDocument, max_nodes: int, max_depth: int) -> None:
        self.doc = doc
        self.max_nodes = self.budget = max_nodes
        self.max_depth = max_depth
        self._pairs: dict[int, _Pairs] = {}  # per mapping node: its pairs, merges resolved
        self._size: dict[int, tuple[int, int]] = {}  # per node: (values, levels below it)
        # per node, however often aliases expand it: where it is, its keys written twice
        self._where: dict[int, Position] = {}
        self._twice: dict[int, list[tuple[str, Position]]] = {}

    def at(self, node: Any) -> Position:
        """``_pos(node)``, made once per node."""
        found = self._where.get(id(node))
        if found is None:
            found = self._where[id(node)] = _pos(node)
        return found

    # -- counting ----------------------------------------------------------------------------

    def measure(self, root: Any) -> None:
        """``YamlError`` (LIMIT) when ``root`` expands to more values or levels than allowed."""
        values, height = self._measure(root, 0)
        if height > self.max_depth:
            raise YamlError(
                f"nesting deeper than {self.max_depth} levels",
                _pos(self._first(root, 0, lambda n, d: d + self._size[id(n)][1] > self.max_depth,
                                 lambda n, d: d > self.max_depth)),
                ErrorKind.LIMIT,
            )  # fmt: skip
        if values > self.max_nodes:
            total = [1]  # the root

            def fits(node: Any, _depth: int) -> bool:
                size = self._size[id(node)][0]
                if total[0] + size <= self.max_nodes:
                    total[0] += size
                    return False
                total[0] += 1  # the node itself; its children are visited next
                return True

            at = self._first(root, 0, fits, lambda n, d: total[0] > self.max_nodes)
            raise YamlError(self._too_many(), _pos(at), ErrorKind.LIMIT)

    def _measure(self, node: Any, depth: int) -> tuple[int, int]:
        known = self._size.get(id(node))
        if known is not None:
            return known
        if depth > self.max_depth:  # a node that contains itself, or plain deep nesting
            self._size[id(node)] = (1, self.max_depth + 1)
            return self._size[id(node)]
        kind = node.id
        children = (
            [v for _k, v in self.pairs(node).values()] if kind == "mapping"
            else node.value if kind == "sequence" else []
        )  # fmt: skip
        values, height = 1, 0
        for child in children:
            child_values, child_height = self._measure(child, depth + 1)
            values += child_values
            height = max(height, child_height + 1)
            if values > self.max_nodes or height > self.max_depth:
                break  # enough to refuse: do not count the rest of a bomb
        self._size[id(node)] = (values, height)
        return values, height

    def _first(self, node: Any, depth: int, enter: Any, here: Any) -> Any:
        """The first node, in build order, where ``here`` holds, descending only into nodes
        for which ``enter`` holds (``enter`` and ``here`` get the node and its depth)."""
        while True:
            if here(node, depth):
                return node
            kind = node.id
            children = (
                [v for _k, v in self.pairs(node).values()] if kind == "mapping"
                else node.value if kind == "sequence" else []
            )  # fmt: skip
            for child in children:
                if id(child) in self._size and enter(child, depth + 1):
                    node, depth = child, depth + 1
                    break
            else:
                return node

    def _too_many(self) -> str:
        return (
            f"the document expands to more than {self.max_nodes} values (aliases?): "
            "write the values out or split the file"
        )

    # -- merge keys, as yaml.v2 resolves them ------------------------------------------------

    def pairs(self, node: Any, merges: int = 0) -> _Pairs:
        """The key/value pairs of a mapping node as yaml.v2 sets them: entries in order, each
        overriding an earlier one with the same key; a merge key (``<<``) sets every pair of
        the mapping it names, or of each mapping of a list, the first one winning.  Merges of
        merges count as levels (``merges``)."""
        known = self._pairs.get(id(node))
        if known is not None:
            return known
        if merges > self.max_depth:
            raise YamlError(
                f"merge keys (<<) nested deeper than {self.max_depth} levels",
                _pos(node),
                ErrorKind.LIMIT,
            )
        self._pairs[id(node)] = {}  # a mapping that merges itself adds nothing the second time
        pairs: _Pairs = {}
        for key_node, value_node in node.value:
            if key_node.id == "scalar" and key_node.value == "<<" and not key_node.style:
                sources = value_node.value if value_node.id == "sequence" else [value_node]
                for source in reversed(sources):
                    if source.id != "mapping":
                        self.doc.unreadable.append(
                            (_pos(source), "a merge key (<<) whose value is not a mapping")
                        )
                        continue
                    pairs.update(self.pairs(source, merges + 1))
            else:
                pairs[self._key_text(key_node)] = (key_node, value_node)
        self._pairs[id(node)] = pairs
        return pairs

    # -- building ----------------------------------------------------------------------------

    def build(self, node: Any, path: JsonPath, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise YamlError(self._too_many(), _pos(node), ErrorKind.LIMIT)
        if depth > self.max_depth:
            raise YamlError(
                f"nesting deeper than {self.max_depth} levels", _pos(node), ErrorKind.LIMIT
            )
        kind = node.id  # where it is written: recorded by the caller (values[path])
        if kind == "mapping":
            return self._mapping(node, path, depth)
        if kind == "sequence":
            items = []
            values = self.doc.values
            for index, item in enumerate(node.value):
                child = (*path, index)
                values[child] = self.at(item)
                items.append(self.build(item, child, depth + 1))
            return items
        return self._scalar(node, path)

    def _scalar(self, node: Any, path: JsonPath) -> Any:
        self.doc.raw[path] = node.value
        if not node.style:
            self.doc.styles[path] = "plain"
            value = resolve_plain(node.value)
            if isinstance(value, float) and not math.isfinite(value):
                self.doc.unreadable.append((_pos(node), f"{node.value} has no JSON form"))
            return value
        self.doc.styles[path] = "block" if node.style in "|>" else "quoted"
        return node.value

    def _mapping(self, node: Any, path: JsonPath, depth: int) -> dict[str, Any]:
        twice = self._twice.get(id(node))
        if twice is None:
            twice = self._twice[id(node)] = self._written_twice(node)
        for key, position in twice:
            self.doc.duplicates.append(((*path, key), position))
        result: dict[str, Any] = {}
        keys, values = self.doc.keys, self.doc.values
        for key, (key_node, value_node) in self.pairs(node).items():
            child = (*path, key)
            keys[child] = self.at(key_node)
            values[child] = self.at(value_node)
            result[key] = self.build(value_node, child, depth + 1)
        return result

    def _written_twice(self, node: Any) -> list[tuple[str, Position]]:
        """Keys written again in the mapping (merged keys do not count), recording the keys
        Helm cannot read; once per node."""
        seen: set[str] = set()
        twice = []
        for key_node, _value in node.value:
            if key_node.id == "scalar" and key_node.value == "<<" and not key_node.style:
                continue
            key = self._key(key_node)
            if key in seen:
                twice.append((key, self.at(key_node)))
            seen.add(key)
        return twice

    def _key(self, node: Any) -> str:
        """``_key_text``, recording keys Helm cannot turn into JSON."""
        text = self._key_text(node)
        value = resolve_plain(node.value) if not node.style else node.value
        if value is None:
            self.doc.unreadable.append((_pos(node), "a null key"))
        elif isinstance(value, int) and not isinstance(value, bool) and value > INT64[1]:
            self.doc.unreadable.append((_pos(node), "an integer key beyond int64"))
        return text

    @staticmethod
    def _key_text(node: Any) -> str:
        if node.id != "scalar":
            raise YamlError(
                "a mapping key must be a plain value, not a list or mapping", _pos(node)
            )
        value = resolve_plain(node.value) if not node.style else node.value
        # sigs.k8s.io/yaml turns non-string keys into strings (Go formatting), and refuses
        # null keys and integers beyond int64.
        if isinstance(value, bool):
            return "true" if value else "false"
        if value is None:
            return "null"
        if isinstance(value, float):
            return go_float32_text(value)
        return str(value) if not isinstance(value, str) else value


_Pairs = dict[str, tuple[Any, Any]]
