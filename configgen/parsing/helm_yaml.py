"""Load YAML the way Helm reads values files, keeping positions for every key and value.

Helm reads values with ``sigs.k8s.io/yaml`` over ``gopkg.in/yaml.v2``, which applies YAML 1.1
rules to plain scalars (``no`` is false, ``0777`` is 511).  configgen only *composes* the
document (nodes with positions, styles and the original text: libyaml, the parser yaml.v2 was
ported from, or ruamel.yaml as a fallback) and resolves plain scalars itself with yaml.v2's
rules (``configgen.helmscalars``).  The result is plain JSON types -- what the chart's templates
see -- which is also what JSON Schema validation expects.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from configgen.findings import ErrorKind, Position
from configgen.parsing import libyaml
from configgen.parsing.limits import DEFAULT, HARD_MAX_DEPTH
from configgen.parsing.yaml_values import Builder, YamlDocument, YamlError
from configgen.parsing.yaml_values import position_of as _pos

if TYPE_CHECKING:
    from configgen.parsing import yaml_tree

__all__ = ["YamlDocument", "YamlError", "load", "load_all", "load_tree"]

_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


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
    # A later document that is empty or only comments (a file ending in ``---``) loses nothing.
    extra = [_pos(n) for n in nodes[1:] if not _empty(n)]
    doc = YamlDocument(data=None, extra_documents=extra)
    if nodes and nodes[0] is not None:
        _build(doc, nodes[0], max_nodes, max_depth)
    return _clamped(doc, text)


_NULLS = ("", "~", "null", "Null", "NULL")


def _empty(node: Any) -> bool:
    """True for a document without content: no node, or a plain null scalar."""
    if node is None:
        return True
    if hasattr(node, "tag"):  # PyYAML's node, with its resolved tag
        return bool(node.tag.endswith(":null"))
    return node.kind == "scalar" and node.style in (None, "plain") and node.value in _NULLS


def _build(doc: YamlDocument, node: Any, max_nodes: int, max_depth: int) -> int:
    """Count, then build ``node`` into ``doc``; the budget of values left."""
    builder = Builder(doc, max_nodes, min(max_depth, HARD_MAX_DEPTH))
    builder.measure(node)
    doc.values[()] = builder.at(node)
    doc.data = builder.build(node, (), 0)
    doc.duplicates.sort(key=lambda duplicate: duplicate[1])  # in reading order
    return builder.budget


def load_all(
    text: str, *, max_nodes: int = DEFAULT.max_values, max_depth: int = DEFAULT.max_depth
) -> list[YamlDocument]:
    """Parse every YAML document, as Kubernetes reads a manifest file; ``YamlError`` otherwise.

    The documents share one budget of ``max_nodes`` values, so many small documents cost no
    more than one large one.  An empty document is kept (its ``data`` is ``None``).
    """
    documents = []
    budget = max_nodes
    for node in _compose(text):
        doc = YamlDocument(data=None)
        if node is not None:
            budget = _build(doc, node, budget, max_depth)
        documents.append(_clamped(doc, text))
    return documents


def _clamped(doc: YamlDocument, text: str) -> YamlDocument:
    """``doc`` with every position inside ``text`` (see ``_inside``)."""
    if not _LINE_BREAK.fullmatch(text[-1:]):  # only then can a mark point past the text
        for table in (doc.values, doc.keys):
            for path, position in table.items():
                table[path] = _inside(position, text)
        doc.extra_documents = [_inside(p, text) for p in doc.extra_documents]
        doc.duplicates = [(path, _inside(p, text)) for path, p in doc.duplicates]
        doc.unreadable = [(_inside(p, text), what) for p, what in doc.unreadable]
    return doc
