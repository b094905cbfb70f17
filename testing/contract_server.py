"""A StackState API stand-in on 127.0.0.1 that holds configgen to the server's REST API contract.

Every request configgen sends is validated with ``openapi-core`` against the OpenAPI description
in ``../shared/oracles/openapi/spec`` (path under ``/api``, method, parameters, security header,
JSON body), and so is every regular answer this server gives.  A violation is recorded in
``violations`` and answered with 400, so a wrong path, header, body or field name fails the
test twice: by its exit code and by the fixture's check of ``violations`` at teardown.

The contract is bundled from the real files: the six operations configgen may call, with every
``$ref`` resolved (``openapi-core``'s resolver does not percent-decode the root's
``#/paths/%2F...`` pointers).  One deliberate tightening: request bodies may not carry fields
the contract does not name (``additionalProperties: false``), so a misspelt field fails.

Not in the contract, and so not validated: the 401 and 403 answers that the real server's
authentication layer gives on every path, and the faults tests inject on purpose (``fault``).
"""

from __future__ import annotations

import copy
import http.server
import json
import secrets
import ssl
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from testing.paths import SHARED

SPEC_DIR = SHARED / "oracles" / "openapi" / "spec"
OPERATIONS = (
    "/security/tokens",
    "/security/tokens/{serviceTokenId}",
    "/server/info",
    "/user/session/availableRoles",
    "/user/authorization/for",
)
KNOWN_PERMISSIONS = frozenset(
    {"read-settings", "manage-service-tokens", "read-traces", "update-settings", "access-explore"}
)
SERVER_INFO = {
    "version": {
        "major": 7,
        "minor": 1,
        "patch": 2,
        "diff": "",
        "commit": "abc1234",
        "isDev": False,
    },
    "deploymentMode": "SelfHosted",
    "platformVersion": "2.3.6",
    "applicationDomains": ["Observability"],
}


class ContractMissing(RuntimeError):
    """The OpenAPI files are not where the oracle README says."""


def bundled_contract(spec_dir: Path = SPEC_DIR) -> dict[str, Any]:
    """The contract of the operations configgen uses, with every ``$ref`` inlined."""
    root_file = spec_dir / "openapi.yaml"
    if not root_file.is_file():
        raise ContractMissing(f"no OpenAPI description at {root_file}")
    documents: dict[str, Any] = {}

    def document(name: str) -> Any:
        if name not in documents:
            documents[name] = yaml.safe_load((spec_dir / name).read_text("utf-8"))
        return documents[name]

    def pointer(node: Any, fragment: str) -> Any:
        for raw in fragment.split("/")[1:]:
            part = urllib.parse.unquote(raw).replace("~1", "/").replace("~0", "~")
            node = node[int(part)] if isinstance(node, list) else node[part]
        return node

    def inline(node: Any, base: str, depth: int = 0) -> Any:
        assert depth < 64, "recursive $ref in the contract"
        if isinstance(node, dict):
            if "$ref" in node:
                target, _, fragment = node["$ref"].partition("#")
                target = target or base
                return inline(pointer(document(target), fragment), target, depth + 1)
            return {k: inline(v, base, depth) for k, v in node.items()}
        if isinstance(node, list):
            return [inline(v, base, depth) for v in node]
        return node

    root = document("openapi.yaml")
    paths = {p: inline(root["paths"][p], "openapi.yaml") for p in OPERATIONS}
    for item in paths.values():
        for operation in item.values():
            content = operation.get("requestBody", {}).get("content", {})
            for media in content.values():
                media["schema"] = _closed(media["schema"])
    # A discriminator without a mapping names its schemas as #/components/schemas/NAME.
    schemas: dict[str, Any] = {}
    for name, loaded in list(documents.items()):
        for key, schema in loaded.get("components", {}).get("schemas", {}).items():
            schemas.setdefault(key, inline(schema, name))
    return {
        "openapi": root["openapi"],
        "info": root["info"],
        "security": root["security"],
        "components": {
            "securitySchemes": root["components"]["securitySchemes"],
            "schemas": schemas,
        },
        "paths": paths,
    }


