"""The HTTP client for the server's REST API, on the standard library (``urllib.request``).

Why the standard library: configgen needs five JSON calls, not a session-pooling client; it adds
no dependency to a tool that runs in pre-commit and CI images; and ``urllib`` already honours the
proxy variables (``https_proxy``, ``http_proxy``, ``no_proxy``, including CONNECT tunnels for
HTTPS).  What it does not do by itself, this module does:

- The token travels only in the ``X-API-Key`` header.  Redirects are never followed: urllib would
  copy the header to wherever a ``Location`` points.  A redirect is reported instead.
- Time is bounded: every socket operation waits at most ``timeout`` seconds, and a body that
  trickles in is cut off once ``timeout`` has passed since the request was sent.
- Size is bounded: an answer larger than ``max_bytes`` is refused before it is parsed.
- Retries: a connection that could not be made is retried (nothing reached the server, so even
  a POST is safe to send again); a GET is also retried when the connection broke or timed out
  after sending, or on 502/503/504.  Back-off doubles from ``backoff`` seconds.
- Messages never hold the token, and text from the server is cut, cleaned of control
  characters and redacted before it is shown (``server_text``).

Only ``configgen service-token`` imports this module, so ``configgen lint`` never loads
``urllib.request``, ``http.client`` or ``ssl``.
"""

from __future__ import annotations

import errno
import http.client
import json
import socket
import ssl
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from configgen import __version__
from configgen.parsing.limits import ANSWER_MAX_BYTES
from configgen.server.errors import (
    ConnectionProblem,
    Forbidden,
    Refused,
    SetupError,
    TlsFailure,
    UnexpectedAnswer,
    Unreachable,
)
from configgen.server.secret import Secret, redact

DEFAULT_TIMEOUT = 10.0
DEFAULT_RETRIES = 2
_CHUNK = 64 * 1024
_SAFE_METHODS = frozenset({"GET"})
_RETRY_STATUSES = frozenset({502, 503, 504})
_REASONS = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden",
    404: "Not Found",
    405: "Method Not Allowed",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


@dataclass(frozen=True)
class Endpoint:
    """Where the API is and how to trust it.

    ``url`` is the server's base URL (``https://observability.example.com``); requests go to
    ``url + api_path + path``.  ``ca_data`` holds extra trusted CA certificates, PEM or DER
    (added to the system's); ``skip_ssl`` turns certificate checks off.
    """

    url: str
    api_path: str = "/api"
    ca_data: bytes | None = None
    skip_ssl: bool = False

    def address(self, path: str = "") -> str:
        """The full URL of an API path (never holds a secret)."""
        api = "/" + self.api_path.strip("/") if self.api_path.strip("/") else ""
        return self.url.rstrip("/") + api + path


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: its status and its parsed JSON body (``None`` when empty)."""

    status: int
    data: Any


class _Retry(Exception):
    """An attempt failed in a way another attempt may not; ``sent``: the request left us."""

    def __init__(self, error: ConnectionProblem, *, sent: bool) -> None:
        super().__init__(error.message)
        self.error = error
        self.sent = sent


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """Never follow a redirect: the ``X-API-Key`` header would go along to the new address."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def tls_context(endpoint: Endpoint) -> ssl.SSLContext:
    """The TLS settings: the system's CAs plus ``ca_data``; none at all with ``skip_ssl``."""
    context = ssl.create_default_context()
    if endpoint.skip_ssl:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    elif endpoint.ca_data is not None:
        data = endpoint.ca_data
        try:
            # PEM is text to the ssl module, DER is bytes.
            pem = data.decode("ascii") if b"-----BEGIN" in data else None
            context.load_verify_locations(cadata=pem if pem is not None else data)
        except (ssl.SSLError, ValueError):
            raise SetupError(
                "the CA certificate is not a PEM or DER certificate: give the CA's "
                "certificate file (-----BEGIN CERTIFICATE-----)"
            ) from None
    return context


