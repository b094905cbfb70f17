"""Properties of ``configgen apply`` over generated files of many shapes.

The managed part is defined precisely:

- Helm: the lines of the old ``bootstrap`` entry (or of the misspelled ``servicetoken`` entry it
  replaces), and the new entry's lines together with any parent keys inserted above them.
  ``ApplyResult.old_ranges``/``new_ranges`` give those character ranges; the generator knows
  independently which lines of its file are the old entry.
- HOCON: the block from the BEGIN marker line through the END marker line.

Everything outside the managed part must be byte-identical before and after; the managed values
must read back as the spec; a second apply must change nothing.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from configgen.apply import hocon_edit
from configgen.apply import plan as apply
from configgen.parsing import helm_yaml, hocon
from configgen.product import paths, quoting
from configgen.spec.model import TokenSpec
from testing import hocon_oracle

T = TypeVar("T")
Choose = Callable[[Sequence[T]], T]

TOKEN_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~+/=-"
ROLE = st.from_regex(r"[A-Za-z_][A-Za-z0-9_.\-]{0,15}", fullmatch=True).filter(
    quoting.is_unquoted_hocon_safe
)
SPECS = st.builds(
    TokenSpec,
    st.text(TOKEN_ALPHABET, min_size=16, max_size=48),
    st.lists(ROLE, min_size=1, max_size=3).map(tuple),
    st.sampled_from(["24h", "90m", "7d", "3600s", "2 hours"]),
    st.one_of(st.none(), st.text('abc -_.@"\\\u00e9', min_size=1, max_size=12)),
)
PROPERTY_SETTINGS = settings(
    max_examples=int(__import__("os").environ.get("APPLY_EXAMPLES", "100")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def outside(text: str, ranges: tuple[tuple[int, int], ...]) -> str:
    kept, cursor = [], 0
    for start, end in ranges:
        kept.append(text[cursor:start])
        cursor = end
    return "".join(kept) + text[cursor:]


def some(choose: Choose[Any], values: Sequence[T], count: int) -> list[T]:
    """``count`` different entries of ``values`` (a key twice would be a duplicate key)."""
    left = list(values)
    return [left.pop(choose(range(len(left)))) for _ in range(count)]


def finish(text: str, choose: Choose[Any]) -> str:
    """Line endings, BOM and final newline as real files have them."""
    if choose([False, True]):
        text = text.rstrip("\n")
    if choose([False, True]):
        text = text.replace("\n", "\r\n")
    return ("\ufeff" if choose([False, True]) else "") + text


# -- Helm values ---------------------------------------------------------------------------


def helm_document(choose: Choose[Any]) -> tuple[str, str]:
    """(a values file, the text of its old bootstrap or misspelled entry: the managed lines)."""
    s = choose([2, 4])
    i = " " * s
    dash = choose(["", i])
    unrelated = [
        f"global:\n{i}imageRegistry: quay.io  # mirror\n{i}pullSecrets:\n{i}{dash}- name: x\n",
        "# a comment line, with a colon: and a 'quote'\n",
        f"kafka:\n{i}config: |\n{i}{i}a=1\n\n{i}{i}b=2\n\n{i}enabled: true\n",
        "elasticsearch: {replicas: 3, heap: '3g'}\n",
        "'quoted key': \"value with # hash\"\n",
        "nothing:\n",
        "\n",
        f"defaults: &defaults\n{i}x: 1\ncopy: *defaults\n",
        f"list:\n{dash}- a\n{dash}- b: 1\n{dash}  c: 2\n",
    ]
    sections = some(choose, unrelated, choose([0, 1, 2, 3, 4]))
    stackstate, managed = _stackstate(choose, i, dash)
    sections.insert(choose(range(len(sections) + 1)), stackstate)
    return "".join(sections), managed


def _stackstate(choose: Choose[Any], i: str, dash: str) -> tuple[str, str]:
    shape = choose(["none", "bare", "auth", "bootstrap", "misspelled", "null", "service-empty"])
    if shape == "none":
        return "", ""
    head = (
        f"stackstate:\n{i}baseUrl: https://x.example.com\n" if choose([0, 1]) else "stackstate:\n"
    )
    tail = choose(["", f"{i}# about components\n{i}components: {{a: 1}}\n"])
    if shape == "bare":
        return head + tail, ""
    if shape == "null":  # a written null is replaced, with the parent's key line
        value = choose(["", "~", "null", "{}"])
        line = f"{i}authentication: {value}\n" if value else f"{i}authentication:\n"
        return head + line + tail, line if value else ""
    a = i * 2
    before = choose(["", f"{a}adminPassword: 'x'\n", f"{a}ldap:\n{a}{i}host: ldap\n"])
    after = choose(["", f"{a}sessionLifetime: 7d  # a week\n", f"{a}roles:\n{a}{i}admin: [x]\n"])
    middle, managed = "", ""
    b = a + i
    if shape == "bootstrap":
        managed = (
            f"{b}bootstrap:\n"
            + choose(["", f"{b}{i}# rotate me\n"])
            + f"{b}{i}token: old-token-{choose(['1', '2'])}\n"
            + f"{b}{i}roles:\n{b}{i}{dash}- stackstate-guest\n"
            + choose(["", f"{b}{i}ttl: 1h\n", f"{b}{i}dedicatedSubject: someone\n"])
        )
        middle = f"{a}serviceToken:\n" + choose(["", f"{b}# the CI token\n"]) + managed
    elif shape == "misspelled":
        managed = f"{a}servicetoken:\n{b}bootstrap:\n{b}{i}token: <token>\n"
        middle = managed
    elif shape == "service-empty":
        middle = f"{a}serviceToken:\n"
    return head + f"{i}authentication:\n" + before + middle + after + tail, managed


def _bootstrap(text: str) -> Any:
    data = helm_yaml.load(text.removeprefix("\ufeff")).data
    for key in paths.HELM_BOOTSTRAP_PATH:
        data = data[key]
    return data


@PROPERTY_SETTINGS
@given(st.data(), SPECS)
def test_helm_outside_the_bootstrap_block_nothing_changes(
    tmp_path: Path, data: st.DataObject, spec: TokenSpec
) -> None:
    def choose(values: Sequence[Any]) -> Any:
        return data.draw(st.sampled_from(values))

    text, managed = helm_document(choose)
    original = finish(text, choose)
    path = tmp_path / "values.yaml"
    path.write_bytes(original.encode("utf-8"))
    result = apply.apply(spec, path, "helm")
    assert result.old_text == original
    assert outside(original, result.old_ranges) == outside(result.new_text, result.new_ranges)
    removed = "".join(original[a:b] for a, b in result.old_ranges).replace("\r\n", "\n")
    assert removed.rstrip("\n") == managed.rstrip("\n")
    assert _bootstrap(result.new_text) == spec.bootstrap()
    path.write_bytes(result.new_text.encode("utf-8"))
    assert not apply.apply(spec, path, "helm").changed


# -- HOCON -----------------------------------------------------------------------------------


def hocon_document(choose: Choose[Any]) -> tuple[str, str, list[str] | None]:
    """(a file, its path form, the providers it enables; None when it sets none)."""
    unrelated = [
        "stackstate.web.port = 7070\n",
        "# comment: with = and { }\n",
        '// another comment\nfoo { bar = [1, 2], baz: "q" }\n',
        'multi = """line one\nline two"""\n',
        "stackstate.authorization.adminGroups = [ops]\n",
        "\n",
    ]
    pool = ["stackstateAuthServer", "ldapAuthServer", "oidcAuthServer", "keycloakAuthServer"]
    providers: list[str] | None = choose(
        [None, [choose(pool)], [choose(pool), "serviceTokenAuthServer"], pool[1:3]]
    )
    as_string = providers is not None and len(providers) == 1 and choose([False, True])
    if providers is None:
        types = ""
    elif as_string:
        types = f'authServerType = "{providers[0]}"'
    else:
        types = f"authServerType = [{', '.join(providers)}]"
    old = choose(
        [
            "",
            'serviceTokenAuthServer.bootstrap { token = "old", dedicatedSubject = "x", ttl = 1h }',
            "serviceTokenAuthServer { bootstrap { token = ${?OLD}, roles = [a] } }",
        ]
    )
    style = choose(["nested", "flat", "short"])
    if style == "flat":
        prefix = "stackstate.api.authentication.authServer."
        auth = "".join(f"{prefix}{line}\n" for line in (types, old) if line)
        auth += f'{prefix}stackstateAuthServer.defaultPassword = "x"\n'
        form = "stackstate.api.authentication.authServer"
    else:
        body = "".join(f"      {line}\n" for line in (types, old) if line)
        inner = f"  authentication {{\n    enabled = true\n    authServer {{\n{body}    }}\n  }}\n"
        if style == "nested":
            auth = "stackstate {\n  api {\n" + inner.replace("\n", "\n  ").rstrip(" ") + "  }\n}\n"
            form = "stackstate.api.authentication.authServer"
        else:
            auth = inner.replace("\n  ", "\n")[2:]
            form = "authentication.authServer"
    sections = some(choose, unrelated, choose([0, 1, 2, 3]))
    sections.insert(choose(range(len(sections) + 1)), auth)
    text = "".join(sections)
    if style != "short" and choose([False, False, True]):
        text = "{\n" + text + "}\n"
    return text, form, providers


def providers_after(providers: list[str] | None, spec: TokenSpec) -> list[str]:
    if providers is None:
        return [*spec.login_providers, "serviceTokenAuthServer"]
    if "serviceTokenAuthServer" in providers:
        return providers
    return [*providers, "serviceTokenAuthServer"]


def _at(text: str, form: str) -> Any:
    value: Any = hocon.merge(hocon.parse(text.removeprefix("\ufeff"))).to_plain()
    for key in form.split("."):
        value = value[key]
    return value


@PROPERTY_SETTINGS
@given(st.data(), SPECS, SPECS)
def test_hocon_outside_the_managed_block_nothing_changes(
    tmp_path: Path, data: st.DataObject, spec: TokenSpec, other: TokenSpec
) -> None:
    def choose(values: Sequence[Any]) -> Any:
        return data.draw(st.sampled_from(values))

    text, form, providers = hocon_document(choose)
    original = finish(text, choose)
    path = tmp_path / "application_stackstate.conf"
    path.write_bytes(original.encode("utf-8"))
    result = apply.apply(spec, path, "hocon")
    ((start, end),) = result.old_ranges
    ((new_start, new_end),) = result.new_ranges
    assert start == end == new_start
    block = result.new_text[new_start:new_end]
    assert result.new_text == original[:start] + block + original[start:]
    lines = block.strip("\r\n").splitlines()
    assert lines[0] == hocon_edit.BEGIN
    assert lines[-1] == hocon_edit.END
    auth_server = _at(result.new_text, form)
    assert auth_server["serviceTokenAuthServer"]["bootstrap"] == spec.bootstrap()
    assert auth_server["authServerType"] == providers_after(providers, spec)
    path.write_bytes(result.new_text.encode("utf-8"))
    assert not apply.apply(spec, path, "hocon").changed
    # another spec replaces the block, and only the block
    replaced = apply.apply(other, path, "hocon")
    if replaced.changed:
        ((a, _),) = replaced.old_ranges
        assert replaced.new_text[: replaced.new_ranges[0][0]] == result.new_text[:a]
        assert outside(result.new_text, replaced.old_ranges) == outside(
            replaced.new_text, replaced.new_ranges
        )
        assert _at(replaced.new_text, form)["serviceTokenAuthServer"]["bootstrap"] == (
            other.bootstrap()
        )


@pytest.mark.oracle
def test_lightbend_agrees_on_many_generated_files(
    tmp_path: Path, lightbend: hocon_oracle.Lightbend
) -> None:
    rng = random.Random(20240501)
    spec = TokenSpec("Zq3xV8pL2mN7rT4wY9bK6cF1hJ5sD0gA", ("stackstate-power-user",), "48h")
    requests, expected = [], []
    path = tmp_path / "application_stackstate.conf"
    for _ in range(300):
        text, form, providers = hocon_document(rng.choice)
        original = finish(text, rng.choice)
        path.write_bytes(original.encode("utf-8"))
        new = apply.apply(spec, path, "hocon").new_text.removeprefix("\ufeff")
        bootstrap = f"{form}.serviceTokenAuthServer.bootstrap"
        queries = [
            ("string", f"{bootstrap}.token"),
            ("string_list", f"{bootstrap}.roles"),
            ("duration", f"{bootstrap}.ttl"),
            ("string_list", f"{form}.authServerType"),
            ("value", bootstrap),
        ]
        requests.append((new, queries))
        expected.append(providers_after(providers, spec))
    for result, providers in zip(lightbend.query(requests), expected, strict=True):
        assert result.ok, result.error
        token, roles, ttl, types, bootstrap = (a.value for a in result.answers)
        assert token == spec.token
        assert roles == list(spec.roles)
        assert ttl == 48 * 3600 * 10**9
        assert types == providers
        assert bootstrap == spec.bootstrap()


# -- lookalike keys (issue #13, row 14) ------------------------------------------------------


def _lookalike(name: str, edit: int, at: int, char: str) -> str:
    at %= len(name) + 1
    if edit == 0:
        return name[:at] + char + name[at:]  # insert
    if edit == 1:
        return name[:at] + name[at + 1 :]  # delete
    if edit == 2:
        return name[:at] + char + name[at + 1 :]  # replace
    return name.swapcase() if edit == 3 else name[:at] + "_" + name[at:]  # case, separator


@PROPERTY_SETTINGS
@given(
    spec=SPECS,
    depth=st.sampled_from([2, 3]),
    edit=st.integers(0, 4),
    at=st.integers(0, 20),
    char=st.sampled_from("s2xTb_-"),
)
def test_apply_never_drops_a_block_it_does_not_own(
    tmp_path: Path, spec: TokenSpec, depth: int, edit: int, at: int, char: str
) -> None:
    """Generator: a sibling key one edit away from ``serviceToken`` or ``bootstrap``, holding
    content of its own.  Only the same name in other case or with separators is replaced;
    any other block -- and what it holds -- survives the edit."""
    name = paths.HELM_BOOTSTRAP_PATH[depth]
    key = _lookalike(name, edit, at, char)
    from configgen.rules.keys import spelled_as

    if key == name or not key or key in ("authentication", "bootstrap", "serviceToken"):
        return
    lines = ["stackstate:", "  authentication:"]
    if depth == 3:
        lines.append("    serviceToken:")
    pad = " " * (2 * depth)
    lines += [f"{pad}{key}:", f"{pad}  keepme: kept-value-42", "other: 1", ""]
    path = tmp_path / "v.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        result = apply.apply(spec, path, "helm")
    except apply.ApplyError:
        return  # refused: nothing is lost either
    if spelled_as(key, name):
        assert "kept-value-42" not in result.new_text
    else:
        assert f"{key}:" in result.new_text
        assert "kept-value-42" in result.new_text
