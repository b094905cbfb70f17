"""HOCON merge semantics over a parsed document, without resolving substitutions.

What Lightbend config does when the same key is written more than once: the later value wins,
except that an object written over an object merges with it key by key; ``a.b.c = 1`` is
``a { b { c = 1 } }``; a value that is not an object cuts the merge (``a {x=1}, a = 5,
a {y=2}`` is ``{y=2}``); ``a += v`` is ``a = ${?a} [v]``.

Substitutions are never resolved (that would read the environment).  A value that needs
resolution is reported as ``Unresolved`` by ``to_plain``; so is an object written over such a
value, with that value's expression, because only resolution can say whether the two merge
(Lightbend's delayed merge: ``a = ${x}`` then ``a { y = 1 }`` is ``{y = 1}`` if x is 5, both
merged if x is an object).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from configgen.findings import JsonPath, Position
from configgen.parsing.hocon.model import (
    HBool,
    HConcat,
    HField,
    HList,
    HNull,
    HNumber,
    HObject,
    HoconDocument,
    HString,
    HSubstitution,
    Value,
    render,
    render_path,
)
from configgen.parsing.unresolved import Unresolved

__all__ = ["Merged", "MergedValue", "effective_fields", "merge"]


@dataclass(eq=False)
class MergedValue:
    """One node of the merged tree: an object (``children``), a list (``items``) or a ``leaf``.

    ``pos`` is where the effective value starts and ``key_pos`` where its key was last written
    (None for list items and the root).  ``below`` is set on an object written over an
    unresolved value: Lightbend merges the two only after resolution.
    """

    pos: Position
    key_pos: Position | None
    leaf: Value | None = None
    children: dict[str, MergedValue] | None = None
    items: list[MergedValue] | None = None
    below: HSubstitution | HConcat | None = None


def merge(doc: HoconDocument) -> Merged:
    """Merge every field of ``doc`` the way Lightbend config does, in source order."""
    builder = _Builder()
    root = MergedValue(doc.root.pos, None, children={})
    builder.apply(root, doc.root, ())
    return Merged(root, builder.definitions)


def _appended(path: tuple[str, ...], value: Value) -> HConcat:
    """``a += v`` means ``a = ${?a} [v]`` (Lightbend rewrites it so while parsing)."""
    previous = HSubstitution(render_path(path), True, value.pos, path)
    return HConcat((previous, HList((value,), value.pos)), value.pos)


class _Builder:
    def __init__(self) -> None:
        self.definitions: dict[tuple[str, ...], list[HField]] = {}

    def apply(self, target: MergedValue, obj: HObject, prefix: tuple[str, ...] | None) -> None:
        """Apply the fields of ``obj`` onto the object node ``target`` (prefix None in lists)."""
        for item in obj.fields:
            full = None if prefix is None else prefix + item.path
            if full is not None:
                self.definitions.setdefault(full, []).append(item)
            keys = item.key_positions or (item.key_pos,) * len(item.path)
            node = target
            for index, key in enumerate(item.path[:-1]):
                # the value of an intermediate key starts where the next key is written
                node = self.object_child(node, key, keys[index], keys[index + 1])
            value: Value = _appended(full or item.path, item.value) if item.append else item.value
            last = item.path[-1]
            if isinstance(value, HObject):
                child = self.object_child(node, last, keys[-1], value.pos)
                self.apply(child, value, full)
            else:
                assert node.children is not None  # object_child always returns an object
                node.children[last] = self.build(value, keys[-1])

    @staticmethod
    def object_child(node: MergedValue, key: str, key_pos: Position, pos: Position) -> MergedValue:
        """The object at ``node[key]``, merged into an existing object or replacing a value."""
        assert node.children is not None
        existing = node.children.get(key)
        if existing is not None and existing.children is not None:
            existing.key_pos, existing.pos = key_pos, pos
            return existing
        child = MergedValue(pos, key_pos, children={})
        if existing is not None and isinstance(existing.leaf, (HSubstitution, HConcat)):
            child.below = existing.leaf  # may become an object: only resolution can tell
        node.children[key] = child
        return child

    def build(self, value: Value, key_pos: Position | None) -> MergedValue:
        """A fresh node for ``value`` (objects inside lists are merged on their own)."""
        if isinstance(value, HObject):
            node = MergedValue(value.pos, key_pos, children={})
            self.apply(node, value, None)
            return node
        if isinstance(value, HList):
            return MergedValue(value.pos, key_pos, items=[self.build(i, None) for i in value.items])
        return MergedValue(value.pos, key_pos, leaf=value)


def effective_fields(obj: HObject) -> dict[str, Value]:
    """The value each key of ``obj`` ends up with once its own fields are merged."""
    node = MergedValue(obj.pos, None, children={})
    _Builder().apply(node, obj, None)
    assert node.children is not None  # built as an object just above
    return {key: _as_value(child) for key, child in node.children.items()}


def _as_value(node: MergedValue) -> Value:
    """The syntax-tree value a merged node stands for (objects with one field per key)."""
    if node.items is not None:
        return HList(tuple(_as_value(item) for item in node.items), node.pos)
    if node.children is None:
        assert node.leaf is not None  # every node is an object, a list or a leaf
        return node.leaf
    fields = tuple(
        HField(
            (key,),
            child.key_pos or child.pos,
            _as_value(child),
            False,
            (child.key_pos or child.pos,),
        )
        for key, child in node.children.items()
    )
    # With ``below`` set these keys are certain and resolution may add more.  No single HOCON
    # value spells "this object over ${x}": ``${x} {...}`` is an error when x is not an object.
    return HObject(fields, node.pos)


def _plain(node: MergedValue) -> Any:
    if node.items is not None:
        return [_plain(item) for item in node.items]
    if node.children is not None:
        if node.below is not None:
            return Unresolved(render(node.below))  # what the merge waits for
        return {key: _plain(child) for key, child in node.children.items()}
    leaf = node.leaf
    if isinstance(leaf, (HString, HNumber, HBool)):
        return leaf.value
    if isinstance(leaf, HNull):
        return None
    assert isinstance(leaf, (HSubstitution, HConcat))  # lists and objects are never leaves
    return Unresolved(render(leaf))


class Merged:
    """The effective configuration of one document, with positions and definition history."""

    def __init__(self, root: MergedValue, definitions: dict[tuple[str, ...], list[HField]]):
        self.root = root
        self._definitions = definitions

    def node(self, path: tuple[str, ...]) -> MergedValue | None:
        """The merged node at ``path``, or None if nothing is there (or it is unresolved)."""
        node = self.root
        for key in path:
            if node.children is None or key not in node.children:
                return None
            node = node.children[key]
        return node

    def get(self, path: tuple[str, ...]) -> Value | None:
        """The effective value at ``path`` after merging (objects come back merged).

        An object written over an unresolved value comes back with the keys it is certain to
        have; ``to_plain`` shows it as ``Unresolved`` (see ``MergedValue.below``).
        """
        node = self.node(path)
        return None if node is None else _as_value(node)

    def key_position(self, path: tuple[str, ...]) -> Position | None:
        """Where the key of ``path`` was last written (None for the root or a missing path)."""
        node = self.node(path)
        return None if node is None else node.key_pos

    def definitions(self, path: tuple[str, ...]) -> list[HField]:
        """Every field whose full path is ``path`` (outside lists), in source order.

        ``a { b = 1 }`` and ``a.b = 1`` both count for ``("a", "b")``; only the first counts
        for ``("a",)``.  All but the last were overridden, or merged when they are objects.
        """
        return list(self._definitions.get(path, ()))

    def to_plain(self) -> dict[str, Any]:
        """JSON types: dicts, lists, str, int, float, bool, None and ``Unresolved``."""
        plain = _plain(self.root)
        assert isinstance(plain, dict)  # the root is an object that is never unresolved
        return plain

    def positions(self) -> dict[JsonPath, Position]:
        """JSON path -> where the effective value starts, for every value ``to_plain`` shows."""
        found: dict[JsonPath, Position] = {}
        pending: list[tuple[JsonPath, MergedValue]] = [((), self.root)]
        while pending:
            path, node = pending.pop()
            found[path] = node.pos
            if node.items is not None:
                pending.extend(((*path, i), item) for i, item in enumerate(node.items))
            elif node.children is not None and node.below is None:
                pending.extend(((*path, k), child) for k, child in node.children.items())
        return found