def _closed(schema: dict[str, Any]) -> dict[str, Any]:
    closed = copy.deepcopy(schema)
    if closed.get("type") == "object" and "properties" in closed:
        closed.setdefault("additionalProperties", False)
    return closed


@dataclass
class Principal:
    """What a token may do on this server."""

    roles: list[str]
    permissions: set[str] = field(default_factory=set)


@dataclass
class Recorded:
    """One request as the server received it."""

    method: str
    target: str  # the request target, as sent (path and query)
    headers: dict[str, str]
    body: bytes


class ContractServer:
    """The stand-in server; start with ``start()``, stop with ``stop()``."""

    def __init__(self, contract: Any, *, tls: ssl.SSLContext | None = None, port: int = 0) -> None:
        self.contract = contract
        self.tls = tls
        self.keys: dict[str, Principal] = {}
        self.tokens: dict[int, dict[str, Any]] = {}
        self.requests: list[Recorded] = []
        self.violations: list[str] = []
        self.fault: str | None = None  # see Handler.fault_* methods
        self.fault_paths: set[str] | None = None  # None: every path
        self.fault_count: int | None = None  # None: every matching request
        self.info_needs_auth = False
        self.payload: tuple[int, Any] = (200, None)  # the answer of the "payload" fault
        self.stop_event = threading.Event()
        self._next_id = 107484341630693
        self._lock = threading.Lock()
        self.httpd = _HTTPServer(("127.0.0.1", port), _Handler)
        self.httpd.owner = self
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.02,), daemon=True)

    @property
    def port(self) -> int:
        return int(self.httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"{'https' if self.tls else 'http'}://127.0.0.1:{self.port}"

    def start(self) -> ContractServer:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.stop_event.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)

    def add_key(self, token: str, roles: list[str], permissions: set[str] | None = None) -> str:
        self.keys[token] = Principal(list(roles), set(permissions or ()))
        return token

    def add_token(
        self,
        name: str,
        roles: list[str],
        expiration: int | None = None,
        *,
        value: str | None = None,
        dedicated_subject: str | None = None,
        description: str | None = None,
    ) -> int:
        """Put a token on the server, as if created earlier; returns its id."""
        with self._lock:
            token_id = self._next_id
            self._next_id += 1
        record: dict[str, Any] = {
            "id": token_id,
            "lastUpdateTimestamp": int(time.time() * 1000),
            "name": name,
            "roles": list(roles),
        }
        if expiration is not None:
            record["expiration"] = expiration
        if dedicated_subject is not None:
            record["dedicatedSubject"] = dedicated_subject
        if description is not None:
            record["description"] = description
        self.tokens[token_id] = record
        self.keys[value or f"svctok-{secrets.token_urlsafe(24)}"] = Principal(list(roles))
        return token_id

    def set_fault(self, fault: str | None, *, paths: set[str] | None = None,
                  count: int | None = None) -> None:  # fmt: skip
        self.fault, self.fault_paths, self.fault_count = fault, paths, count

    def take_fault(self, path: str) -> str | None:
        with self._lock:
            if self.fault is None:
                return None
            if self.fault_paths is not None and path not in self.fault_paths:
                return None
            fault = self.fault
            if self.fault_count is not None:
                self.fault_count -= 1
                if self.fault_count <= 0:
                    self.fault = None
            return fault

    def new_id(self) -> int:
        with self._lock:
            self._next_id += 1
            return self._next_id

    def sent_values(self) -> Iterator[str]:
        """Every X-API-Key value configgen sent."""
        for request in self.requests:
            value = request.headers.get("x-api-key")
            if value is not None:
                yield value


class _HTTPServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    owner: ContractServer

    def get_request(self) -> tuple[Any, Any]:
        sock, address = super().get_request()
        if self.owner.tls is not None:
            # Handshake in the handler thread, so a client that never speaks TLS blocks no one.
            sock = self.owner.tls.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, address

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # TLS failures and dropped connections are what some tests provoke


