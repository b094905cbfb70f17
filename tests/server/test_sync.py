"""``configgen service-token sync``: drift detection (``--check``), creation, ``--replace``,
``--prune``, token files; and the planner's properties for any server state."""

from __future__ import annotations

import datetime as dt
import json
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from configgen.cli import Exit
from configgen.server import sync, tokens
from configgen.server.declared import Declaration, DeclaredToken
from testing.contract_server import ContractServer
from testing.server_helpers import AUTH_TOKEN, assert_secret_free, output, run

JUNE_2027 = 1814313600000  # 2027-06-30T00:00:00Z
FILE = """\
serviceTokens:
  - name: ci-pipeline
    roles: [stackstate-k8s-troubleshooter]
    expiration: 2027-06-30
  - name: rancher-extension
    roles: [stackstate-guest]
"""


def days_from_now(days: float) -> int:
    return tokens.to_millis(dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=days))


@pytest.fixture
def declared_file(tmp_path: Path) -> Path:
    path = tmp_path / "tokens.yaml"
    path.write_text(FILE)
    return path


def in_sync(api: ContractServer) -> None:
    api.add_token("ci-pipeline", ["stackstate-k8s-troubleshooter"], JUNE_2027)
    api.add_token("rancher-extension", ["stackstate-guest"])


# --check


def test_check_in_sync(api: ContractServer, declared_file: Path) -> None:
    in_sync(api)
    result = run(api, "sync", declared_file, "--check")
    assert result.exit_code == Exit.OK, output(result)
    assert result.stdout == f"{declared_file}: 2 declared, in sync\n"
    assert [r.method for r in api.requests] == ["GET"]


def test_check_reports_every_kind_of_drift(api: ContractServer, tmp_path: Path) -> None:
    path = tmp_path / "tokens.yaml"
    path.write_text(
        "serviceTokens:\n"
        "  - {name: missing, roles: [a]}\n"
        "  - {name: roles, roles: [a, b]}\n"
        "  - {name: date, roles: [a], expiration: 2027-06-30}\n"
        "  - {name: soon, roles: [a], expiration: "
        f"{tokens.date_text(days_from_now(3))}}}\n"
        "  - {name: gone, roles: [a], expiration: 2020-01-01}\n"
        "  - {name: twins, roles: [a]}\n"
        "  - {name: fine, roles: [b, a]}\n"
    )
    api.add_token("roles", ["a"])
    api.add_token("date", ["a"], JUNE_2027 + 86_400_000)
    api.add_token("soon", ["a"], tokens.expiry_from_date(tokens.date_text(days_from_now(3))))
    api.add_token("gone", ["a"], tokens.expiry_from_date("2020-01-01"))
    api.add_token("twins", ["a"])
    api.add_token("twins", ["a"])
    api.add_token("fine", ["a", "b"])
    api.add_token("stray", ["admin"])
    result = run(api, "sync", path, "--check")
    assert result.exit_code == Exit.INVALID_INPUT
    lines = result.stdout.splitlines()
    kinds = [line.split(": ")[:2] for line in lines[:-1]]
    assert kinds == [
        ["missing", "missing"],
        ["roles", "differs"],
        ["date", "differs"],
        ["soon", "expiring"],
        ["gone", "expired"],
        ["twins", "duplicate"],
        ["stray", "undeclared"],
    ]
    assert "roles differ: the server has [a], the file declares [a, b]" in lines[1]
    assert "(sync --replace re-creates it)" in lines[1]
    assert "expiration differs: the server has 2027-07-01, the file declares 2027-06-30" in lines[2]
    assert "within 7 days" in lines[3]
    assert f"(change {path})" in lines[4]
    assert lines[6].endswith("[not drift without --prune]")
    assert lines[-1] == f"{path}: 7 declared, drift (6)"
    assert [r.method for r in api.requests] == ["GET"]  # --check changes nothing


def test_check_prune_counts_undeclared_tokens(api: ContractServer, declared_file: Path) -> None:
    in_sync(api)
    api.add_token("stray", ["admin"])
    assert run(api, "sync", declared_file, "--check").exit_code == Exit.OK
    result = run(api, "sync", declared_file, "--check", "--prune")
    assert result.exit_code == Exit.INVALID_INPUT
    assert "stray: undeclared: on the server" in result.stdout
    assert "(sync --prune deletes it)" in result.stdout


