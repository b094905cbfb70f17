"""Service tokens on the server: list, create, delete (``/api/security/tokens``).

The API has no update: a token whose roles or expiration should change is deleted and created
again.  Expirations are epoch milliseconds; a date given as ``YYYY-MM-DD`` means 00:00 UTC of
that day, as ``sts service-token create --expiration`` sends it.  The value of a new token is in
the answer to its creation only: ``save`` writes it to a file (atomically, mode 0600, never over
an existing file unless asked).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from configgen.server.client import Client
from configgen.server.errors import Rejected, UnexpectedAnswer
from configgen.server.secret import Secret

TOKENS_PATH = "/security/tokens"
DATE_FORMAT = "%Y-%m-%d"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_FILE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,127}")


@dataclass(frozen=True)
class ServiceToken:
    """A token as the server lists it (its value is never listed)."""

    id: int | None
    name: str
    roles: tuple[str, ...]
    expiration: int | None = None  # epoch milliseconds
    description: str | None = None
    dedicated_subject: str | None = None

    @property
    def expires(self) -> dt.datetime | None:
        """The expiration as an aware UTC datetime."""
        return from_millis(self.expiration) if self.expiration is not None else None

    def as_json(self) -> dict[str, Any]:
        """The token for ``--format json`` (the date as ISO 8601, as well as milliseconds)."""
        expires = self.expires
        return {
            "id": self.id,
            "name": self.name,
            "roles": list(self.roles),
            "expiration": expires.isoformat().replace("+00:00", "Z") if expires else None,
            "expirationMillis": self.expiration,
            "dedicatedSubject": self.dedicated_subject,
            "description": self.description,
        }


@dataclass(frozen=True)
class NewToken:
    """What ``POST /security/tokens`` needs (``NewServiceTokenRequest``)."""

    name: str
    roles: tuple[str, ...]
    expiry: int | None = None  # epoch milliseconds
    dedicated_subject: str | None = None

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {"name": self.name, "roles": list(self.roles)}
        if self.expiry is not None:
            body["expiryDate"] = self.expiry
        if self.dedicated_subject is not None:
            body["dedicatedSubject"] = self.dedicated_subject
        return body


@dataclass(frozen=True)
class CreatedToken:
    """The answer to a creation: the token's value, shown this once."""

    name: str
    token: Secret
    expiration: int | None


def list_tokens(client: Client) -> list[ServiceToken]:
    """Every service token on the server, sorted by name and id."""
    data = client.get(TOKENS_PATH).data
    if not isinstance(data, list):
        raise UnexpectedAnswer(f"{client.endpoint.address(TOKENS_PATH)}: {_SHAPE}: not a list")
    tokens = [_token(item, i, client) for i, item in enumerate(data)]
    return sorted(tokens, key=lambda t: (t.name, t.id if t.id is not None else -1))


def create(client: Client, new: NewToken) -> CreatedToken:
    """Create a token; ``Rejected`` when the server refuses its content (HTTP 400)."""
    answer = client.post(TOKENS_PATH, new.body(), expect=(200, 400))
    data = answer.data
    if answer.status == 400:
        detail = ""
        if isinstance(data, dict) and isinstance(data.get("message"), str):
            detail = ": " + client.server_text(data["message"])
        kind = data.get("_type") if isinstance(data, dict) else None
        if kind == "ServiceTokenInvalidExpiryError":
            raise Rejected(
                f"the server refused the expiration of {new.name!r}{detail}: choose a date "
                "in the future"
            )
        raise Rejected(f"the server refused to create {new.name!r} (400 Bad Request){detail}")
    where = client.endpoint.address(TOKENS_PATH)
    if not isinstance(data, dict) or not isinstance(data.get("token"), str) or not data["token"]:
        raise UnexpectedAnswer(f"{where}: the answer to a creation holds no token")
    expiration = data.get("expiration")
    if expiration is not None and not _is_int(expiration):
        raise UnexpectedAnswer(f"{where}: the new token's expiration is not a number")
    name = data.get("name")
    return CreatedToken(
        name=name if isinstance(name, str) else new.name,
        token=Secret(data["token"]),
        expiration=expiration,
    )


