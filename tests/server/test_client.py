"""The HTTP client against the contract server: headers, TLS with a private CA, and every fault
ending in a typed error with a clear message that holds no token."""

from __future__ import annotations

import pickle
import socket
import ssl
from pathlib import Path
from typing import Any

import pytest

from configgen.server import errors
from configgen.server.client import Client, Endpoint, tls_context
from configgen.server.secret import Secret, redact
from testing.contract_server import ContractServer
from testing.server_helpers import AUTH_TOKEN


def client(server: ContractServer, *, token: str = AUTH_TOKEN, **kwargs: Any) -> Client:
    endpoint_args = {k: kwargs.pop(k) for k in ("ca_data", "skip_ssl", "api_path") if k in kwargs}
    url = kwargs.pop("url", server.url)
    kwargs.setdefault("sleep", lambda seconds: None)
    return Client(Endpoint(url, **endpoint_args), Secret(token), **kwargs)


def test_token_travels_in_the_x_api_key_header_only(api: ContractServer) -> None:
    answer = client(api).get("/user/session/availableRoles")
    assert answer.status == 200
    assert answer.data == {"roles": ["stackstate-admin"]}
    (request,) = api.requests
    assert request.headers["x-api-key"] == AUTH_TOKEN
    assert "authorization" not in request.headers
    assert AUTH_TOKEN not in request.target
    assert request.headers["accept"] == "application/json"
    assert request.headers["user-agent"].startswith("configgen/")


def test_unknown_token_is_refused(api: ContractServer) -> None:
    with pytest.raises(errors.Refused, match=r"refused the token \(401 Unauthorized\)"):
        client(api, token="svctok-unknown").get("/security/tokens")


def test_api_path_is_configurable(api: ContractServer) -> None:
    with pytest.raises(errors.UnexpectedAnswer, match=r"not found \(404\)|unexpected answer"):
        client(api, api_path="/other").get("/security/tokens")
    api.violations.clear()  # the contract server recorded the wrong path, as it should


# TLS with a CA made for this test run.


def test_private_ca(tls_api: ContractServer, ca_file: Path) -> None:
    answer = client(tls_api, ca_data=ca_file.read_bytes()).get("/user/session/availableRoles")
    assert answer.status == 200


def test_private_ca_in_der_form(tls_api: ContractServer, ca_file: Path) -> None:
    der = ssl.PEM_cert_to_DER_cert(ca_file.read_text())
    assert client(tls_api, ca_data=der).get("/server/info").status == 200


def test_untrusted_certificate(tls_api: ContractServer) -> None:
    with pytest.raises(errors.TlsFailure, match=r"not trusted .*--ca-cert FILE"):
        client(tls_api).get("/server/info")
    assert tls_api.requests == []  # nothing was sent: the handshake failed first


def test_certificate_for_another_name(tls_api: ContractServer, ca: Any, tmp_path: Path) -> None:
    url = f"https://localhost:{tls_api.port}"  # the certificate names 127.0.0.1 and localhost
    assert client(tls_api, url=url, ca_data=ca.cert_pem.bytes()).get("/server/info").status == 200
    other = ca.issue_cert("stackstate.example.com")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    other.configure_cert(context)
    tls_api.tls = context
    with pytest.raises(errors.TlsFailure, match="certificate is for another name"):
        client(tls_api, ca_data=ca.cert_pem.bytes()).get("/server/info")


def test_skip_ssl(tls_api: ContractServer) -> None:
    assert client(tls_api, skip_ssl=True).get("/server/info").status == 200


def test_https_to_a_plain_http_server(api: ContractServer) -> None:
    with pytest.raises(errors.TlsFailure, match="TLS handshake failed"):
        client(api, url=api.url.replace("http://", "https://")).get("/server/info")


def test_plain_http_to_a_tls_server(tls_api: ContractServer) -> None:
    with pytest.raises(errors.ConnectionProblem):
        client(tls_api, url=tls_api.url.replace("https://", "http://")).get("/server/info")


def test_a_ca_file_that_is_no_certificate() -> None:
    with pytest.raises(errors.SetupError, match="not a PEM or DER certificate"):
        tls_context(Endpoint("https://x", ca_data=b"-----BEGIN CERTIFICATE-----\nnope\n"))
    with pytest.raises(errors.SetupError, match="not a PEM or DER certificate"):
        tls_context(Endpoint("https://x", ca_data=b"\x00\x01binary"))