def test_check_warn_before(api: ContractServer, tmp_path: Path) -> None:
    date = tokens.date_text(days_from_now(20))
    path = tmp_path / "t.yaml"
    path.write_text(f"serviceTokens:\n  - {{name: a, roles: [r], expiration: {date}}}\n")
    api.add_token("a", ["r"], tokens.expiry_from_date(date))
    assert run(api, "sync", path, "--check").exit_code == Exit.OK
    result = run(api, "sync", path, "--check", "--warn-before", "30d")
    assert result.exit_code == Exit.INVALID_INPUT
    assert "within 30 days" in result.stdout
    result = run(api, "sync", path, "--check", "--warn-before", "36h")
    assert result.exit_code == Exit.OK


def test_check_json(api: ContractServer, declared_file: Path) -> None:
    api.add_token("ci-pipeline", ["stackstate-k8s-troubleshooter"], JUNE_2027)
    result = run(api, "sync", declared_file, "--check", "--format", "json")
    assert result.exit_code == Exit.INVALID_INPUT
    document = json.loads(result.stdout)
    assert document == {
        "file": str(declared_file),
        "inSync": False,
        "declared": 2,
        "drift": [
            {
                "name": "rancher-extension",
                "kind": "missing",
                "message": "declared, but not on the server",
                "fix": "sync",
                "counts": True,
            }
        ],
        "actions": [{"action": "create", "name": "rancher-extension", "deleteIds": []}],
    }


def test_declared_file_from_stdin(api: ContractServer) -> None:
    in_sync(api)
    result = run(api, "sync", "-", "--check", stdin=FILE)
    assert result.exit_code == Exit.OK
    assert result.stdout == "<stdin>: 2 declared, in sync\n"


