"""Answers of the wrong shape, and the error paths that the contract server cannot provoke by
itself: each one a typed error with a message, never a traceback."""

from __future__ import annotations

import datetime as dt
import socket
import ssl
from pathlib import Path
from typing import Any

import pytest

from configgen.cli import Exit
from configgen.server import check, client, errors, sync, tokens
from configgen.server.declared import Declaration, DeclaredToken
from configgen.server.secret import Secret
from testing.contract_server import ContractServer
from testing.server_helpers import AUTH_TOKEN, output, run


def api_client(server: ContractServer) -> client.Client:
    return client.Client(client.Endpoint(server.url), Secret(AUTH_TOKEN), retries=0)


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"a": 1}, r"the token list does not match the API \(ServiceToken\): not a list"),
        ([3], "item 0 is not an object"),
        ([{"name": "a", "roles": "r"}], "item 0 has no list of roles"),
        ([{"name": "a", "roles": [], "id": "7"}], "item 0: id is not a whole number"),
        ([{"name": "a", "roles": [], "expiration": True}], "expiration is not a whole number"),
        ([{"name": "a", "roles": [], "description": 1}], "description is not a string"),
    ],
)
def test_token_list_of_the_wrong_shape(api: ContractServer, payload: Any, message: str) -> None:
    api.payload = (200, payload)
    api.set_fault("payload")
    with pytest.raises(errors.UnexpectedAnswer, match=message):
        tokens.list_tokens(api_client(api))


@pytest.mark.parametrize(
    ("payload", "error", "message"),
    [
        ((200, {"name": "n"}), errors.UnexpectedAnswer, "holds no token"),
        ((200, {"token": "t", "expiration": "soon"}), errors.UnexpectedAnswer, "not a number"),
        ((400, {"_type": "Other", "message": "no\nway"}), errors.Rejected,
         "refused to create 'n' \\(400 Bad Request\\): no way"),
        ((400, None), errors.Rejected, "refused to create 'n' \\(400 Bad Request\\)$"),
        ((403, {"message": "not yours"}), errors.Forbidden, "may not do this .*: not yours"),
        ((418, None), errors.UnexpectedAnswer, "unexpected answer \\(418\\)"),
    ],
)  # fmt: skip
def test_creation_answers(api: ContractServer, payload: Any, error: type, message: str) -> None:
    api.payload = payload
    api.set_fault("payload")
    with pytest.raises(error, match=message):
        tokens.create(api_client(api), tokens.NewToken("n", ("r",)))


def test_created_token_keeps_the_requested_name_when_the_answer_has_none(
    api: ContractServer,
) -> None:
    api.payload = (200, {"token": "svctok-x", "name": None})
    api.set_fault("payload")
    created = tokens.create(api_client(api), tokens.NewToken("n", ("r",)))
    assert created.name == "n"
    assert created.expiration is None


def test_server_info_shapes(api: ContractServer) -> None:
    api.payload = (200, {"version": {"major": "7", "minor": 1, "patch": 0}})
    api.set_fault("payload", paths={"/server/info"})
    with pytest.raises(errors.UnexpectedAnswer, match="ServerVersion"):
        check.server_info(api_client(api))
    api.payload = (200, {"version": {"major": 7, "minor": 1, "patch": 0, "diff": "rc1\x07"}})
    api.set_fault("payload", paths={"/server/info"})
    info = check.server_info(api_client(api))
    assert info == check.ServerInfo("7.1.0-rc1", None, None)


def test_delete_a_token_listed_without_an_id(api: ContractServer) -> None:
    api.payload = (200, [{"name": "ghost", "roles": []}])
    api.set_fault("payload", paths={"/security/tokens"})
    result = run(api, "delete", "--name", "ghost")
    assert result.exit_code == Exit.SERVER
    assert "without an id" in result.stderr


def test_list_shows_tokens_without_id_or_expiration(api: ContractServer) -> None:
    api.payload = (200, [{"name": "ghost", "roles": ["r"]}])
    api.set_fault("payload", paths={"/security/tokens"})
    result = run(api, "list")
    assert result.stdout.splitlines()[1].split() == ["ghost", "never", "r"]


# Error mapping of connection failures that need no network to provoke.


@pytest.mark.parametrize(
    ("reason", "kind", "message", "retry"),
    [
        (socket.gaierror(socket.EAI_NONAME, "x"), errors.Unreachable,
         "cannot resolve the host name 'h.example'", False),
        (socket.gaierror(socket.EAI_AGAIN, "x"), errors.Unreachable, "cannot resolve", True),
        (TimeoutError(), errors.Unreachable, "no connection within 3 s", True),
        (ConnectionResetError(), errors.Unreachable, "broke while sending", True),
        (OSError(113, "No route to host"), errors.Unreachable, "No route to host", True),
        (OSError(), errors.Unreachable, "network error", True),
        (ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER]"), errors.TlsFailure,
         "TLS handshake failed (SSLError)", False),
        ("text", errors.Unreachable, "cannot connect", False),
    ],
)  # fmt: skip
def test_connect_failures(reason: Any, kind: type, message: str, retry: bool) -> None:
    failure = client._connect_failure(reason, "https://h.example/api/x", 3)
    error = failure.error if isinstance(failure, client._Retry) else failure
    assert isinstance(failure, client._Retry) == retry
    assert isinstance(error, kind)
    assert message in error.message


class _Exploding:
    """An opener whose ``open`` raises what a broken connection raises after sending."""

    def __init__(self, error: BaseException) -> None:
        self.error = error

    def open(self, *args: Any, **kwargs: Any) -> Any:
        raise self.error