class _OpenApiRequest:
    """The request as ``openapi-core`` reads it (its ``Request`` protocol)."""

    def __init__(self, host_url: str, path: str, method: str, query: str, headers: Any,
                 body: bytes, content_type: str) -> None:  # fmt: skip
        from openapi_core.datatypes import RequestParameters
        from werkzeug.datastructures import Headers, ImmutableMultiDict

        self.host_url = host_url
        self.path = path
        self.full_url_pattern = host_url + path
        self.method = method.lower()
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(urllib.parse.parse_qsl(query, keep_blank_values=True)),
            header=Headers(list(headers.items())),
            cookie=ImmutableMultiDict(),
            path={},
        )
        self.body = body or None
        self.content_type = content_type


class _OpenApiResponse:
    def __init__(self, status: int, body: bytes, content_type: str) -> None:
        from werkzeug.datastructures import Headers

        self.status_code = status
        self.data = body or None
        self.content_type = content_type
        self.headers = Headers({"Content-Type": content_type} if content_type else {})


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _HTTPServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    # One method per HTTP verb, all through ``_serve``.
    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    @property
    def owner(self) -> ContractServer:
        return self.server.owner

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        self.owner.requests.append(Recorded(self.command, self.path, headers, body))
        split = urllib.parse.urlsplit(self.path)
        if not split.path.startswith("/api/"):
            self._violation(f"{self.command} {split.path}: not under /api")
            return
        path = split.path[len("/api") :]
        fault = self.owner.take_fault(path)
        if fault is not None:
            getattr(self, "fault_" + fault.replace("-", "_"))(headers)
            return
        request = _OpenApiRequest(
            f"http://127.0.0.1:{self.owner.port}", path, self.command, split.query,
            self.headers, body, self.headers.get("Content-Type", ""),
        )  # fmt: skip
        try:
            self.owner.contract.validate_request(request)
        except Exception as err:  # every kind of validation error
            cause = f" ({err.__cause__})" if err.__cause__ else ""
            self._violation(f"{self.command} {path}: {type(err).__name__}: {err}{cause}")
            return
        status, payload = self._route(path, split.query, headers, body)
        self._answer(request, status, payload)

    def _principal(self, headers: dict[str, str]) -> Principal | None:
        return self.owner.keys.get(headers.get("x-api-key", ""))

    def _route(self, path: str, query: str, headers: dict[str, str], body: bytes
               ) -> tuple[int, Any]:  # fmt: skip
        principal = self._principal(headers)
        if path == "/server/info" and not self.owner.info_needs_auth:
            return 200, SERVER_INFO  # readiness probes poll it without credentials
        if principal is None:
            return 401, _errors("Not authenticated")
        if path == "/server/info":
            return 200, SERVER_INFO
        if path == "/user/session/availableRoles":
            return 200, {"roles": principal.roles}
        if path == "/user/authorization/for":
            permission = urllib.parse.parse_qs(query).get("permission", [""])[0]
            if permission in principal.permissions:
                return 204, None
            return (403, None) if permission in KNOWN_PERMISSIONS else (400, None)
        if path == "/security/tokens" and self.command == "GET":
            return 200, sorted(self.owner.tokens.values(), key=lambda t: t["id"])
        if path == "/security/tokens" and self.command == "POST":
            return self._create(json.loads(body))
        if path.startswith("/security/tokens/") and self.command == "DELETE":
            token_id = int(path.rsplit("/", 1)[1])
            if self.owner.tokens.pop(token_id, None) is None:
                return 500, _errors(f"no service token {token_id}")
            return 204, None
        return 500, _errors("not implemented by the test server")

    def _create(self, request: dict[str, Any]) -> tuple[int, Any]:
        expiry = request.get("expiryDate")
        if expiry is not None and expiry <= int(time.time() * 1000):
            return 400, {"_type": "ServiceTokenInvalidExpiryError",
                         "message": "Expiry date must be in the future"}  # fmt: skip
        value = f"svctok-{secrets.token_urlsafe(24)}"
        self.owner.add_token(
            request["name"], request["roles"], expiry, value=value,
            dedicated_subject=request.get("dedicatedSubject"),
        )  # fmt: skip
        answer: dict[str, Any] = {"name": request["name"], "token": value}
        if expiry is not None:
            answer["expiration"] = expiry
        return 200, answer

    def _answer(self, request: _OpenApiRequest, status: int, payload: Any) -> None:
        body = b"" if payload is None else json.dumps(payload).encode()
        content_type = "application/json" if body else ""
        if status not in (401, 403):  # the authentication layer's answers: not in the contract
            try:
                self.owner.contract.validate_response(
                    request, _OpenApiResponse(status, body, content_type)
                )
            except Exception as err:  # every kind of validation error
                self.owner.violations.append(f"answer to {request.method} {request.path}: {err}")
        self._send(status, body, content_type)

    def _violation(self, message: str) -> None:
        self.owner.violations.append(message)
        self._send(400, json.dumps(_errors("contract violation")).encode(), "application/json")

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None
              ) -> None:  # fmt: skip
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    # Faults, injected with ContractServer.set_fault(NAME).
    def fault_500(self, headers: dict[str, str]) -> None:
        # A careless server that quotes the credential it was sent.
        echoed = headers.get("x-api-key", "")
        self._send(500, json.dumps(_errors(f"boom for key {echoed}\n\x1b[31m")).encode(),
                   "application/json")  # fmt: skip

    def fault_503(self, headers: dict[str, str]) -> None:
        self._send(503, b"", "")

    def fault_malformed(self, headers: dict[str, str]) -> None:
        self._send(200, b'{"roles": ["a", ', "application/json")

    def fault_deep(self, headers: dict[str, str]) -> None:
        self._send(200, b"[" * 100_000 + b"]" * 100_000, "application/json")

    def fault_oversized(self, headers: dict[str, str]) -> None:
        item = json.dumps({"id": 1, "name": "x" * 1000, "roles": ["r"]}).encode()
        count = 5 * 1024
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            self._chunk(b"[")
            for i in range(count):
                self._chunk(item + (b"," if i < count - 1 else b"]"))
            self._chunk(b"")
        except OSError:
            pass  # the client stopped reading: that is the point

    def fault_oversized_declared(self, headers: dict[str, str]) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(64 * 1024 * 1024))
        self.end_headers()

    def _chunk(self, data: bytes) -> None:
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")

    def fault_html(self, headers: dict[str, str]) -> None:
        self._send(200, b"<html><body>Sign in</body></html>", "text/html; charset=utf-8")

    def fault_slow(self, headers: dict[str, str]) -> None:
        self.owner.stop_event.wait(5)  # longer than any test's --timeout

    def fault_drip(self, headers: dict[str, str]) -> None:
        body = json.dumps([]).encode() + b" " * 200
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            for byte in body:
                self.wfile.write(bytes([byte]))
                self.wfile.flush()
                if self.owner.stop_event.wait(0.05):
                    return
        except OSError:
            pass

    def fault_close(self, headers: dict[str, str]) -> None:
        self.close_connection = True
        self.connection.close()

    def fault_redirect(self, headers: dict[str, str]) -> None:
        self._send(302, b"", "", {"Location": "https://login.example.invalid/sso?next=/api&k=v"})

    def fault_not_http(self, headers: dict[str, str]) -> None:
        self.wfile.write(b"SSH-2.0-OpenSSH_9.6\r\n")
        self.wfile.flush()
        self.close_connection = True

    def fault_unauthenticated(self, headers: dict[str, str]) -> None:
        self._send(401, json.dumps(_errors("Not authenticated")).encode(), "application/json")

    def fault_payload(self, headers: dict[str, str]) -> None:
        status, document = self.owner.payload
        body = b"" if document is None else json.dumps(document).encode()
        self._send(status, body, "application/json" if body else "")

    def fault_bad_shape(self, headers: dict[str, str]) -> None:
        self._send(200, json.dumps([{"id": "seven", "roles": "admin"}]).encode(),
                   "application/json")  # fmt: skip


def _errors(message: str) -> dict[str, Any]:
    return {
        "_type": "ErrorsResponse",
        "trackingKey": "abc123",
        "serverTimestamp": int(time.time() * 1000),
        "errors": [{"_type": "InternalError", "message": message}],
    }
