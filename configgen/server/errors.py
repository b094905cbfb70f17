"""What can go wrong when talking to the server, as types the command line maps to exit codes.

Every message is written by configgen and says what happened and what to do.  None holds a
token: server-provided text is cut, stripped of control characters and redacted first
(``client.server_text``).

- ``SetupError``: where the server or the token come from is wrong (flags, environment, the sts
  config file).  Usage error, exit 2.
- ``Refused`` (401), ``Forbidden`` (403), ``Rejected`` (the server refused the request's content,
  e.g. an expiration in the past; or the object does not exist): exit 1.
- ``ConnectionProblem`` and its kinds ``Unreachable``, ``TlsFailure``, ``UnexpectedAnswer``: the
  server could not be reached, TLS failed, or the answer is not what the API contract says:
  exit 5.
"""

from __future__ import annotations


class ServerError(Exception):
    """Base class; ``message`` is safe to print."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SetupError(ServerError):
    """The server URL, the token or the TLS settings cannot be taken from where they were given.

    ``location`` is ``file:line:col`` (or ``file``) when the problem is in a file.
    """

    def __init__(self, message: str, location: str = "") -> None:
        super().__init__(message)
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: error: {self.message}" if self.location else self.message


class Refused(ServerError):
    """The server did not accept the token (HTTP 401)."""


class Forbidden(ServerError):
    """The token is accepted but may not do this (HTTP 403)."""


class Rejected(ServerError):
    """The server refused the request's content, or the object asked for does not exist."""


class ConnectionProblem(ServerError):
    """The server could not be reached, TLS failed, or it answered something unexpected."""

    kind = "connection"


class Unreachable(ConnectionProblem):
    """No connection, or no (complete) answer in time."""

    kind = "unreachable"


class TlsFailure(ConnectionProblem):
    """The TLS handshake failed: certificate not trusted, wrong name, not TLS at all."""

    kind = "tls"


class UnexpectedAnswer(ConnectionProblem):
    """An answer the API contract does not allow: 5xx, not JSON, too large, wrong shape."""

    kind = "unexpected-answer"