@pytest.mark.parametrize(
    ("raised", "kind", "message"),
    [
        (ssl.SSLError(1, "bad record"), errors.TlsFailure, "TLS failed"),
        (OSError(5, "I/O error"), errors.Unreachable, "I/O error"),
        (ConnectionResetError(), errors.Unreachable, "closed the connection"),
    ],
)
def test_failures_after_sending(raised: BaseException, kind: type, message: str) -> None:
    api = client.Client(client.Endpoint("http://127.0.0.1:9"), Secret(AUTH_TOKEN), retries=0)
    api._opener = _Exploding(raised)  # type: ignore[assignment]
    with pytest.raises(kind, match=message):
        api.get("/server/info")


class _Response:
    """A response whose body breaks off or stalls."""

    def __init__(self, error: BaseException | None, status: int = 200) -> None:
        self.status = status
        self.headers = {"Content-Type": "application/json"}
        self.error = error

    def read1(self, size: int) -> bytes:
        if self.error is not None:
            raise self.error
        return b""

    def close(self) -> None:
        pass


@pytest.mark.parametrize(
    ("raised", "kind", "message"),
    [
        (ConnectionResetError(), errors.UnexpectedAnswer, "broke off before its end"),
        (ssl.SSLError(1, "bad"), errors.TlsFailure, "TLS failed"),
        (TimeoutError(), errors.Unreachable, "did not arrive within"),
    ],
)
def test_body_failures(raised: BaseException, kind: type, message: str) -> None:
    api = client.Client(client.Endpoint("http://127.0.0.1:9"), Secret(AUTH_TOKEN), retries=0)
    with pytest.raises(kind, match=message):
        api._answer(_Response(raised), "http://127.0.0.1:9/api/x", deadline=1e18)


def test_error_without_a_body() -> None:
    import urllib.error

    api = client.Client(client.Endpoint("http://127.0.0.1:9"), Secret(AUTH_TOKEN))
    error = urllib.error.HTTPError("http://x", 500, "boom", {}, None)  # type: ignore[arg-type]
    assert api._answer(error, "http://x", deadline=1e18) == client.Answer(500, None)


def test_detail_takes_a_plain_message() -> None:
    api = client.Client(client.Endpoint("http://127.0.0.1:9"), Secret(AUTH_TOKEN))
    assert api._detail({"message": "  "}) == ""
    assert api._detail({"message": f"x {AUTH_TOKEN}"}) == ": x ***"
    assert api.server_text("y" * 300).endswith("...")


# sync: the paths that need a failure between creating and deleting.


def test_replace_interrupted_after_the_creation(api: ContractServer, tmp_path: Path) -> None:
    old = api.add_token("ci", ["old-role"])
    path = tmp_path / "t.yaml"
    path.write_text("serviceTokens:\n  - {name: ci, roles: [new-role]}\n")
    api.set_fault("500", paths={f"/security/tokens/{old}"})
    result = run(api, "sync", path, "--replace", "--retries", "0")
    assert result.exit_code == Exit.SERVER
    (line,) = result.stdout.splitlines()
    assert line.startswith("ci\tsvctok-")  # created before the failure: not lost
    assert "replace 'ci' failed; the rest was not done" in result.stderr
    assert "re-created ci (the old one is not deleted yet)" in result.stderr


def test_sync_token_file_write_failure(
    api: ContractServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from configgen import files

    def broken(*args: object, **kwargs: object) -> None:
        raise files.WriteError("disk full")

    monkeypatch.setattr(files, "write_new", broken)
    path = tmp_path / "t.yaml"
    path.write_text("serviceTokens:\n  - {name: ci, roles: [r]}\n")
    result = run(api, "sync", path, "--write-tokens", tmp_path / "out")
    assert result.exit_code == Exit.NOT_WRITTEN, output(result)
    assert result.stdout.startswith("ci\tsvctok-")
    assert "cannot write disk full" in result.stderr


def test_dedicated_subject_and_hour_windows() -> None:
    declaration = Declaration("t", (DeclaredToken("a", ("r",), None, "subject-a"),))
    actual = [tokens.ServiceToken(1, "a", ("r",), None, dedicated_subject="other")]
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    plan = sync.plan(declaration, actual, now=now, warn_before=dt.timedelta(hours=36))
    (drift,) = plan.drift
    assert "dedicated subject differs: the server has other" in drift.message
    soon = [tokens.ServiceToken(1, "b", ("r",), tokens.to_millis(now) + 3_600_000)]
    declared = Declaration("t", (DeclaredToken("b", ("r",), dt.date(2026, 1, 1)),))
    plan = sync.plan(declared, soon, now=now, warn_before=dt.timedelta(hours=36))
    assert any("within 36 hours" in d.message for d in plan.drift)
    one_day = sync.plan(declared, soon, now=now, warn_before=dt.timedelta(days=1))
    assert any("within 1 day:" in d.message for d in one_day.drift)


def test_file_names_and_dates() -> None:
    with pytest.raises(ValueError, match="cannot be a file name"):
        tokens.file_name("../x")
    assert tokens.date_text(None) == "never"
    assert tokens.from_millis(10**20).year == 9999
    assert tokens.find([tokens.ServiceToken(5, "a", ())], token_id=5)[0].name == "a"


def test_a_token_created_to_expire_soon_is_reported() -> None:
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    declared = Declaration("t", (DeclaredToken("c", ("r",), dt.date(2026, 1, 3)),))
    plan = sync.plan(declared, [], now=now, warn_before=dt.timedelta(days=7))
    assert [a.kind for a in plan.actions] == ["create"]
    assert [(d.kind, d.fixed) for d in plan.drift] == [("missing", True), ("expiring", False)]
    assert "the declared expiration 2026-01-03 is within 7 days" in plan.drift[1].message