def delete(client: Client, token_id: int) -> None:
    """Delete the token with ``token_id``."""
    client.delete(f"{TOKENS_PATH}/{int(token_id)}")


def find(tokens: Sequence[ServiceToken], *, token_id: int | None = None, name: str | None = None
         ) -> list[ServiceToken]:  # fmt: skip
    """The tokens with this id or name."""
    if token_id is not None:
        return [t for t in tokens if t.id == token_id]
    return [t for t in tokens if t.name == name]


def expiry_from_date(text: str) -> int:
    """``YYYY-MM-DD`` as epoch milliseconds at 00:00 UTC; ``ValueError`` if not a date."""
    if not _DATE.fullmatch(text.strip()):
        raise ValueError("write the date as YYYY-MM-DD, e.g. 2027-06-30")
    try:
        day = dt.datetime.strptime(text.strip(), DATE_FORMAT).replace(tzinfo=dt.timezone.utc)
    except ValueError:
        raise ValueError(f"{text.strip()} is not a date in the calendar") from None
    return to_millis(day)


def expiry_from_ttl(text: str, now: dt.datetime) -> int:
    """``now`` plus a duration (``30d``, ``12h``: the server's duration grammar) in ms."""
    from configgen.product import durations

    try:
        duration = durations.parse(text)
    except durations.DurationError:
        hint = durations.explain(text) or "write a number and a unit, e.g. 30d"
        raise ValueError(hint) from None
    if not duration.unit_written:
        raise ValueError("a bare number would be milliseconds: add a unit, e.g. 30d")
    if duration.nanos < 1_000_000 or duration.saturated:
        raise ValueError("write a positive duration with a unit s, m, h or d, e.g. 30d")
    return to_millis(now) + duration.nanos // 1_000_000


def to_millis(moment: dt.datetime) -> int:
    return int(moment.timestamp() * 1000)


def from_millis(millis: int) -> dt.datetime:
    """Epoch milliseconds as a UTC datetime (clamped to what datetime can hold)."""
    seconds = max(min(millis / 1000, 253402300799), -62135596800)
    return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc)


def date_text(millis: int | None) -> str:
    """``YYYY-MM-DD`` (UTC) of an expiration, or ``never``."""
    return "never" if millis is None else from_millis(millis).strftime(DATE_FORMAT)


def file_name(name: str) -> str:
    """The token file name for a token name; ``ValueError`` when the name cannot be one."""
    if not _FILE_NAME.fullmatch(name):
        raise ValueError(
            f"token name {name!r} cannot be a file name: use letters, digits, '.', '_', '-'"
        )
    return name


def save(path: Path, created: CreatedToken, *, overwrite: bool = False) -> None:
    """Write the new token's value to ``path``: atomic, mode 0600, one line."""
    from configgen import files

    files.write_new([(path, created.token.reveal() + "\n")], overwrite=overwrite)


_SHAPE = "the token list does not match the API (ServiceToken)"


def _token(item: Any, index: int, client: Client) -> ServiceToken:
    where = f"{client.endpoint.address(TOKENS_PATH)}: {_SHAPE}: item {index}"
    if not isinstance(item, dict):
        raise UnexpectedAnswer(f"{where} is not an object")
    name, roles = item.get("name"), item.get("roles")
    if not isinstance(name, str):
        raise UnexpectedAnswer(f"{where} has no name")
    if not isinstance(roles, list) or not all(isinstance(r, str) for r in roles):
        raise UnexpectedAnswer(f"{where} has no list of roles")
    for key in ("id", "expiration"):
        if item.get(key) is not None and not _is_int(item[key]):
            raise UnexpectedAnswer(f"{where}: {key} is not a whole number")
    for key in ("description", "dedicatedSubject"):
        if item.get(key) is not None and not isinstance(item[key], str):
            raise UnexpectedAnswer(f"{where}: {key} is not a string")
    return ServiceToken(
        id=item.get("id"),
        name=name,
        roles=tuple(roles),
        expiration=item.get("expiration"),
        description=item.get("description"),
        dedicated_subject=item.get("dedicatedSubject"),
    )


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
