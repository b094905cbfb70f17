"""``configgen apply`` on application_stackstate.conf: one managed block, read back by Lightbend."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from configgen.apply import hocon_edit
from configgen.apply import plan as apply
from configgen.apply.plan import ApplyError, ApplyOptions
from configgen.apply.spans import EditError
from configgen.parsing import hocon
from configgen.render.targets import TARGETS
from configgen.render.templates import render
from configgen.spec.model import TokenSpec
from testing import hocon_oracle, paths

DATA = paths.DATA / "apply" / "hocon"
TOKEN = "Zq3xV8pL2mN7rT4wY9bK6cF1hJ5sD0gA"
SPEC = TokenSpec(TOKEN, ("stackstate-power-user", "stackstate-k8s-troubleshooter"), "48h")
OTHER = TokenSpec("b" * 40, ("stackstate-guest",), "90m", "bootstrap-subject")
FULL = "stackstate.api.authentication.authServer"
SHORT = "authentication.authServer"
HOURS_48 = 48 * 3600 * 10**9

# file -> (path form, the providers it enables before apply)
FILES: dict[str, tuple[str, list[str]]] = {
    "nested-string.conf": (FULL, ["stackstateAuthServer"]),
    "nested-list.conf": (FULL, ["ldapAuthServer", "oidcAuthServer"]),
    "flat-list.conf": (
        FULL,
        ["keycloakAuthServer", "serviceTokenAuthServer", "k8sServiceAccountAuthServer"],
    ),
    "flat-string.conf": (FULL, ["ldapAuthServer"]),
    "short-form.conf": (SHORT, ["stackstateAuthServer"]),
    "braced-root.conf": (FULL, ["stackstateAuthServer"]),
}
TRANSFORMS: dict[str, Callable[[str], str]] = {
    "as-is": lambda t: t,
    "crlf": lambda t: t.replace("\n", "\r\n"),
    "bom": lambda t: "\ufeff" + t,
    "no-final-newline": lambda t: t.rstrip("\n"),
    "crlf+bom+no-final-newline": lambda t: "\ufeff" + t.rstrip("\n").replace("\n", "\r\n"),
}


def providers_after(name: str) -> list[str]:
    before = FILES[name][1]
    return before if "serviceTokenAuthServer" in before else [*before, "serviceTokenAuthServer"]


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def applied(tmp_path: Path, name: str, transform: str, spec: TokenSpec = SPEC) -> apply.ApplyResult:
    original = TRANSFORMS[transform]((DATA / name).read_text("utf-8"))
    return apply.apply(spec, write(tmp_path, name, original), "hocon")


def outside(text: str, ranges: tuple[tuple[int, int], ...]) -> str:
    kept, cursor = [], 0
    for start, end in ranges:
        kept.append(text[cursor:start])
        cursor = end
    return "".join(kept) + text[cursor:]


def managed_block(result: apply.ApplyResult) -> str:
    ((start, end),) = result.new_ranges
    return result.new_text[start:end]


def plain(text: str) -> Any:
    return hocon.merge(hocon.parse(text.removeprefix("\ufeff"))).to_plain()


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize("name", FILES)
def test_one_managed_block_is_added_and_nothing_else_changes(
    tmp_path: Path, name: str, transform: str
) -> None:
    result = applied(tmp_path, name, transform)
    old, new = result.old_text, result.new_text
    assert old is not None
    ((start, end),) = result.old_ranges
    assert start == end  # nothing of the file is replaced: the block is inserted
    ((new_start, new_end),) = result.new_ranges
    assert new[:new_start] + new[new_end:] == old
    block = new[new_start:new_end].strip("\r\n")
    assert block.startswith(hocon_edit.BEGIN)
    assert block.endswith(hocon_edit.END)
    form = FILES[name][0]
    assert f"\n{form}.serviceTokenAuthServer.bootstrap {{" in block.replace("\r\n", "\n")
    assert new.startswith("\ufeff") == old.startswith("\ufeff")
    assert new.endswith("\n") == old.endswith("\n")
    if "\r\n" in old:
        assert "\n" not in new.replace("\r\n", "")
    section = ("authentication",) if form == SHORT else ("stackstate", "api", "authentication")
    data = plain(new)
    for key in section:
        data = data[key]
    auth_server = data["authServer"]
    assert auth_server["serviceTokenAuthServer"]["bootstrap"] == SPEC.bootstrap()
    assert auth_server["authServerType"] == providers_after(name)


@pytest.mark.parametrize("transform", TRANSFORMS)
@pytest.mark.parametrize("name", FILES)
def test_applying_twice_changes_nothing_the_second_time(
    tmp_path: Path, name: str, transform: str
) -> None:
    first = applied(tmp_path, name, transform)
    path = tmp_path / name
    path.write_bytes(first.new_text.encode("utf-8"))
    second = apply.apply(SPEC, path, "hocon")
    assert not second.changed
    assert second.new_text == first.new_text


def test_a_new_spec_replaces_the_block_in_place(tmp_path: Path) -> None:
    first = applied(tmp_path, "flat-list.conf", "crlf")
    path = write(tmp_path, "flat-list.conf", first.new_text)
    second = apply.apply(OTHER, path, "hocon")
    assert second.old_text == first.new_text
    assert second.new_text.count(hocon_edit.BEGIN) == 1
    assert TOKEN not in second.new_text
    ((start, end),) = second.old_ranges
    assert second.old_text[start:end] == managed_block(first)
    assert second.new_text[: second.new_ranges[0][0]] == first.new_text[:start]
    assert 'dedicatedSubject = "bootstrap-subject"' in second.new_text
    assert second.notes[0].startswith("replaced the configgen managed block")


def test_a_block_followed_by_an_override_moves_to_the_end(tmp_path: Path) -> None:
    first = applied(tmp_path, "nested-string.conf", "as-is")
    later = f'{FULL}.authServerType = ["oidcAuthServer"]\nstackstate.web.port = 8080\n'
    path = write(tmp_path, "x.conf", first.new_text + later)
    result = apply.apply(SPEC, path, "hocon")
    assert result.new_text.endswith(hocon_edit.END + "\n")
    assert result.new_text.count(hocon_edit.BEGIN) == 1
    assert plain(result.new_text)["stackstate"]["api"]["authentication"]["authServer"][
        "authServerType"
    ] == ["oidcAuthServer", "serviceTokenAuthServer"]
    old = result.old_text or ""
    removed = [old[a:b] for a, b in result.old_ranges]
    added = [result.new_text[a:b] for a, b in result.new_ranges]
    assert removed == [managed_block(first), ""]
    assert added[0] == ""
    assert added[1].startswith(hocon_edit.BEGIN)
    assert outside(old, result.old_ranges) == outside(result.new_text, result.new_ranges)


def test_an_existing_bootstrap_block_is_cut_off_not_merged(tmp_path: Path) -> None:
    result = applied(tmp_path, "short-form.conf", "as-is")
    block = managed_block(result)
    assert f"{SHORT}.serviceTokenAuthServer.bootstrap = null" in block
    bootstrap = plain(result.new_text)["authentication"]["authServer"]["serviceTokenAuthServer"]
    assert bootstrap == {"bootstrap": SPEC.bootstrap()}
    assert any("dedicatedSubject" in note for note in result.notes)


def test_files_without_a_bootstrap_block_get_no_null_line(tmp_path: Path) -> None:
    result = applied(tmp_path, "nested-list.conf", "as-is")
    assert "= null" not in managed_block(result)


def test_markers_that_do_not_pair_up_are_refused(tmp_path: Path) -> None:
    text = (DATA / "flat-string.conf").read_text() + hocon_edit.BEGIN + "\na = 1\n"
    with pytest.raises(ApplyError, match="markers do not pair up") as caught:
        apply.apply(SPEC, write(tmp_path, "x.conf", text), "hocon")
    assert caught.value.line == 4


@pytest.mark.parametrize(
    ("name", "location", "message"),
    [
        ("substitution.conf", ":1:42", "set through a substitution"),
        ("syntax-error.conf", ":3:25", "two commas in a row"),
    ],
)
def test_files_that_cannot_be_read_or_edited_are_refused(
    name: str, location: str, message: str
) -> None:
    path = DATA / name
    with pytest.raises(ApplyError) as caught:
        apply.apply(SPEC, path, "hocon")
    assert caught.value.location == f"{path}{location}"
    assert message in caught.value.message


@pytest.mark.parametrize(
    "text",
    [
        "{ a = 1 }\n",
        f"{FULL}.authServerType = 5\n",
        f"{FULL}.serviceTokenAuthServer = ${{base}}\n",
    ],
)
def test_shapes_configgen_cannot_extend_are_refused(tmp_path: Path, text: str) -> None:
    with pytest.raises(ApplyError) as caught:
        apply.apply(SPEC, write(tmp_path, "x.conf", text), "hocon")
    assert caught.value.line > 0


def test_missing_authserver_type_uses_the_spec_providers(tmp_path: Path) -> None:
    spec = TokenSpec(TOKEN, ("stackstate-admin",), "24h", None, ("ldapAuthServer",))
    result = apply.apply(spec, write(tmp_path, "x.conf", "stackstate.web.port = 7070\n"), "hocon")
    assert f'{FULL}.authServerType = ["ldapAuthServer", "serviceTokenAuthServer"]' in (
        result.new_text
    )


def test_a_file_that_already_says_it_all_is_left_alone(tmp_path: Path) -> None:
    for form in ("full", "short"):
        text = render(SPEC, TARGETS["linux"], hocon_form=form).text
        result = apply.apply(SPEC, write(tmp_path, "x.conf", text), "hocon")
        assert not result.changed, form


def test_missing_file_gets_what_render_writes(tmp_path: Path) -> None:
    path = tmp_path / "application_stackstate.conf"
    result = apply.apply(SPEC, path, "hocon", ApplyOptions(hocon_form="short"))
    assert result.created
    assert result.new_text == render(SPEC, TARGETS["linux"], hocon_form="short").text


def test_diff_never_shows_a_token(tmp_path: Path) -> None:
    first = applied(tmp_path, "flat-list.conf", "as-is")
    assert TOKEN not in first.diff()
    path = write(tmp_path, "flat-list.conf", first.new_text)
    second = apply.apply(OTHER, path, "hocon")
    diff = second.diff()
    assert TOKEN not in diff
    assert OTHER.token not in diff
    assert "\n-  token = <redacted>\n" in diff
    assert "\n+  token = <redacted>\n" in diff


@pytest.mark.oracle
def test_lightbend_reads_the_spec_and_the_original_providers(
    tmp_path: Path, lightbend: hocon_oracle.Lightbend
) -> None:
    requests, expected = [], []
    for name, (form, _) in FILES.items():
        for transform in TRANSFORMS:
            for spec in (SPEC, OTHER):
                text = applied(tmp_path, name, transform, spec).new_text.removeprefix("\ufeff")
                bootstrap = f"{form}.serviceTokenAuthServer.bootstrap"
                requests.append(
                    (
                        text,
                        [
                            ("string", f"{bootstrap}.token"),
                            ("string_list", f"{bootstrap}.roles"),
                            ("duration", f"{bootstrap}.ttl"),
                            ("string_list", f"{form}.authServerType"),
                            ("value", bootstrap),
                        ],
                    )
                )
                expected.append((name, spec))
    results = lightbend.query(requests)
    for result, (name, spec) in zip(results, expected, strict=True):
        assert result.ok, (name, result.error)
        token, roles, ttl, providers, bootstrap = (answer.value for answer in result.answers)
        assert token == spec.token
        assert roles == list(spec.roles)
        assert ttl == (HOURS_48 if spec is SPEC else 90 * 60 * 10**9)
        assert providers == providers_after(name)
        assert bootstrap == spec.bootstrap(), name  # no key of an older block survives


@pytest.mark.oracle
def test_without_the_null_line_lightbend_would_merge_the_old_keys(
    tmp_path: Path, lightbend: hocon_oracle.Lightbend
) -> None:
    """Why the managed block cuts the merge: the control experiment."""
    result = applied(tmp_path, "flat-list.conf", "as-is")
    text = result.new_text
    null_line = next(line for line in text.splitlines(keepends=True) if "= null" in line)
    path = f"{FULL}.serviceTokenAuthServer.bootstrap"
    with_null, without_null = lightbend.query(
        [(text, [("value", path)]), (text.replace(null_line, ""), [("value", path)])]
    )
    assert "dedicatedSubject" not in with_null[0].value
    assert without_null[0].value["dedicatedSubject"] == "old-subject"


def test_positions_after_the_managed_block_point_into_the_file(tmp_path: Path) -> None:
    first = applied(tmp_path, "flat-string.conf", "as-is")
    text = first.new_text + "x = 1\n" + f"{FULL}.authServerType = ${{?TYPES}}\n"
    with pytest.raises(ApplyError, match="substitution") as caught:
        apply.apply(SPEC, write(tmp_path, "x.conf", text), "hocon")
    assert caught.value.line == text.count("\n")  # the last line, counted in the whole file


# -- includes (issue #13, row 2) ---------------------------------------------------------------

LDAP = 'stackstate.api.authentication.authServer.authServerType = ["ldapAuthServer"]\n'


def test_row_02_an_include_that_sets_auth_server_type_is_refused_with_its_position(
    tmp_path: Path,
) -> None:
    """configgen said 'authServerType was not set', wrote its own list and dropped the included
    ldapAuthServer: LDAP logins broke.  configgen never reads an included file, so it cannot
    know what it sets: refused at the include's position, as ${?VAR} is."""
    (tmp_path / "ldap.conf").write_text(LDAP)
    text = 'stackstate.web.port = 7070\ninclude "ldap.conf"\n'
    with pytest.raises(ApplyError, match="include") as caught:
        apply.apply(SPEC, write(tmp_path, "application_stackstate.conf", text), "hocon")
    assert caught.value.location.endswith("application_stackstate.conf:2:1")
    assert "authServerType" in caught.value.message


