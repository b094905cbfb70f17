"""Set the bootstrap token in an existing ``application_stackstate.conf``, losing nothing.

configgen owns one block of the file, between two marker comments, and writes it at the end of
the root object: HOCON merges it with what comes before, and later definitions win.  The block
uses the path form of the file (``stackstate.api.authentication...`` for the real nested or flat
layout, ``authentication...`` for the documentation's short form), lists the providers the file
already enables plus ``serviceTokenAuthServer``, and -- when the file has its own bootstrap
block -- first sets ``bootstrap = null``: a value that is not an object cuts Lightbend's object
merge, so keys of the old block (a ``dedicatedSubject``, say) cannot survive into the new one.
Nothing outside the managed block changes; its values are computed from the file *without* it,
so applying the same spec again gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from configgen.apply.spans import Edit, EditError, Span, same, splice
from configgen.messages import is_secret_key
from configgen.parsing import documents, hocon
from configgen.parsing.hocon import includes
from configgen.parsing.hocon.lexer import Kind, tokenize
from configgen.parsing.limits import DEFAULT, Limits
from configgen.parsing.unresolved import Unresolved
from configgen.product import auth, paths, quoting
from configgen.spec.model import TokenSpec

BEGIN = "# BEGIN configgen managed block: bootstrap service token"
END = "# END configgen managed block"
NOTE = "# Written by `configgen apply`: the lines up to the END marker are replaced on every apply."
SUFFIX = paths.BOOTSTRAP_SUFFIX
TYPES = paths.AUTH_SERVER_TYPE_SUFFIX
SERVICE = auth.SERVICE_TOKEN_AUTH_SERVER


@dataclass(frozen=True)
class Plan:
    """What the managed block must say, worked out from the file without that block."""

    section: tuple[str, ...]  # where the authentication settings are (full or short form)
    providers: list[str]  # authServerType to write
    existing: Any  # authServerType the file sets outside the block (None: not set)
    earlier: tuple[int, list[str]] | None  # an unmanaged bootstrap block: its line and keys
    managed: tuple[int, int] | None  # the current managed block's range in the text
    base: Any  # the file's values without the managed block


class Parsed(NamedTuple):
    """A HOCON file read once: its syntax tree (includes with their scope) and its values
    merged as Lightbend merges them; what lint checks too."""

    document: hocon.HoconDocument
    merged: hocon.Merged


def parse(text: str, what: str = "", limits: Limits = DEFAULT) -> hocon.HoconDocument:
    """The syntax tree; ``EditError`` with Lightbend's position when the text is not HOCON."""
    try:
        return hocon.parse(text, max_depth=limits.max_depth)
    except hocon.HoconSyntaxError as err:
        raise EditError(what + err.message, err.line, err.column, err.kind) from None


def read(text: str, limits: Limits = DEFAULT) -> Parsed:
    """``text`` parsed and merged once, as lint reads it."""
    document = parse(text, limits=limits)
    return Parsed(document, hocon.merge(document))


def _line_starts(text: str) -> list[int]:
    return [0] + [i + 1 for i, char in enumerate(text) if char == "\n"]


def managed_range(text: str) -> tuple[int, int] | None:
    """The lines from the BEGIN marker through the END marker, or ``None`` when absent."""
    markers: list[tuple[str, int, int]] = []
    for token in tokenize(text):
        if token.kind is Kind.COMMENT and token.column == 1:
            body = token.text.rstrip()
            if body in (BEGIN, END):
                markers.append((body, token.line, token.column))
    if not markers:
        return None
    if [m[0] for m in markers] != [BEGIN, END]:
        line = markers[0][1] if len(markers) == 1 else markers[1][1]
        raise EditError(
            "the configgen managed block markers do not pair up (one BEGIN line, then one END "
            "line): remove the stray marker comment, or the whole block, and run again",
            line,
            1,
        )
    starts = _line_starts(text)
    end_line = markers[1][1]
    end = starts[end_line] if end_line < len(starts) else len(text)
    return starts[markers[0][1] - 1], end


def _at(data: Any, path: tuple[str, ...]) -> Any:
    return documents.lookup(data, path)[1]


