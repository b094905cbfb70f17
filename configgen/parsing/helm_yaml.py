"""Load YAML the way Helm reads values files, keeping positions for every key and value.

Helm reads values with ``sigs.k8s.io/yaml`` over ``gopkg.in/yaml.v2``, which applies YAML 1.1
rules to plain scalars (``no`` is false, ``0777`` is 511).  configgen only *composes* the
document (nodes with positions, styles and the original text: libyaml, the parser yaml.v2 was
ported from, or ruamel.yaml as a fallback) and resolves plain scalars itself with yaml.v2's
rules (``configgen.helmscalars``).  The result is plain JSON types -- what the chart's templates
see -- which is also what JSON Schema validation expects.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from configgen.findings import ErrorKind, JsonPath, LocatedError, Position
from configgen.parsing import libyaml
from configgen.parsing.limits import DEFAULT, HARD_MAX_DEPTH

if TYPE_CHECKING:
    from configgen.parsing import yaml_tree
from configgen.product.helm_scalars import INT64, go_float32_text, resolve_plain

_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


class YamlError(LocatedError):
    """The text is not YAML that Helm could read; carries a position and a safe message."""

    def __init__(
        self, message: str, position: Position, kind: ErrorKind = ErrorKind.SYNTAX
    ) -> None:
        super().__init__(message, position.line, position.column, kind)


@dataclass
class YamlDocument:
    """A parsed document: plain data plus where each part was written."""

    data: Any
    values: dict[JsonPath, Position] = field(default_factory=dict)
    keys: dict[JsonPath, Position] = field(default_factory=dict)
    styles: dict[JsonPath, str] = field(default_factory=dict)  # "plain", "quoted", "block"
    raw: dict[JsonPath, str] = field(default_factory=dict)  # original text of each scalar
    duplicates: list[tuple[JsonPath, Position]] = field(default_factory=list)
    extra_documents: list[Position] = field(default_factory=list)  # Helm ignores these
    # Values Helm cannot turn into JSON (it then refuses the whole file): (position, what).
    unreadable: list[tuple[Position, str]] = field(default_factory=list)

    def position(self, path: JsonPath, *, key: bool = False) -> Position:
        """Where ``path`` was written, or its nearest written ancestor."""
        for end in range(len(path), -1, -1):
            prefix = path[:end]
            if key and prefix in self.keys:
                return self.keys[prefix]
            if prefix in self.values:
                return self.values[prefix]
        return Position(1, 1)


class _Builder:
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


def _inside(position: Position, text: str) -> Position:
    """``position``, or the end of the last line when a parser points past the end of the text.

    libyaml reports the end of a text without a final newline on a line that does not exist.
    """
    lines = _LINE_BREAK.split(text)  # libyaml's line breaks, as yaml.v2's
    if _LINE_BREAK.fullmatch(text[-1:]):
        lines.pop()
    if position.line <= len(lines):
        return position
    last = lines[-1] if lines else ""
    return Position(max(len(lines), 1), len(last) + 1)


def _pos(node: Any) -> Position:
    mark = node.start_mark
    return Position(mark.line + 1, mark.column + 1)


def _compose(text: str, *, ranges: bool = False) -> list[Any]:
    """The document nodes of ``text`` (``configgen.parsing.libyaml``; with ``ranges``, nodes
    with character ranges from ``yaml_tree``); ``YamlError`` with a position when the text is
    not YAML."""
    composer = libyaml.composer()
    marked_error, error = composer.marked_error, composer.error
    try:
        if ranges:
            from configgen.parsing import yaml_tree

            return list(yaml_tree.compose(text))
        return list(composer.compose_all(text))
    except marked_error as err:
        # Only ``problem`` and its mark: the full message quotes the source line, which may hold
        # a secret.
        problem = getattr(err, "problem", None)
        mark = getattr(err, "problem_mark", None) or getattr(err, "context_mark", None)
        position = Position(mark.line + 1, mark.column + 1) if mark else Position(1, 1)
        position = _inside(position, text)
        if problem and "maximum nesting depth" in problem:
            raise YamlError(
                f"nesting deeper than {DEFAULT.max_depth} levels", position, ErrorKind.LIMIT
            ) from None
        raise YamlError(f"invalid YAML: {problem or 'syntax error'}", position) from None
    except error:
        raise YamlError("invalid YAML", Position(1, 1)) from None
    except RecursionError:
        raise YamlError(
            f"nesting deeper than {DEFAULT.max_depth} levels", Position(1, 1), ErrorKind.LIMIT
        ) from None


def load(
    text: str,
    *,
    allow_multiple: bool = False,
    max_nodes: int = DEFAULT.max_values,
    max_depth: int = DEFAULT.max_depth,
) -> YamlDocument:
    """Parse the first YAML document as Helm would.  Raises ``YamlError`` with a position.

    Helm reads only the first document of a values file; with ``allow_multiple`` the others are
    recorded in ``extra_documents`` instead of being an error.
    """
    return _document(text, _compose(text), allow_multiple, max_nodes, max_depth)


def load_tree(
    text: str, *, max_nodes: int = DEFAULT.max_values, max_depth: int = DEFAULT.max_depth
) -> tuple[YamlDocument, yaml_tree.Node | None]:
    """``load(text, allow_multiple=True)`` and the first document's nodes with character
    ranges (``None`` when it is empty), from one parse: what editing a file needs."""
    nodes = _compose(text, ranges=True)
    document = _document(text, nodes, True, max_nodes, max_depth)
    return document, nodes[0] if nodes else None


def _document(
    text: str, nodes: list[Any], allow_multiple: bool, max_nodes: int, max_depth: int
) -> YamlDocument:
    if len(nodes) > 1 and not allow_multiple:
        raise YamlError(
            "more than one YAML document (---): Helm reads only the first; keep one",
            _pos(nodes[1]),
        )
    doc = YamlDocument(data=None, extra_documents=[_pos(n) for n in nodes[1:] if n is not None])
    if nodes and nodes[0] is not None:
        builder = _Builder(doc, max_nodes, min(max_depth, HARD_MAX_DEPTH))
        builder.measure(nodes[0])
        doc.values[()] = builder.at(nodes[0])
        doc.data = builder.build(nodes[0], (), 0)
        doc.duplicates.sort(key=lambda duplicate: duplicate[1])  # in reading order
    if not _LINE_BREAK.fullmatch(text[-1:]):  # only then can a mark point past the text
        for table in (doc.values, doc.keys):
            for path, position in table.items():
                table[path] = _inside(position, text)
        doc.extra_documents = [_inside(p, text) for p in doc.extra_documents]
        doc.duplicates = [(path, _inside(p, text)) for path, p in doc.duplicates]
        doc.unreadable = [(_inside(p, text), what) for p, what in doc.unreadable]
    return doc
