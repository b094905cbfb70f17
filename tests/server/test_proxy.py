"""Proxy variables are honoured: ``http_proxy`` forwards plain requests, ``https_proxy`` tunnels
TLS with CONNECT (the proxy never sees the token), ``no_proxy`` bypasses the proxy."""

from __future__ import annotations

import http.client
import http.server
import select
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from configgen.cli import Exit
from testing.contract_server import ContractServer
from testing.server_helpers import AUTH_TOKEN, output, run


class _Proxy(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.seen: list[str] = []  # request lines
        self.tunnelled = bytearray()  # every byte that went through a CONNECT tunnel

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    server: _Proxy

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _forward(self) -> None:
        self.server.seen.append(f"{self.command} {self.path}")
        target = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        upstream = http.client.HTTPConnection(target.hostname or "", target.port, timeout=10)
        path = target.path + (f"?{target.query}" if target.query else "")
        headers = {k: v for k, v in self.headers.items() if k.lower() != "proxy-connection"}
        upstream.request(self.command, path, body=body, headers=headers)
        answer = upstream.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        upstream.close()

    do_GET = do_POST = do_DELETE = _forward

    def do_CONNECT(self) -> None:
        self.server.seen.append(f"CONNECT {self.path}")
        host, _, port = self.path.rpartition(":")
        upstream = socket.create_connection((host, int(port)), timeout=10)
        self.send_response(200, "Connection established")
        self.end_headers()
        sockets = [self.connection, upstream]
        try:
            while True:
                readable, _, _ = select.select(sockets, [], [], 10)
                if not readable:
                    return
                for sock in readable:
                    data = sock.recv(65536)
                    if not data:
                        return
                    self.server.tunnelled.extend(data)
                    (upstream if sock is self.connection else self.connection).sendall(data)
        finally:
            upstream.close()
            self.close_connection = True


@pytest.fixture
def proxy() -> Iterator[_Proxy]:
    server = _Proxy()
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def proxy_url(proxy: _Proxy) -> str:
    return f"http://127.0.0.1:{proxy.server_address[1]}"


def test_http_proxy_forwards_the_requests(api: ContractServer, proxy: _Proxy) -> None:
    result = run(api, "check", env={"http_proxy": proxy_url(proxy)})
    assert result.exit_code == Exit.OK, output(result)
    assert proxy.seen == [
        f"GET {api.url}/api/server/info",
        f"GET {api.url}/api/user/session/availableRoles",
    ]


def test_no_proxy_bypasses_it(api: ContractServer, proxy: _Proxy) -> None:
    env = {"http_proxy": proxy_url(proxy), "no_proxy": "127.0.0.1"}
    result = run(api, "check", env=env)
    assert result.exit_code == Exit.OK, output(result)
    assert proxy.seen == []


def test_https_proxy_tunnels_tls(tls_api: ContractServer, proxy: _Proxy, ca_file: Path) -> None:
    result = run(tls_api, "list", "--ca-cert", ca_file, env={"https_proxy": proxy_url(proxy)})
    assert result.exit_code == Exit.OK, output(result)
    assert proxy.seen == [f"CONNECT 127.0.0.1:{tls_api.port}"]
    assert proxy.tunnelled  # the request went through the tunnel ...
    assert AUTH_TOKEN.encode() not in proxy.tunnelled  # ... encrypted


def test_unreachable_proxy_is_exit_5(api: ContractServer) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run(api, "check", "--retries", "0", env={"http_proxy": f"http://127.0.0.1:{port}"})
    assert result.exit_code == Exit.SERVER
    assert "connection refused" in result.stderr