# Failures: each one a typed error with a message, retried where that is safe.


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_connection_refused_is_retried_then_reported() -> None:
    slept: list[float] = []
    port = free_port()
    api = Client(Endpoint(f"http://127.0.0.1:{port}"), Secret(AUTH_TOKEN), retries=2,
                 sleep=slept.append)  # fmt: skip
    with pytest.raises(errors.Unreachable, match="connection refused"):
        api.get("/server/info")
    assert slept == [0.5, 1.0]


def test_connection_refused_then_the_server_comes_up(contract: Any) -> None:
    """A POST is retried too when the connection could not be made: nothing was sent."""
    server = ContractServer(contract)
    server.add_key(AUTH_TOKEN, ["stackstate-admin"])
    url = server.url
    port = server.port
    server.httpd.server_close()  # free the port: the first attempt is refused

    def come_up(seconds: float) -> None:
        fresh = ContractServer(contract, port=port)
        fresh.keys = server.keys
        holder.append(fresh.start())

    holder: list[ContractServer] = []
    api = Client(Endpoint(url), Secret(AUTH_TOKEN), retries=1, sleep=come_up)
    try:
        answer = api.post("/security/tokens", {"name": "n", "roles": ["r"]})
        assert answer.status == 200
        assert isinstance(answer.data["token"], str)
    finally:
        for started in holder:
            started.stop()
    assert holder[0].violations == []


def test_slow_answer_times_out_and_a_get_is_retried(api: ContractServer) -> None:
    api.set_fault("slow")
    with pytest.raises(errors.Unreachable, match=r"no answer within 0.3 s \(--timeout\)"):
        client(api, timeout=0.3, retries=1).get("/security/tokens")
    assert len(api.requests) == 2


def test_slow_answer_to_a_post_is_not_sent_again(api: ContractServer) -> None:
    api.set_fault("slow")
    with pytest.raises(errors.Unreachable, match="no answer within"):
        client(api, timeout=0.3, retries=2).post("/security/tokens", {"name": "n", "roles": []})
    assert len(api.requests) == 1  # the server may have created it: never twice


def test_answer_that_trickles_in_is_cut_off(api: ContractServer) -> None:
    api.set_fault("drip")
    with pytest.raises(errors.Unreachable, match="did not arrive within"):
        client(api, timeout=0.2, retries=0).get("/security/tokens")


def test_server_error_message_is_cleaned_and_redacted(api: ContractServer) -> None:
    api.set_fault("500")
    with pytest.raises(errors.UnexpectedAnswer) as caught:
        client(api, retries=0).get("/security/tokens")
    message = caught.value.message
    assert "server error (500 Internal Server Error): boom for key ***" in message
    assert AUTH_TOKEN not in message
    assert "\x1b" not in message
    assert "\n" not in message


def test_503_is_retried_for_a_get(api: ContractServer) -> None:
    api.set_fault("503", count=1)
    assert client(api, retries=1).get("/server/info").status == 200
    assert len(api.requests) == 2


def test_503_is_not_retried_for_a_post(api: ContractServer) -> None:
    api.set_fault("503", count=1)
    with pytest.raises(errors.UnexpectedAnswer, match="503 Service Unavailable"):
        client(api, retries=2).post("/security/tokens", {"name": "n", "roles": ["r"]})
    assert len(api.requests) == 1


@pytest.mark.parametrize(
    ("fault", "message"),
    [
        ("malformed", r"the answer is not JSON \(application/json\)"),
        ("html", r"the answer is not JSON \(text/html\): is --url the StackState server"),
        ("deep", r"the answer is not JSON"),
        ("oversized", r"the answer is larger than 4 MiB"),
        ("oversized-declared", r"the answer is larger than 4 MiB"),
        ("redirect", r"redirects \(302\) to https://login.example.invalid/sso: give that address"),
        ("close", r"closed the connection without answering"),
        ("not-http", r"the answer is not HTTP|closed the connection"),
    ],
)
def test_faults(api: ContractServer, fault: str, message: str) -> None:
    api.set_fault(fault)
    with pytest.raises(errors.ConnectionProblem, match=message) as caught:
        client(api, retries=0).get("/security/tokens")
    assert "k=v" not in caught.value.message  # a redirect's query is never shown
    assert len(api.requests) == 1  # a redirect is not followed


def test_secret_does_not_show_itself() -> None:
    secret = Secret(AUTH_TOKEN)
    for shown in (str(secret), repr(secret), f"{secret}", f"{secret!r:>40}", "{}".format(secret)):  # noqa: UP032
        assert AUTH_TOKEN not in shown
    assert secret.reveal() == AUTH_TOKEN
    with pytest.raises(TypeError):
        pickle.dumps(secret)
    assert redact(f"a {AUTH_TOKEN} b", [secret, None, Secret("")]) == "a *** b"
