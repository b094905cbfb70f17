"""Set the bootstrap token in an existing Helm values file by text surgery, losing nothing.

The file is parsed into a small tree of nodes with exact character ranges (from ruamel's parse
events, so aliases keep their own position).  Only whole lines are touched: the lines of an
existing ``bootstrap`` entry are replaced; missing parents are inserted, at the file's own
indentation, after the last line of the deepest parent that exists; misspelled ``serviceToken``
or ``bootstrap`` entries (which the chart silently ignores) are replaced or removed -- only
the same name in other letter case or with separators (``servicetoken``); a block merely close
to the name (``serviceTokens``, ``bootstrap2``) may be something else and is kept.  Everything
else -- comments, key order, quoting, line endings -- is copied byte for byte.  Flow-style
parents, merge keys and aliases on the path are refused rather than risked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, NamedTuple

from configgen import resources
from configgen.apply.spans import Edit, EditError, Lines, Span, newline_of, same, splice
from configgen.apply.yaml_tree import Node, indentation
from configgen.findings import ErrorKind
from configgen.messages import is_secret_key
from configgen.parsing import helm_yaml
from configgen.parsing.documents import lookup
from configgen.parsing.limits import DEFAULT, Limits
from configgen.product import paths, quoting
from configgen.product.helm_scalars import NULLS
from configgen.rules.keys import close_to, spelled_as
from configgen.spec.model import TokenSpec

PATH = paths.HELM_BOOTSTRAP_PATH  # stackstate, authentication, serviceToken, bootstrap
_SHOWN = ".".join(PATH)
_COMMENT = re.compile(r"(?:^|[ \t])#", re.MULTILINE)


def _siblings(depth: int) -> frozenset[str]:
    """Keys that may sit next to ``PATH[depth]`` and are never taken for a misspelling of it."""
    auth = resources.schema("helm-values")["definitions"]["authentication"]["properties"]
    if depth == 2:
        return frozenset(auth)
    return frozenset(auth["serviceToken"]["properties"])


@dataclass
class _Change:
    """Replace ``[start, end)`` by ``head`` and the entries ``keys`` (none: delete)."""

    start: int
    end: int
    keys: tuple[str, ...] = ()
    column: int = 0  # column (0-based) of keys[0] ...
    parent: int | None = None  # ... or, when set, this column plus the file's indentation step
    children: int | None = None  # column of the bootstrap's own keys when known
    head: str = ""


class _Planner:
    def __init__(self, text: str, data: Any, spec: TokenSpec) -> None:
        self.text = text
        self.lines = Lines(text)
        self.data = data
        self.expected = spec.bootstrap()
        self.steps: list[int] = []  # indentation steps seen along the path, outermost first
        self.notes: list[str] = []

    def refuse(self, index: int, message: str) -> EditError:
        line, column = self.lines.position(index)
        return EditError(message, line, column)

    def column(self, index: int, what: str) -> int:
        if not self.lines.only_blanks_before(index):
            raise self.refuse(
                index,
                f"{what} does not start its line; configgen edits only "
                "block-style YAML with one key per line: edit this part by hand",
            )
        return self.lines.position(index)[1] - 1

    def line(self, node: Node) -> int:
        return self.lines.position(node.start)[0]

    def entry(self, key: Node, value: Node, where: str) -> tuple[int, int]:
        """The whole lines of one ``key: value`` entry."""
        self.column(key.start, f"the key {where}")
        return self.lines.start_of(key.start), self.lines.after(max(key.end, value.end))

    def check_mapping(self, node: Node, path: tuple[str, ...]) -> None:
        where = ".".join(path) or "the top level"
        if node.kind != "map":
            raise self.refuse(node.start, f"{where} is not a mapping of keys: fix the file first")
        if node.flow:
            raise self.refuse(
                node.start,
                f"{where} is written in flow style ({{...}}); "
                "configgen edits block style only: rewrite it as an indented "
                "block, or set the bootstrap token by hand",
            )
        for key, _ in node.pairs:
            if key.kind == "scalar" and key.plain and key.value == "<<":
                raise self.refuse(
                    key.start,
                    f"{where} uses a YAML merge key (<<); configgen "
                    "cannot edit it safely: set the bootstrap token by hand",
                )

    def plan(self, root: Node | None) -> list[_Change]:
        if root is None or (root.kind == "scalar" and root.start == root.end):
            self.notes.append(f"added {_SHOWN} (the file held no values)")
            at = len(self.text) if root is None else self.lines.after(root.end)
            return [_Change(at, at, PATH)]
        node = root
        changes: list[_Change] = []
        for depth, name in enumerate(PATH):
            self.check_mapping(node, PATH[:depth])
            found = [(k, v) for k, v in node.pairs if k.kind == "scalar" and k.value == name]
            variants = []
            if depth >= 2:
                allowed = _siblings(depth)
                keys = [
                    (k, v) for k, v in node.pairs if k.kind == "scalar" and k.value not in allowed
                ]
                variants = [(k, v) for k, v in keys if spelled_as(k.value, name)]
                for key, _ in keys:
                    if close_to(key.value, name) and not spelled_as(key.value, name):
                        self.notes.append(
                            f"{key.value!r} (line {self.line(key)}) looks like a misspelling "
                            f"of {name!r}, which the chart would ignore; it was left as it "
                            "is: remove it if it is one"
                        )
            for key, value in variants[0 if found else 1 :]:
                changes.append(_Change(*self.entry(key, value, repr(key.value))))
                self.notes.append(
                    f"removed {key.value!r} (line {self.line(key)}), a misspelling "
                    f"of {name!r} that the chart silently ignores"
                )
            if not found:
                changes.append(self.missing(node, depth, variants[:1]))
                return changes
            key, value = found[-1]
            for earlier, _ in found[:-1]:
                self.notes.append(
                    f"an earlier {name!r} at line {self.line(earlier)} is "
                    "ignored by Helm (the last one wins) and was left as it is"
                )
            if depth == len(PATH) - 1:
                return self.bootstrap(changes, key, value)
            if value.kind == "map" and value.pairs:
                self.check_mapping(value, PATH[: depth + 1])
                first = value.pairs[0][0].start
                self.steps.append(
                    self.column(first, repr(value.pairs[0][0].value))
                    - self.column(key.start, repr(name))
                )
                node = value
                continue
            changes.append(self.fill(key, value, depth))
            return changes
        raise AssertionError("unreachable: the loop returns at the last key")

    def missing(self, node: Node, depth: int, variant: list[tuple[Node, Node]]) -> _Change:
        keys = PATH[depth:]
        if variant:
            key, value = variant[0]
            start, end = self.entry(key, value, repr(key.value))
            self.notes.append(
                f"replaced {key.value!r} (line {self.line(key)}), a misspelling "
                f"that the chart silently ignores, with {keys[0]!r}"
            )
            return _Change(start, end, keys, self.column(key.start, repr(key.value)))
        first = node.pairs[0][0]
        column = self.column(first.start, repr(first.value))
        at = self.lines.after(node.end)
        self.notes.append(
            f"added {'.'.join(keys)} under {'.'.join(PATH[:depth]) or 'the top level'}"
            f" (after line {self.lines.position(max(at - 1, 0))[0]})"
        )
        return _Change(at, at, keys, column)

    def bootstrap(self, changes: list[_Change], key: Node, value: Node) -> list[_Change]:
        old = _at(self.data, PATH)
        if not changes and same(old, self.expected):
            self.notes.append("already up to date")
            return []
        start, end = self.entry(key, value, "'bootstrap'")
        children = None
        if value.kind == "map" and not value.flow and value.pairs:
            first = value.pairs[0][0].start
            if self.lines.only_blanks_before(first):
                children = self.lines.position(first)[1] - 1
        first_line, last_line = self.lines.position(start)[0], self.lines.position(end - 1)[0]
        self.notes.append(f"replaced the bootstrap block (lines {first_line}-{last_line})")
        if _COMMENT.search(self.text[start:end]):
            self.notes.append("comments inside the old bootstrap block were not kept")
        dropped = [k for k in old if k not in self.expected] if isinstance(old, dict) else []
        if dropped:
            self.notes.append(
                "dropped from the bootstrap block (not in the spec): "
                + ", ".join(map(repr, dropped))
            )
        column = self.column(key.start, "'bootstrap'")
        changes.append(_Change(start, end, PATH[-1:], column, children=children))
        return changes

    def fill(self, key: Node, value: Node, depth: int) -> _Change:
        """Give an empty parent (``key:``, ``key: ~``, ``key: {}``) its missing children."""
        name, keys = PATH[depth], PATH[depth + 1 :]
        is_null = value.kind == "scalar" and value.plain and value.value in NULLS
        if not (is_null or (value.kind == "map" and value.flow and not value.pairs)):
            what = {"alias": "an alias", "seq": "a list", "map": "a flow mapping"}
            raise self.refuse(
                value.start,
                f"{'.'.join(PATH[: depth + 1])} is "
                f"{what.get(value.kind, 'a value')}, not a mapping: fix it first",
            )
        column = self.column(key.start, repr(name))
        self.notes.append(f"added {'.'.join(keys)} under {'.'.join(PATH[: depth + 1])}")
        if value.start == value.end:  # nothing written after the colon: add lines below
            at = self.lines.after(value.end)
            return _Change(at, at, keys, parent=column)
        start = self.lines.start_of(key.start)
        end = self.lines.after(value.end)
        if self.lines.start_of(max(value.end - 1, value.start)) != start:
            raise self.refuse(
                value.start,
                f"the value of {name!r} spans several lines: "
                "write it as an empty key and run again",
            )
        line_rest = self.text[value.end : end]
        tail = line_rest.rstrip("\r\n\x85\u2028\u2029")
        head = self.text[start : value.start].rstrip(" \t") + tail
        head += line_rest[len(tail) :] or newline_of(self.text)
        return _Change(start, end, keys, parent=column, head=head)


def _at(data: Any, path: tuple[str, ...]) -> Any:
    return lookup(data, path)[1]


def _bootstrap_lines(spec: TokenSpec, column: int, dash: int) -> list[str]:
    pad = " " * column
    lines = [f"{pad}token: {quoting.literal(spec.token)}"]
    if spec.roles:
        lines.append(f"{pad}roles:")
        lines += [f"{' ' * (column + dash)}- {quoting.literal(role)}" for role in spec.roles]
    else:
        lines.append(f"{pad}roles: []")
    lines.append(f"{pad}ttl: {quoting.literal(spec.ttl)}")
    if spec.dedicated_subject is not None:
        lines.append(f"{pad}dedicatedSubject: {quoting.literal(spec.dedicated_subject)}")
    return lines


def _render(change: _Change, spec: TokenSpec, step: int, dash: int, newline: str) -> str:
    if not change.keys:
        return ""
    column = change.column if change.parent is None else change.parent + step
    out = [f"{' ' * (column + i * step)}{key}:" for i, key in enumerate(change.keys)]
    inner = column + step * len(change.keys) if change.children is None else change.children
    out += _bootstrap_lines(spec, inner, dash)
    return change.head + newline.join(out) + newline


class Parsed(NamedTuple):
    """A values file read once: the values as Helm reads them (``document``, also what lint
    checks) and the first document's nodes with character ranges (``root``)."""

    document: helm_yaml.YamlDocument
    root: Node | None