INCLUDE_FORMS = [
    'include "more.conf"',
    'include file("more.conf")',
    'include required(file("more.conf"))',
    'include required("more.conf")',
    'include classpath("more.conf")',
]
# where the include sits: (text before, text after, whether it may set what configgen decides)
INCLUDE_PLACES: dict[str, tuple[str, str, bool]] = {
    "root": ("", "", True),
    "stackstate": ("stackstate {\n", "}\n", True),
    "stackstate.api": ("stackstate.api {\n", "}\n", True),
    "authServer": (f"{FULL} {{\n", "}\n", True),
    "bootstrap": (f"{FULL}.serviceTokenAuthServer.bootstrap {{\n", "}\n", True),
    "short-form": ("authentication {\n", "}\n", True),
    "braced-root": ("{\n", "}\n", True),
    "after-the-managed-block": ("", "", True),
    "unrelated": ("akka.actor {\n", "}\n", False),
    "sibling": ("stackstate.web {\n", "}\n", False),
    "in-a-list": ("a = [ {\n", "} ]\n", False),
    "deeper-unrelated": ("stackstate.api.other {\n", "}\n", False),
}


@pytest.mark.parametrize("place", sorted(INCLUDE_PLACES))
@pytest.mark.parametrize("form", INCLUDE_FORMS)
def test_includes_are_refused_exactly_where_they_may_set_what_configgen_decides(
    tmp_path: Path, place: str, form: str
) -> None:
    before, after, refused = INCLUDE_PLACES[place]
    base = (DATA / "nested-list.conf").read_text()
    if place == "after-the-managed-block":
        base = applied(tmp_path, "nested-list.conf", "as-is").new_text
    if place == "braced-root":
        text = f"{{\n{base}{form}\n}}\n"
    else:
        text = base + before + form + "\n" + after
    path = write(tmp_path, "x.conf", text)
    if not refused:
        apply.apply(SPEC, path, "hocon")
        return
    with pytest.raises(ApplyError, match="include") as caught:
        apply.apply(SPEC, path, "hocon")
    line = next(i for i, row in enumerate(text.splitlines(), 1) if row.startswith(form))
    assert caught.value.line == line


