"""Compare the declared tokens with the server's, and make the server match.

``plan`` is pure: from the declaration, the server's tokens and the time it lists the drift and
the actions that fix what the flags allow.  Drift, per declared token:

- ``missing``: no token with that name; fixed by creating it.
- ``differs``: roles, expiration date (UTC) or dedicated subject differ; the API has no update,
  so it is fixed by creating the token again (new first, then the old one deleted), with
  ``--replace`` only: clients holding the old value lose access.
- ``duplicate``: several tokens carry the name; fixed like ``differs``.
- ``expired`` / ``expiring``: the token matches the file but expires before ``now`` /
  ``now + warn_before`` (or a token about to be created will expire within that window); only
  a later date in the file fixes it.
- ``invalid-expiration``: the file's date is not in the future, so the token cannot be created.
- ``undeclared``: a token the file does not name; always listed, drift only with ``--prune``,
  which deletes it.

``execute`` carries out the actions in that order: creations, re-creations, deletions (so a
pruned token, perhaps the one this run authenticates with, goes last).  A new token's value is
written to its file under ``token_dir`` right after its creation, or returned to the caller.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from configgen.server import tokens
from configgen.server.client import Client
from configgen.server.declared import Declaration, DeclaredToken
from configgen.server.errors import ServerError

FIX_SYNC, FIX_REPLACE, FIX_PRUNE, FIX_FILE = "sync", "--replace", "--prune", "the file"
_ORDER = {"create": 0, "replace": 1, "delete": 2}


@dataclass(frozen=True)
class Action:
    """One change on the server: create ``new``, then delete ``delete_ids``."""

    kind: str  # create | replace | delete
    name: str
    new: tokens.NewToken | None = None
    delete_ids: tuple[int, ...] = ()

    def as_json(self) -> dict[str, Any]:
        return {"action": self.kind, "name": self.name, "deleteIds": list(self.delete_ids)}


@dataclass(frozen=True)
class Drift:
    """A difference between the file and the server."""

    name: str
    kind: str
    message: str
    fix: str  # FIX_SYNC | FIX_REPLACE | FIX_PRUNE | FIX_FILE
    counts: bool = True  # fails --check (undeclared tokens only with --prune)
    fixed: bool = False  # an action of the plan fixes it

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "kind": self.kind,
            "message": self.message,
            "fix": self.fix,
            "counts": self.counts,
        }


@dataclass(frozen=True)
class Plan:
    """Every difference found, and the actions the flags allow."""

    drift: tuple[Drift, ...]
    actions: tuple[Action, ...]

    @property
    def in_sync(self) -> bool:
        """No drift that counts (what ``--check`` exits on)."""
        return not any(d.counts for d in self.drift)

    @property
    def unresolved(self) -> tuple[Drift, ...]:
        """Drift that counts and that no planned action fixes."""
        return tuple(d for d in self.drift if d.counts and not d.fixed)


@dataclass(frozen=True)
class Done:
    """An action carried out; ``created`` holds the new token, ``file`` where it was saved."""

    action: Action
    created: tokens.CreatedToken | None = None
    file: Path | None = None
    deleted: tuple[int, ...] = ()


class SyncInterrupted(Exception):
    """``action`` failed with ``error``; ``done`` lists what happened before it, including a
    token the failed action created but could not save (its ``file`` is ``None``)."""

    def __init__(self, done: list[Done], action: Action, error: ServerError | OSError) -> None:
        super().__init__(f"{action.kind} {action.name} failed")
        self.done = done
        self.action = action
        self.error = error


def plan(
    declaration: Declaration,
    actual: Sequence[tokens.ServiceToken],
    *,
    now: dt.datetime,
    warn_before: dt.timedelta,
    replace: bool = False,
    prune: bool = False,
) -> Plan:
    """The drift between ``declaration`` and ``actual`` at ``now``, and the actions to take."""
    by_name: dict[str, list[tokens.ServiceToken]] = defaultdict(list)
    for token in actual:
        by_name[token.name].append(token)
    now_ms = tokens.to_millis(now)
    warn_ms = now_ms + int(warn_before.total_seconds() * 1000)
    drift: list[Drift] = []
    actions: list[Action] = []
    for declared in declaration.tokens:
        found = by_name.get(declared.name, [])
        new = _new_token(declared)
        usable = new.expiry is None or new.expiry > now_ms
        bad_date = Drift(
            declared.name,
            "invalid-expiration",
            f"the declared expiration {declared.expiration} is not in the future, so the "
            "token cannot be created: set a later date in the file",
            FIX_FILE,
        )
        if not found:
            if not usable:
                drift.append(bad_date)
                continue
            drift.append(Drift(declared.name, "missing", "declared, but not on the server",
                               FIX_SYNC, fixed=True))  # fmt: skip
            actions.append(Action("create", declared.name, new))
            drift.extend(_expiring_declaration(declared, new, warn_ms, warn_before))
            continue
        ids = tuple(t.id for t in found if t.id is not None)
        if len(found) > 1:
            message = f"{len(found)} tokens carry this name (ids {_ids(found)}): keep one"
            kind = "duplicate"
        else:
            differences = _differences(declared, found[0])
            if not differences:
                drift.extend(_expiry(declared.name, found[0], now_ms, warn_ms, warn_before))
                continue
            message, kind = "; ".join(differences), "differs"
        fixable = replace and usable
        drift.append(Drift(declared.name, kind, message, FIX_REPLACE, fixed=fixable))
        if replace and not usable:
            drift.append(bad_date)
        if fixable:
            actions.append(Action("replace", declared.name, new, ids))
            drift.extend(_expiring_declaration(declared, new, warn_ms, warn_before))
    declared_names = {d.name for d in declaration.tokens}
    for name in sorted(set(by_name) - declared_names):
        for token in by_name[name]:
            deletable = prune and token.id is not None
            drift.append(
                Drift(
                    name,
                    "undeclared",
                    f"on the server (id {token.id}), not in the file",
                    FIX_PRUNE,
                    counts=prune,
                    fixed=deletable,
                )
            )
            if deletable and token.id is not None:
                actions.append(Action("delete", name, None, (token.id,)))
    actions.sort(key=lambda a: _ORDER[a.kind])
    return Plan(tuple(drift), tuple(actions))


def token_path(token_dir: Path, name: str) -> Path:
    """Where ``--write-tokens DIR`` keeps the token ``name``."""
    return token_dir / tokens.file_name(name)


def check_files(actions: Sequence[Action], token_dir: Path | None) -> None:
    """Before any change: the files of new tokens must be free (``files.OutputExists``).

    A re-created token replaces its file: the old value stops working anyway.
    """
    from configgen import files

    if token_dir is None:
        return
    files.check_free(token_path(token_dir, a.name) for a in actions if a.kind == "create")


def execute(client: Client, actions: Sequence[Action], *, token_dir: Path | None) -> list[Done]:
    """Carry out ``actions`` in order; ``SyncInterrupted`` when one fails."""
    done: list[Done] = []
    for action in actions:
        created = None
        saved_to = None
        try:
            if action.new is not None:
                created = tokens.create(client, action.new)
                if token_dir is not None:
                    path = token_path(token_dir, action.name)
                    tokens.save(path, created, overwrite=action.kind == "replace")
                    saved_to = path
            for token_id in action.delete_ids:
                tokens.delete(client, token_id)
        except (ServerError, OSError) as err:
            if created is not None:  # its value must not be lost
                done.append(Done(action, created, saved_to))
            raise SyncInterrupted(done, action, err) from None
        done.append(Done(action, created, saved_to, action.delete_ids))
    return done


def _new_token(declared: DeclaredToken) -> tokens.NewToken:
    expiry = None
    if declared.expiration is not None:
        expiry = tokens.expiry_from_date(declared.expiration.isoformat())
    return tokens.NewToken(declared.name, declared.roles, expiry, declared.dedicated_subject)


def _differences(declared: DeclaredToken, token: tokens.ServiceToken) -> list[str]:
    found = []
    if set(declared.roles) != set(token.roles):
        found.append(
            f"roles differ: the server has [{', '.join(token.roles)}], the file declares "
            f"[{', '.join(declared.roles)}]"
        )
    wanted = declared.expiration.isoformat() if declared.expiration else "never"
    actual = tokens.date_text(token.expiration)
    if wanted != actual:
        found.append(f"expiration differs: the server has {actual}, the file declares {wanted}")
    if declared.dedicated_subject is not None and declared.dedicated_subject != (
        token.dedicated_subject
    ):
        found.append(
            f"dedicated subject differs: the server has {token.dedicated_subject or 'none'}, "
            f"the file declares {declared.dedicated_subject}"
        )
    return found


def _expiry(
    name: str, token: tokens.ServiceToken, now_ms: int, warn_ms: int, warn: dt.timedelta
) -> list[Drift]:
    if token.expiration is None or token.expiration > warn_ms:
        return []
    date = tokens.date_text(token.expiration)
    fix = "set a later expiration in the file, then run sync --replace"
    if token.expiration <= now_ms:
        return [Drift(name, "expired", f"expired on {date}: {fix}", FIX_FILE)]
    return [Drift(name, "expiring", f"expires on {date}, within {_days(warn)}: {fix}", FIX_FILE)]


def _expiring_declaration(
    declared: DeclaredToken, new: tokens.NewToken, warn_ms: int, warn: dt.timedelta
) -> list[Drift]:
    """A token about to be created that will expire within the warning window."""
    if new.expiry is None or new.expiry > warn_ms:
        return []
    message = (
        f"the declared expiration {declared.expiration} is within {_days(warn)}: "
        "set a later expiration in the file"
    )
    return [Drift(declared.name, "expiring", message, FIX_FILE)]


def _days(delta: dt.timedelta) -> str:
    days = delta.total_seconds() / 86400
    if days == int(days):
        return f"{int(days)} day" + ("" if days == 1 else "s")
    return f"{delta.total_seconds() / 3600:g} hours"


def _ids(found: Sequence[tokens.ServiceToken]) -> str:
    return ", ".join(str(t.id) for t in found)