def test_invalid_declared_file(api: ContractServer, tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("serviceTokens:\n  - name: a\n    role: [r]\n")
    result = run(api, "sync", path, "--check")
    assert result.exit_code == Exit.INVALID_INPUT
    assert result.stderr.splitlines() == [
        f"{path}:2:5: error: serviceTokens[0]: missing required key 'roles' [service-tokens]",
        f"{path}:3:5: error: unknown key 'role' (did you mean 'roles'?) [service-tokens]",
        "configgen: nothing was changed",
    ]
    assert api.requests == []


def test_stdin_read_once(api: ContractServer) -> None:
    result = run(api, "sync", "-", "--check", "--token-file", "-", stdin=FILE)
    assert result.exit_code == Exit.USAGE
    assert "only one input can be read from stdin" in result.stderr


def test_usage_errors(api: ContractServer, declared_file: Path, tmp_path: Path) -> None:
    result = run(api, "sync", declared_file, "--check", "--write-tokens", tmp_path)
    assert result.exit_code == Exit.USAGE
    result = run(api, "sync", declared_file, "--warn-before", "a week")
    assert result.exit_code == Exit.USAGE
    assert "--warn-before" in result.stderr


# Changing the server


def test_sync_creates_missing_tokens_into_files(
    api: ContractServer, declared_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "secrets"
    result = run(api, "sync", declared_file, "--write-tokens", out)
    assert result.exit_code == Exit.OK, output(result)
    assert result.stdout == ""
    files = sorted(p.name for p in out.iterdir())
    assert files == ["ci-pipeline", "rancher-extension"]
    values = [(out / name).read_text().strip() for name in files]
    for name in files:
        assert stat.S_IMODE((out / name).stat().st_mode) == 0o600
    assert f"created ci-pipeline; its value is in {out / 'ci-pipeline'} (mode 0600)" in (
        result.stderr
    )
    assert_secret_free(result, [*values, AUTH_TOKEN])
    created = {t["name"]: t for t in api.tokens.values()}
    assert created["ci-pipeline"]["expiration"] == JUNE_2027
    assert "expiration" not in created["rancher-extension"]
    # The new tokens work, and a second run finds nothing to do.
    check = run(api, "check", token=values[0])
    assert "roles: stackstate-k8s-troubleshooter" in check.stdout
    again = run(api, "sync", declared_file, "--write-tokens", out)
    assert again.exit_code == Exit.OK
    assert again.stderr == f"{declared_file}: in sync, nothing to do\n"


def test_sync_prints_new_tokens_without_a_directory(
    api: ContractServer, declared_file: Path
) -> None:
    result = run(api, "sync", declared_file)
    assert result.exit_code == Exit.OK
    lines = result.stdout.splitlines()
    assert [line.split("\t")[0] for line in lines] == ["ci-pipeline", "rancher-extension"]
    assert all(line.split("\t")[1].startswith("svctok-") for line in lines)
    assert "warning: new tokens are printed once on stdout" in result.stderr


def test_sync_json_holds_the_printed_tokens(api: ContractServer, declared_file: Path) -> None:
    api.add_token("ci-pipeline", ["stackstate-k8s-troubleshooter"], JUNE_2027)
    result = run(api, "sync", declared_file, "--format", "json")
    document = json.loads(result.stdout)
    assert document["inSync"] is True
    (done,) = document["done"]
    assert done["name"] == "rancher-extension"
    assert done["token"].startswith("svctok-")
    assert done["file"] is None


def test_differences_need_replace(api: ContractServer, declared_file: Path, tmp_path: Path) -> None:
    old = api.add_token("ci-pipeline", ["stackstate-guest"], JUNE_2027)
    api.add_token("rancher-extension", ["stackstate-guest"])
    out = tmp_path / "out"
    result = run(api, "sync", declared_file, "--write-tokens", out)
    assert result.exit_code == Exit.INVALID_INPUT
    assert "ci-pipeline: differs: roles differ" in result.stderr
    assert "1 left as they are (see: --replace)" in result.stderr
    assert old in api.tokens
    result = run(api, "sync", declared_file, "--replace", "--write-tokens", out)
    assert result.exit_code == Exit.OK, output(result)
    assert f"re-created ci-pipeline (old id {old} deleted)" in result.stderr
    assert old not in api.tokens
    (new,) = [t for t in api.tokens.values() if t["name"] == "ci-pipeline"]
    assert new["roles"] == ["stackstate-k8s-troubleshooter"]
    methods = [(r.method, r.target.rsplit("/", 1)[-1]) for r in api.requests[-3:]]
    assert methods == [("GET", "tokens"), ("POST", "tokens"), ("DELETE", str(old))]


def test_replace_overwrites_the_old_token_file(
    api: ContractServer, declared_file: Path, tmp_path: Path
) -> None:
    api.add_token("ci-pipeline", ["other"], JUNE_2027)
    api.add_token("rancher-extension", ["stackstate-guest"])
    out = tmp_path / "out"
    out.mkdir()
    (out / "ci-pipeline").write_text("old value\n")
    result = run(api, "sync", declared_file, "--replace", "--write-tokens", out)
    assert result.exit_code == Exit.OK
    assert (out / "ci-pipeline").read_text().startswith("svctok-")


def test_prune_deletes_undeclared_tokens_last(api: ContractServer, declared_file: Path) -> None:
    stray = api.add_token("stray", ["admin"])
    result = run(api, "sync", declared_file, "--prune")
    assert result.exit_code == Exit.OK, output(result)
    assert f"deleted undeclared stray (id {stray})" in result.stderr
    assert [r.method for r in api.requests] == ["GET", "POST", "POST", "DELETE"]
    assert sorted(t["name"] for t in api.tokens.values()) == ["ci-pipeline", "rancher-extension"]


def test_stale_token_file_stops_the_run_before_any_change(
    api: ContractServer, declared_file: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "rancher-extension").write_text("stale\n")
    result = run(api, "sync", declared_file, "--write-tokens", out)
    assert result.exit_code == Exit.NOT_WRITTEN
    assert "already exists; nothing was changed" in result.stderr
    assert [r.method for r in api.requests] == ["GET"]
    assert (out / "rancher-extension").read_text() == "stale\n"


def test_interrupted_sync_keeps_what_was_created(
    api: ContractServer, declared_file: Path, tmp_path: Path
) -> None:
    api.set_fault("500", paths={"/security/tokens"}, count=None)
    api.fault = None
    out = tmp_path / "out"

    original = api.take_fault
    posts = {"count": 0}

    def second_post_fails(path: str) -> str | None:
        if path == "/security/tokens" and api.requests[-1].method == "POST":
            posts["count"] += 1
            if posts["count"] == 2:
                return "500"
        return original(path)

    api.take_fault = second_post_fails  # type: ignore[method-assign]
    result = run(api, "sync", declared_file, "--write-tokens", out, "--retries", "0")
    assert result.exit_code == Exit.SERVER
    assert f"created ci-pipeline; its value is in {out / 'ci-pipeline'}" in result.stderr
    assert "create 'rancher-extension' failed; the rest was not done" in result.stderr
    assert (out / "ci-pipeline").read_text().startswith("svctok-")
    assert_secret_free(result, [AUTH_TOKEN])


def test_invalid_expiration_is_not_created(api: ContractServer, tmp_path: Path) -> None:
    path = tmp_path / "t.yaml"
    path.write_text("serviceTokens:\n  - {name: a, roles: [r], expiration: 2020-01-01}\n")
    result = run(api, "sync", path)
    assert result.exit_code == Exit.INVALID_INPUT
    assert "a: invalid-expiration: the declared expiration 2020-01-01 is not in the future" in (
        result.stderr
    )
    assert [r.method for r in api.requests] == ["GET"]


def test_sync_refused(api: ContractServer, declared_file: Path) -> None:
    result = run(api, "sync", declared_file, "--check", token="svctok-nobody-knows-me-000")
    assert result.exit_code == Exit.INVALID_INPUT
    assert "refused the token" in result.stderr


def test_sync_unreachable(api: ContractServer, declared_file: Path) -> None:
    api.set_fault("html")
    result = run(api, "sync", declared_file, "--check")
    assert result.exit_code == Exit.SERVER
    assert "not JSON (text/html)" in result.stderr


# The planner, for any server state


NAMES = st.sampled_from(["a", "b", "c", "d"])
ROLES = st.lists(st.sampled_from(["r1", "r2", "r3"]), min_size=1, max_size=3, unique=True)
NOW = dt.datetime(2026, 6, 1, tzinfo=dt.timezone.utc)
DATES = st.one_of(st.none(), st.dates(dt.date(2025, 1, 1), dt.date(2028, 1, 1)))


@st.composite
def declarations(draw: st.DrawFn) -> Declaration:
    names = draw(st.lists(NAMES, unique=True, max_size=4))
    return Declaration(
        "t.yaml",
        tuple(DeclaredToken(n, tuple(draw(ROLES)), draw(DATES)) for n in names),
    )


@st.composite
def server_tokens(draw: st.DrawFn) -> list[tokens.ServiceToken]:
    found = []
    for i in range(draw(st.integers(0, 6))):
        date = draw(DATES)
        expiration = tokens.expiry_from_date(date.isoformat()) if date else None
        found.append(tokens.ServiceToken(i + 1, draw(NAMES), tuple(draw(ROLES)), expiration))
    return found


def carry_out(actual: list[tokens.ServiceToken], plan: sync.Plan) -> list[tokens.ServiceToken]:
    """What the server holds after ``plan``'s actions (the API's effect, without HTTP)."""
    result = list(actual)
    next_id = 1000
    for action in plan.actions:
        if action.new is not None:
            next_id += 1
            new = action.new
            result.append(tokens.ServiceToken(next_id, new.name, new.roles, new.expiry))
        result = [t for t in result if t.id not in action.delete_ids]
    return result


@settings(max_examples=300, deadline=None, derandomize=True)
@given(declarations(), server_tokens(), st.booleans(), st.booleans())
def test_a_second_plan_finds_nothing_the_flags_could_fix(
    declaration: Declaration, actual: list[tokens.ServiceToken], replace: bool, prune: bool
) -> None:
    week = dt.timedelta(days=7)
    first = sync.plan(declaration, actual, now=NOW, warn_before=week, replace=replace, prune=prune)
    after = carry_out(actual, first)
    second = sync.plan(declaration, after, now=NOW, warn_before=week, replace=replace, prune=prune)
    assert second.actions == ()
    # What is left is exactly what the first plan left unresolved.
    assert {(d.name, d.kind) for d in second.unresolved} == {
        (d.name, d.kind) for d in first.unresolved
    }
    # --check's verdict: drift exactly when there is something to do or something unresolved.
    assert first.in_sync == (not first.actions and not first.unresolved)
    if replace and prune:  # only the file can fix what is left
        from_file = {"expired", "expiring", "invalid-expiration"}
        blocked = {d.name for d in second.unresolved if d.kind == "invalid-expiration"}
        for drift in second.unresolved:
            assert drift.kind in from_file or drift.name in blocked, drift
