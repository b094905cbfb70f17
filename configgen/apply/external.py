"""``configgen apply --external-secret NAME``: move the token of a values file into a Secret.

The values file changes in two places only, by text surgery: the token's value becomes the
placeholder (``product.tokens.EXTERNAL_SECRET_PLACEHOLDER``), and ``fromExternalSecret: NAME``
is set under ``stackstate.authentication`` (its value replaced, or a line added just before
``serviceToken``).  Every other byte stays.  The token goes into a new Secret manifest, with
the other keys the values' login providers need left empty (``product.auth_secret``).

With a spec (or token flags) the bootstrap block is first set as ``configgen apply`` would, so
the spec's token goes to the Secret; without one, the token already in the file is moved.
Nothing is returned unless the values read back as before except for those two keys, the
Secret reads back with the token, and lint finds no new error.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from configgen.apply import yaml_edit
from configgen.apply.plan import BOM, ApplyError, ApplyResult
from configgen.apply.spans import EditError, Lines, Span, newline_of, same, splice
from configgen.apply.yaml_tree import Node
from configgen.findings import Severity
from configgen.lint import run as lint
from configgen.parsing import sources
from configgen.parsing.documents import lookup
from configgen.parsing.kinds import HELM
from configgen.product import auth_secret, paths, quoting, tokens
from configgen.render import targets
from configgen.render.templates import Rendered, render_secret
from configgen.render.verify import verify
from configgen.spec.model import TokenSpec

PLACEHOLDER = tokens.EXTERNAL_SECRET_PLACEHOLDER
_FIELD = auth_secret.FROM_EXTERNAL_SECRET


@dataclass(frozen=True)
class Conversion:
    """The values file's new text and the Secret to create (``None``: nothing to create)."""

    values: ApplyResult
    secret_path: Path
    secret: Rendered | None = field(repr=False)

    @property
    def changed(self) -> bool:
        """True when a file would be written."""
        return self.values.changed or self.secret is not None


def convert(
    path: Path,
    name: str,
    *,
    spec: TokenSpec | None,
    lint_options: lint.LintOptions,
    secret_path: Path | None = None,
    shown: str | None = None,
) -> Conversion:
    """Plan moving the token of the values file ``path`` into Secret ``name``; writes nothing.

    ``ApplyError`` when the file cannot be converted safely (nothing is to be written then).
    """
    shown = shown or str(path)
    secret_path = secret_path or path.parent / targets.secret_manifest(name).filename
    profile = lint_options.profile
    if not profile.reads_external_secret:
        raise ApplyError(
            shown,
            f"{profile} does not read fromExternalSecret (suse-observability 2.2.0 and later "
            "do): the token must stay in the values there",
        )
    data, text = _read(path, shown, lint_options.limits.max_bytes)
    bom = BOM if data.startswith(BOM.encode("utf-8")) else ""
    edited = text if spec is None else _edit(yaml_edit.edit, text, spec, shown)
    before = _load(edited, shown)
    # Converted already: the placeholder and this Secret's name (only without a spec, which
    # has just put its token inline).
    done = _token(before) == PLACEHOLDER and auth_secret.external_secret(_section(before)) == name
    token = spec.token if spec is not None else None if done else _movable(_token(before), shown)
    new_text = edited if done else _converted(edited, before, name, shown)
    if new_text == text and secret_path.exists():
        note = f"already up to date ({secret_path} exists; its content was not read)"
        unchanged = ApplyResult(path, shown, HELM, bom + text, bom + text, (note,), old_bytes=data)
        return Conversion(unchanged, secret_path, None)
    if secret_path.exists() or secret_path.is_symlink():
        raise ApplyError(
            shown,
            f"{secret_path} exists; nothing was changed: move it away, or name another file "
            "with --secret-file",
        )
    if token is None:
        raise ApplyError(
            shown,
            f"the token is no longer in this file (it names Secret {name} already): give it "
            f"(SPEC, --token-file or --token-env) to write {secret_path}",
        )
    after = _load(new_text, shown)
    findings = _lint_check(shown, text, new_text, lint_options)
    keys = auth_secret.required_keys(_section(after), profile)
    secret_spec = TokenSpec(token, ())
    secret = render_secret(secret_spec, targets.secret_manifest(name), name, keys)
    verify(secret, secret_spec)
    values = ApplyResult(
        path,
        shown,
        HELM,
        old_text=bom + text,
        new_text=bom + new_text,
        notes=(f"the token goes to {secret_path} (Secret {name}); the values hold a placeholder",),
        findings=findings,
        old_bytes=data,
        secrets=_secrets(token, _token(_load(text, shown))),
        **_changes(bom, text, new_text),
    )
    return Conversion(values, secret_path, secret)


def _changes(bom: str, old: str, new: str) -> dict[str, Any]:
    """What ``ApplyResult.diff`` needs: the changed part of each text (one range from the
    first to the last differing character) and every secret value's range in both."""
    prefix = _common(old, new)
    suffix = _common(old[prefix:][::-1], new[prefix:][::-1])
    shift = len(bom)

    def secrets(text: str) -> tuple[tuple[int, int], ...]:
        found = yaml_edit.secret_ranges(text, yaml_edit.read(text))
        return tuple((a + shift, b + shift) for a, b in found)

    return {
        "old_ranges": ((prefix + shift, len(old) - suffix + shift),),
        "new_ranges": ((prefix + shift, len(new) - suffix + shift),),
        "secret_ranges": (secrets(old), secrets(new)),
    }