def read(text: str, limits: Limits = DEFAULT) -> Parsed:
    """``text`` parsed once, as lint reads it; ``EditError`` with a position (and the
    error's kind) when it cannot be read."""
    try:
        document, root = helm_yaml.load_tree(
            text, max_nodes=limits.max_values, max_depth=limits.max_depth
        )
    except helm_yaml.YamlError as err:
        kind = ErrorKind.LIMIT if err.kind is ErrorKind.LIMIT else ErrorKind.SYNTAX
        raise EditError(err.message, err.position.line, err.position.column, kind) from None
    return Parsed(document, root)


def edit(text: str, spec: TokenSpec, parsed: Parsed | None = None) -> Edit:
    """``text`` (``parsed``: as ``read`` gives it) with ``stackstate.authentication.
    serviceToken.bootstrap`` set to ``spec``."""
    document, root = parsed or read(text)
    planner = _Planner(text, document.data, spec)
    changes = planner.plan(root)
    if not changes:
        return Edit(text, notes=tuple(planner.notes))
    lines = Lines(text)
    step, dash = (
        (2, 2) if root is None else indentation(root, lines, [(c.start, c.end) for c in changes])
    )
    if planner.steps:
        step = planner.steps[-1] if planner.steps[-1] > 0 else step
    newline = newline_of(text)
    spans = [Span(c.start, c.end, _render(c, spec, step, dash, newline)) for c in changes]
    result = splice(text, spans)
    notes = tuple(planner.notes)
    return Edit(result.text, result.old_ranges, result.new_ranges, notes, spec.bootstrap())