def plan(text: str, spec: TokenSpec, parsed: Parsed | None = None) -> Plan:
    """The managed block's contents for ``text`` (``parsed``: as ``read`` gives it);
    ``EditError`` when it cannot be worked out."""
    parsed = parsed or read(text)
    refuse_includes(parsed.document)
    managed = managed_range(text)
    merged = parsed.merged
    if managed is not None:  # the values without the managed block: another text to read
        base = text[: managed[0]] + text[managed[1] :]
        merged = hocon.merge(
            parse(base, "without its configgen managed block the file is invalid: ")
        )
    data = merged.to_plain()
    section = documents.hocon_section(data)
    starts = _line_starts(text)

    def where(path: tuple[str, ...]) -> tuple[int, int]:
        position = merged.key_position(path)
        line, column = (position.line, position.column) if position else (0, 0)
        if managed is not None and line and starts[line - 1] >= managed[0]:
            line += text.count("\n", managed[0], managed[1])  # back to the full text's lines
        return line, column

    for path in (section + TYPES, section + SUFFIX):
        for end in range(1, len(path) + 1):
            value = _at(data, path[:end])
            if isinstance(value, Unresolved):
                raise EditError(
                    f"{'.'.join(path[:end])} is set through a substitution "
                    f"({value.expression}); configgen cannot tell what it will hold: write the "
                    "value out, or set the bootstrap token by hand",
                    *where(path[:end]),
                )
    existing = _at(data, section + TYPES)
    if existing is None:
        providers = spec.auth_server_types
    else:
        names = [existing] if isinstance(existing, str) else existing
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise EditError(
                f"{'.'.join(section + TYPES)} is neither a string nor a list of strings: fix it "
                "first",
                *where(section + TYPES),
            )
        providers = names if SERVICE in names else [*names, SERVICE]
    old = _at(data, section + SUFFIX)
    earlier = None
    if merged.node(section + SUFFIX) is not None:
        earlier = (where(section + SUFFIX)[0], list(old) if isinstance(old, dict) else [])
    return Plan(section, providers, existing, earlier, managed, data)


# What configgen decides on, under each section form: everything an include may not touch.
DECIDED = tuple(section + suffix for section in paths.HOCON_SECTIONS for suffix in (TYPES, SUFFIX))


def refuse_includes(document: hocon.HoconDocument) -> None:
    """``EditError`` at the first include that may set ``authServerType`` or the bootstrap
    block: one at the top level or inside an object on the way to them.  configgen never reads
    an included file, so it cannot know what the server will see there (as with ``${?VAR}``)."""
    for include in document.includes:
        scope = include.scope
        if scope is None or not any(path[: len(scope)] == scope for path in DECIDED):
            continue  # inside a list, or an object that holds none of them
        where = "at the top level" if not scope else f"inside {'.'.join(scope)}"
        raise EditError(
            f"{include.text} {where} may set authServerType or the bootstrap token, and "
            "configgen never reads included files: inline what it sets, or set the bootstrap "
            "token by hand",
            include.pos.line,
            include.pos.column,
        )


def block(plan: Plan, spec: TokenSpec, newline: str) -> str:
    """The managed block, marker lines included, ending with a line break."""
    prefix = hocon.render_path((*plan.section, "authServer"))
    bootstrap = f"{prefix}.serviceTokenAuthServer.bootstrap"
    roles = ", ".join(quoting.literal(r) for r in spec.roles)
    lines = [
        BEGIN,
        NOTE,
        f"{prefix}.authServerType = [{', '.join(quoting.literal(p) for p in plan.providers)}]",
    ]
    if plan.earlier is not None:
        lines.append(f"{bootstrap} = null  # not merged with the bootstrap block above")
    lines += [
        f"{bootstrap} {{",
        f"  token = {quoting.literal(spec.token)}",
        f"  roles = [{roles}]",
        f"  ttl = {quoting.literal(spec.ttl)}",
    ]
    if spec.dedicated_subject is not None:
        lines.append(f"  dedicatedSubject = {quoting.literal(spec.dedicated_subject)}")
    lines += ["}", END]
    return newline.join(lines) + newline


def _insertion_point(base: str) -> int:
    """The end of the root object: the end of the text, or the line of a root ``}``."""
    masked = includes.mask(base)
    if not masked.lstrip().startswith("{"):
        return len(base)
    close = len(masked.rstrip()) - 1
    start = base.rfind("\n", 0, close) + 1
    if base[start:close].strip():
        raise EditError(
            "the closing '}' of the file's root object shares its line with other text: put it "
            "on a line of its own and run again",
            base.count("\n", 0, close) + 1,
            close - start + 1,
        )
    return start