class Client:
    """Sends requests to one server with one token; see the module docstring for the rules."""

    def __init__(
        self,
        endpoint: Endpoint,
        token: Secret,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        retries: int = DEFAULT_RETRIES,
        max_bytes: int = ANSWER_MAX_BYTES,
        backoff: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.endpoint = endpoint
        self._token = token
        self.timeout = timeout
        self.retries = retries
        self.max_bytes = max_bytes
        self.backoff = backoff
        self._sleep = sleep
        self._opener = urllib.request.build_opener(
            urllib.request.ProxyHandler(),  # the proxy variables of the environment
            urllib.request.HTTPSHandler(context=tls_context(endpoint)),
            _NoRedirects(),
        )

    def get(
        self, path: str, query: Mapping[str, str] | None = None, *, expect: Collection[int] = (200,)
    ) -> Answer:
        """GET an API path; see ``request``."""
        return self.request("GET", path, query=query, expect=expect)

    def post(self, path: str, body: Any, *, expect: Collection[int] = (200,)) -> Answer:
        """POST a JSON body to an API path; see ``request``."""
        return self.request("POST", path, body=body, expect=expect)

    def delete(self, path: str, *, expect: Collection[int] = (204,)) -> Answer:
        """DELETE an API path; see ``request``."""
        return self.request("DELETE", path, expect=expect)

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Mapping[str, str] | None = None,
        body: Any = None,
        expect: Collection[int] = (200,),
    ) -> Answer:
        """Send one request (retrying as the module docstring says) and check its status.

        Returns the answer when its status is in ``expect``.  Raises ``Refused`` (401),
        ``Forbidden`` (403) and ``UnexpectedAnswer`` (any other status) unless the status is
        expected, and ``Unreachable`` / ``TlsFailure`` when no answer came.
        """
        url = self.endpoint.address(path)
        if query:
            url += "?" + urllib.parse.urlencode(query)
        data = None if body is None else json.dumps(body).encode("utf-8")
        for attempt in range(self.retries + 1):
            try:
                answer = self._attempt(method, url, data)
            except _Retry as failure:
                retry = not failure.sent or method in _SAFE_METHODS
                if attempt < self.retries and retry:
                    self._sleep(self.backoff * 2**attempt)
                    continue
                raise failure.error from None
            if (
                answer.status in _RETRY_STATUSES
                and method in _SAFE_METHODS
                and attempt < self.retries
                and answer.status not in expect
            ):
                self._sleep(self.backoff * 2**attempt)
                continue
            return self._checked(answer, method, path, expect)
        raise AssertionError("unreachable")  # pragma: no cover - the loop always returns

    def _checked(self, answer: Answer, method: str, path: str, expect: Collection[int]) -> Answer:
        if answer.status in expect:
            return answer
        what = f"{method} {self.endpoint.address(path)}"
        detail = self._detail(answer.data)
        status = f"{answer.status} {_REASONS.get(answer.status, '')}".rstrip()
        if answer.status == 401:
            raise Refused(f"{what}: the server refused the token ({status}){detail}")
        if answer.status == 403:
            raise Forbidden(f"{what}: the token may not do this ({status}){detail}")
        if answer.status == 404:
            raise UnexpectedAnswer(
                f"{what}: not found (404): check --url (the server's base URL, without /api) "
                "and the context's api-path"
            )
        if answer.status >= 500:
            raise UnexpectedAnswer(f"{what}: server error ({status}){detail}")
        raise UnexpectedAnswer(f"{what}: unexpected answer ({status}){detail}")

    def _detail(self, data: Any) -> str:
        """``: first error message`` of a GenericErrorsResponse, cleaned; else ``""``."""
        if not isinstance(data, dict):
            return ""
        errors = data.get("errors")
        message = data.get("message")
        if isinstance(errors, list) and errors and isinstance(errors[0], dict):
            message = errors[0].get("message")
        if not isinstance(message, str) or not message.strip():
            return ""
        return ": " + self.server_text(message)

    def server_text(self, text: str, limit: int = 200) -> str:
        """Text from the server, safe to show: printable, at most ``limit`` characters, and
        without the token (a hostile or careless server may quote the header back)."""
        cleaned = "".join(c if c.isprintable() else " " for c in redact(text, [self._token]))
        cleaned = " ".join(cleaned.split())
        return cleaned if len(cleaned) <= limit else cleaned[: limit - 3] + "..."

    def _attempt(self, method: str, url: str, data: bytes | None) -> Answer:
        headers = {
            "X-API-Key": self._token.reveal(),
            "Accept": "application/json",
            "User-Agent": f"configgen/{__version__}",
        }
        if data is not None:
            headers["Content-Type"] = "application/json"
        # The scheme is http or https: context.resolve checks every URL.
        request = urllib.request.Request(url, data=data, headers=headers, method=method)  # noqa: S310
        deadline = time.monotonic() + self.timeout
        try:
            response: Any = self._opener.open(request, timeout=self.timeout)
        except urllib.error.HTTPError as err:
            response = err  # a status other than 2xx: still an answer
        except urllib.error.URLError as err:
            raise _connect_failure(err.reason, url, self.timeout) from None
        except TimeoutError:
            raise _Retry(
                Unreachable(f"{url}: no answer within {self.timeout:g} s (--timeout)"), sent=True
            ) from None
        except (http.client.RemoteDisconnected, ConnectionError):
            raise _Retry(
                Unreachable(f"{url}: the server closed the connection without answering"),
                sent=True,
            ) from None
        except ssl.SSLError as err:
            raise TlsFailure(f"{url}: TLS failed ({_ssl_reason(err)})") from None
        except http.client.HTTPException:
            raise UnexpectedAnswer(f"{url}: the answer is not HTTP: is the URL right?") from None
        except OSError as err:
            failure = Unreachable(f"{url}: {err.strerror or 'network error'}")
            raise _Retry(failure, sent=True) from None
        try:
            return self._answer(response, url, deadline)
        finally:
            response.close()

    def _answer(self, response: Any, url: str, deadline: float) -> Answer:
        status = int(response.status if hasattr(response, "status") else response.code)
        if 300 <= status < 400:
            raise UnexpectedAnswer(
                f"{url}: the server redirects ({status}) to "
                f"{self.server_text(_location(response.headers.get('Location', '')))}: give "
                "that address with --url (configgen does not follow redirects, so the token "
                "is only sent where you point it)"
            )
        body = self._read(response, url, deadline)
        content_type = response.headers.get("Content-Type", "") or ""
        if not body.strip():
            return Answer(status, None)
        try:
            return Answer(status, json.loads(body))
        except (ValueError, RecursionError):
            if status >= 400:
                return Answer(status, None)  # an error page: the status says enough
            kind = content_type.split(";")[0].strip() or "no Content-Type"
            raise UnexpectedAnswer(
                f"{url}: the answer is not JSON ({self.server_text(kind, 60)}): is --url the "
                "StackState server, and not a login page or another service?"
            ) from None

    def _read(self, response: Any, url: str, deadline: float) -> bytes:
        length = response.headers.get("Content-Length")
        limit = self.max_bytes
        if length is not None and length.strip().isdigit() and int(length) > limit:
            raise UnexpectedAnswer(f"{url}: the answer is larger than {_size(limit)}")
        stream: Any = response.fp if isinstance(response, urllib.error.HTTPError) else response
        if stream is None:
            return b""
        chunks: list[bytes] = []
        size = 0
        try:
            while True:
                if time.monotonic() > deadline:
                    raise Unreachable(
                        f"{url}: the answer did not arrive within {self.timeout:g} s (--timeout)"
                    )
                chunk = stream.read1(_CHUNK)
                if not chunk:
                    break
                size += len(chunk)
                if size > limit:
                    raise UnexpectedAnswer(f"{url}: the answer is larger than {_size(limit)}")
                chunks.append(chunk)
        except TimeoutError:
            raise Unreachable(
                f"{url}: the answer did not arrive within {self.timeout:g} s (--timeout)"
            ) from None
        except (http.client.HTTPException, ConnectionError):
            raise UnexpectedAnswer(f"{url}: the answer broke off before its end") from None
        except ssl.SSLError as err:
            raise TlsFailure(f"{url}: TLS failed ({_ssl_reason(err)})") from None
        return b"".join(chunks)