def secret_ranges(text: str, parsed: Parsed) -> list[tuple[int, int]]:
    """Character ranges of every secret value in the file: whatever sits under a token,
    password or secret key (``messages.is_secret_key``), in any style and over any number of
    lines, and the anchored values such a key refers to by alias."""
    found: list[tuple[int, int]] = []
    pending = [parsed.root] if parsed.root is not None else []
    seen: set[int] = set()
    while pending:
        node = pending.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        for key, value in node.pairs:
            secret = key.kind == "scalar" and is_secret_key(key.value)
            if secret and not (key.value in PATH and value.composed().kind == "map"):
                found += _whole(value)  # serviceToken: a section, looked into
            else:
                pending.append(value)
        pending.extend(node.items)
    return found


def _whole(node: Node) -> list[tuple[int, int]]:
    """The ranges of ``node`` and of every anchored node an alias inside it names."""
    found, pending, seen = [], [node], set()
    while pending:
        item = pending.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        found.append((item.start, item.end))
        if item.target is not None:
            pending.append(item.target)
        pending += [n for pair in item.pairs for n in pair] + item.items
    return found


def bootstrap_of(managed: Any) -> Any:
    """The bootstrap block in what ``managed_view`` calls managed: all of it, here."""
    return managed


def managed_view(parsed: Parsed) -> tuple[Any, Any]:
    """(the bootstrap value, every other value) of a values file, as Helm reads them.

    "Every other value" leaves out the bootstrap block, misspellings of ``serviceToken`` and
    ``bootstrap`` where configgen replaces them, and parents left empty by that.
    """
    data = parsed.document.data
    bootstrap = _at(data, PATH)
    # Only the mappings along PATH change: they are copied, everything else is shared (a deep
    # copy of a large expanded file cost more than reading it).
    rest = dict(data) if isinstance(data, dict) else data
    node = rest
    parents: list[tuple[dict[str, Any], str]] = []
    for depth, name in enumerate(PATH):
        if not isinstance(node, dict):
            break
        if depth >= 2:
            allowed = _siblings(depth)
            for key in [k for k in node if k not in allowed and spelled_as(k, name)]:
                del node[key]
        if name not in node:
            break
        parents.append((node, name))
        if isinstance(node[name], dict):
            node[name] = dict(node[name])
        node = node[name]
    if len(parents) == len(PATH):
        del parents[-1][0][PATH[-1]]
    for mapping, name in reversed(parents):
        if name in mapping and mapping[name] in (None, {}):
            del mapping[name]
    return bootstrap, rest or None  # an empty document reads as null