def edit(text: str, spec: TokenSpec, parsed: Parsed | None = None) -> Edit:
    """``text`` (``parsed``: as ``read`` gives it) with the configgen managed block added or
    replaced for ``spec``."""
    work = plan(text, spec, parsed)
    expected = spec.bootstrap()
    bootstrap = _at(work.base, work.section + SUFFIX)
    if work.managed is None and same(work.existing, work.providers) and same(bootstrap, expected):
        return Edit(text, notes=("already up to date",))
    newline = "\r\n" if "\r\n" in text[: text.find("\n") + 1] else "\n"
    base = text if work.managed is None else _without(text, work.managed)
    point = _insertion_point(base)
    spans = []
    if work.managed is not None:
        start, end = work.managed
        point = point + (end - start) if point >= start else point
        spans.append(Span(start, end, ""))
    spans.append(Span(point, point, block(work, spec, newline)))
    result = splice(text, spans, newline=newline, terminated=not text or text.endswith("\n"))
    if result.text == text:
        return Edit(text, notes=("already up to date",))
    wrote = {"bootstrap": expected, "authServerType": work.providers}
    notes = tuple(_notes(work, text))
    return Edit(result.text, result.old_ranges, result.new_ranges, notes, wrote)


def _without(text: str, managed: tuple[int, int]) -> str:
    return text[: managed[0]] + text[managed[1] :]


def _notes(work: Plan, text: str) -> list[str]:
    shown = ".".join(work.section)
    notes = []
    if work.managed is None:
        notes.append(f"added a configgen managed block at the end of the root object ({shown})")
    else:
        line = text.count("\n", 0, work.managed[0]) + 1
        notes.append(f"replaced the configgen managed block (it began at line {line})")
    if work.existing is None:
        notes.append(f"authServerType was not set: wrote the spec's login providers and {SERVICE}")
    elif SERVICE not in (work.existing if isinstance(work.existing, list) else [work.existing]):
        notes.append(f"added {SERVICE} to authServerType, after " + ", ".join(work.providers[:-1]))
    if work.earlier is not None:
        line, keys = work.earlier
        notes.append(
            f"the bootstrap block at line {line} is cut off with 'bootstrap = null' so that "
            f"none of its keys ({', '.join(keys) or 'none'}) merge into the new one"
        )
    return notes


def secret_ranges(text: str, parsed: Parsed) -> list[tuple[int, int]]:
    """Character ranges of every secret value in the file: whatever a field under a token,
    password or secret key holds (``messages.is_secret_key``; no key of configgen's own path
    is one), quoted, triple-quoted, concatenated, an object or a list, over any number of
    lines."""
    starts = _line_starts(text)
    found: list[tuple[int, int]] = []
    pending: list[hocon.Value] = [parsed.document.root]
    while pending:
        value = pending.pop()
        if isinstance(value, hocon.HList):
            pending.extend(value.items)
        elif isinstance(value, hocon.HConcat):
            pending.extend(value.parts)
        elif isinstance(value, hocon.HObject):
            for item in value.fields:
                if any(is_secret_key(key) for key in item.path):
                    if item.value_end is not None:
                        start = starts[item.value.pos.line - 1] + item.value.pos.column - 1
                        end = starts[item.value_end.line - 1] + item.value_end.column - 1
                        found.append((start, end))
                else:
                    pending.append(item.value)
    return found


def bootstrap_of(managed: dict[str, Any]) -> Any:
    """The bootstrap block in what ``managed_view`` calls managed."""
    return managed["bootstrap"]


def managed_view(parsed: Parsed) -> tuple[dict[str, Any], Any]:
    """(the bootstrap block and authServerType, every other value) of a HOCON file."""
    data = parsed.merged.to_plain()
    section = documents.hocon_section(data)
    managed = {
        "bootstrap": _at(data, section + SUFFIX),
        "authServerType": _at(data, section + TYPES),
    }
    rest = data  # to_plain() built it for this call alone: changed in place
    for path in (section + SUFFIX, section + TYPES):
        parents = []
        node = rest
        for key in path[:-1]:
            if not isinstance(node, dict) or not isinstance(node.get(key), dict):
                break
            parents.append((node, key))
            node = node[key]
        else:
            node.pop(path[-1], None)
        for mapping, key in reversed(parents):
            if mapping[key] in (None, {}):
                del mapping[key]
    return managed, rest