def _connect_failure(reason: Any, url: str, timeout: float) -> Exception:
    """The error for a request that could not be sent (urllib wraps these in ``URLError``)."""
    host = urllib.parse.urlsplit(url).hostname or url
    if isinstance(reason, ssl.SSLCertVerificationError):
        detail = reason.verify_message or "certificate verify failed"
        if "hostname" in detail.lower() or "ip address mismatch" in detail.lower():
            fix = "the certificate is for another name: use the name it was made for in --url"
        else:
            fix = "give the private CA with --ca-cert FILE (or, for a test system, --skip-ssl)"
        return TlsFailure(f"{url}: TLS certificate not trusted ({detail}): {fix}")
    if isinstance(reason, ssl.SSLError):
        text = _ssl_reason(reason)
        hint = (
            ": is the server speaking plain http://?"
            if "WRONG_VERSION_NUMBER" in text or "record layer" in text.lower()
            else ""
        )
        return TlsFailure(f"{url}: TLS handshake failed ({text}){hint}")
    if isinstance(reason, socket.gaierror):
        failure = Unreachable(f"{url}: cannot resolve the host name {host!r}: check --url")
        return _Retry(failure, sent=False) if reason.errno == socket.EAI_AGAIN else failure
    if isinstance(reason, ConnectionRefusedError):
        return _Retry(
            Unreachable(f"{url}: connection refused: is the server running, and the port right?"),
            sent=False,
        )
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return _Retry(
            Unreachable(f"{url}: no connection within {timeout:g} s (--timeout)"), sent=False
        )
    if isinstance(reason, ConnectionError):
        return _Retry(
            Unreachable(f"{url}: the connection broke while sending the request"), sent=False
        )
    if isinstance(reason, OSError):
        text = reason.strerror or errno.errorcode.get(reason.errno or 0, "network error")
        return _Retry(Unreachable(f"{url}: {text}"), sent=False)
    return Unreachable(f"{url}: cannot connect")


def _ssl_reason(err: ssl.SSLError) -> str:
    """OpenSSL's short reason (``WRONG_VERSION_NUMBER``); set only on errors OpenSSL raised."""
    return str(getattr(err, "reason", None) or err.__class__.__name__)


def _location(value: str) -> str:
    """Scheme, host and path of a redirect target: never its query, which may hold anything."""
    parts = urllib.parse.urlsplit(value)
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))


def _size(limit: int) -> str:
    return f"{limit // (1024 * 1024)} MiB" if limit >= 1024 * 1024 else f"{limit // 1024} KiB"