_SCOPE_KEYS = ["stackstate", "api", "authentication", "authServer", "web", "akka",
               "serviceTokenAuthServer", "bootstrap", "x"]  # fmt: skip


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(
    scope=st.lists(st.sampled_from(_SCOPE_KEYS), max_size=6),
    form=st.sampled_from(INCLUDE_FORMS),
    dotted=st.booleans(),
)
def test_an_include_is_refused_iff_its_object_is_on_the_path_to_what_configgen_decides(
    scope: list[str], form: str, dotted: bool
) -> None:
    """Generator: an include inside an object at any path, written as a dotted path or as
    nested objects."""
    if dotted and scope:
        text = ".".join(scope) + " {\n" + form + "\n}\n"
    else:
        text = "".join(f"{key} {{\n" for key in scope) + form + "\n" + "}\n" * len(scope)
    decided = [
        section + suffix
        for section in (("stackstate", "api", "authentication"), ("authentication",))
        for suffix in (("authServer", "authServerType"),
                       ("authServer", "serviceTokenAuthServer", "bootstrap"))
    ]  # fmt: skip
    on_path = any(tuple(scope) == target[: len(scope)] for target in decided)
    if on_path:
        with pytest.raises(EditError, match="include"):
            hocon_edit.edit(text, SPEC)
    else:
        hocon_edit.edit(text, SPEC)