def _common(a: str, b: str) -> int:
    """How many leading characters ``a`` and ``b`` share."""
    size = min(len(a), len(b))
    return next((i for i in range(size) if a[i] != b[i]), size)


def _secrets(token: str, old: Any) -> tuple[str, ...]:
    """Token values to keep out of diffs: the new one, and the one the file held."""
    return (token, old) if isinstance(old, str) and old and old != token else (token,)


def _converted(text: str, before: Any, name: str, shown: str) -> str:
    """``text`` converted; ``ApplyError`` unless it reads back as ``before`` but for the token
    and ``fromExternalSecret``."""
    new_text = _edit(_externalize, text, name, shown)
    expected = copy.deepcopy(before)
    _section(expected)[_FIELD] = name
    _section(expected)["serviceToken"]["bootstrap"]["token"] = PLACEHOLDER
    if not same(_load(new_text, shown), expected):
        raise ApplyError(
            shown,
            "configgen cannot edit this file safely (values other than the token and "
            "fromExternalSecret would change); nothing was changed: edit it by hand",
        )
    return new_text


def _read(path: Path, shown: str, limit: int) -> tuple[bytes, str]:
    if not path.is_file():
        raise ApplyError(
            shown,
            "not an existing values file: configgen render --external-secret writes new files",
        )
    try:
        data = sources.read_bytes(str(path), limit=limit)
        return data, sources.decode(data)
    except sources.InputError as err:
        raise ApplyError(shown, err.message, err.line, err.column) from None


def _edit(editor: Any, text: str, argument: Any, shown: str) -> str:
    try:
        result: Any = editor(text, argument)
    except EditError as err:
        raise ApplyError(shown, err.message, err.line, err.column) from None
    return result if isinstance(result, str) else result.text


def _load(text: str, shown: str) -> Any:
    try:
        return yaml_edit.read(text).document.data
    except EditError as err:
        raise ApplyError(shown, err.message, err.line, err.column) from None


def _section(data: Any) -> Any:
    return lookup(data, paths.HELM_AUTHENTICATION_PATH)[1]


def _token(data: Any) -> Any:
    return lookup(data, (*paths.HELM_BOOTSTRAP_PATH, "token"))[1]


def _movable(token: Any, shown: str) -> str:
    """The inline token, when there is a real one to move."""
    if not isinstance(token, str) or not token:
        raise ApplyError(
            shown,
            "there is no token in stackstate.authentication.serviceToken.bootstrap to move: "
            "give one (SPEC, --token-file or --token-env)",
        )
    if tokens.is_placeholder(token):
        raise ApplyError(
            shown,
            "the token in this file is a placeholder, not a secret to move: give the real "
            "one (SPEC, --token-file or --token-env)",
        )
    if quoting.first_unreadable(token) is not None:
        raise ApplyError(
            shown, "the token holds a control character configgen cannot write: replace it"
        )
    return token


def _externalize(text: str, name: str) -> str:
    """``text`` with the placeholder as its token and ``fromExternalSecret: name``."""
    lines = Lines(text)
    node = yaml_edit.read(text).root
    chain: list[tuple[Node, Node]] = []
    for key in (*paths.HELM_BOOTSTRAP_PATH, "token"):
        if node is None or node.kind != "map" or node.flow:
            raise _refuse(lines, node, "the path to the token is not in block style")
        pairs = [(k, v) for k, v in node.pairs if k.kind == "scalar" and k.value == key]
        if not pairs:
            raise _refuse(lines, node, f"no {key!r} on the path to the token")
        chain.append(pairs[-1])  # Helm keeps the last of duplicated keys
        node = pairs[-1][1]
    token = chain[-1][1]
    if token.kind != "scalar" or "\n" in text[token.start : token.end] or token.start == token.end:
        raise _refuse(lines, token, "the token is not written on one line")
    spans = [Span(token.start, token.end, quoting.literal(PLACEHOLDER))]
    authentication = chain[1][1]
    literal = quoting.literal(name)
    existing = [v for k, v in authentication.pairs if k.kind == "scalar" and k.value == _FIELD]
    if existing:
        value = existing[-1]
        if value.kind != "scalar" or "\n" in text[value.start : value.end]:
            raise _refuse(lines, value, f"{_FIELD} is not written on one line")
        spans.append(
            Span(value.start, value.end, literal if value.end > value.start else " " + literal)
        )
    else:
        service_token = chain[2][0]
        if not lines.only_blanks_before(service_token.start):
            raise _refuse(lines, service_token, "'serviceToken' does not start its line")
        start = lines.start_of(service_token.start)
        indent = text[start : service_token.start]
        spans.append(Span(start, start, f"{indent}{_FIELD}: {literal}{newline_of(text)}"))
    return splice(text, spans).text


def _refuse(lines: Lines, node: Node | None, what: str) -> EditError:
    line, column = lines.position(node.start) if node is not None else (0, 0)
    return EditError(f"{what}: move the token by hand", line, column)


def _lint_check(shown: str, old: str, new: str, options: lint.LintOptions) -> tuple[Any, ...]:
    """New lint findings of ``new``; ``ApplyError`` when one is an error."""
    before = {(f.rule, f.json_path) for f in lint.lint_text(shown, old, HELM, options)}
    fresh = [
        f for f in lint.lint_text(shown, new, HELM, options) if (f.rule, f.json_path) not in before
    ]
    errors = tuple(f for f in fresh if f.severity is Severity.ERROR)
    if errors:
        raise ApplyError(
            shown,
            "the converted file would have lint errors it does not have now; nothing was changed",
            findings=errors,
        )
    return tuple(fresh)
