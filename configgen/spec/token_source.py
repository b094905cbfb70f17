"""Where the token comes from when not from the spec: a flag, a file, a variable, or generated."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field

from configgen.findings import Finding, Severity
from configgen.parsing import sources
from configgen.parsing.limits import TOKEN_FILE_MAX_BYTES
from configgen.spec.model import RULE, SpecError

VALUE, FILE, ENV, GENERATE = "value", "file", "env", "generate"
KINDS = (VALUE, FILE, ENV, GENERATE)


@dataclass(frozen=True)
class TokenSource:
    """One way to give the token: ``kind`` (one of ``KINDS``) and its argument."""

    kind: str
    argument: str = field(default="", repr=False)


@dataclass(frozen=True)
class SourcedToken:
    """A token, where it came from (for messages), and a warning to show if any."""

    token: str = field(repr=False)
    origin: str
    note: Finding | None = None


def generate_token() -> str:
    """A random token: 32 bytes (256 bits) from ``secrets``, URL-safe base64."""
    return secrets.token_urlsafe(32)


def read_token(source: TokenSource) -> SourcedToken:
    """The token ``source`` gives; ``SpecError`` when it gives none."""
    if source.kind == GENERATE:
        return SourcedToken(generate_token(), "--generate-token")
    if source.kind == VALUE:
        note = Finding(
            "--token",
            0,
            0,
            "token-on-command-line",
            Severity.WARNING,
            "a token typed on the command line is visible to other users of this "
            "machine (process list, shell history): prefer --token-file or "
            "--token-env",
        )
        return SourcedToken(source.argument, "--token", note)
    if source.kind == ENV:
        origin = f"--token-env {source.argument}"
        value = os.environ.get(source.argument)
        if value is None:
            raise SpecError(
                [
                    Finding(
                        origin,
                        0,
                        0,
                        RULE,
                        Severity.ERROR,
                        f"environment variable {source.argument} is not set: "
                        "export it, or use another token source",
                    )
                ]
            )
        return SourcedToken(value, origin)
    origin = f"--token-file {source.argument}"
    try:
        data = sources.read_bytes(source.argument, limit=TOKEN_FILE_MAX_BYTES, pipes=True)
        text = sources.decode(data)
    except sources.InputError as err:
        raise input_error(origin, err) from None
    return SourcedToken(text.removesuffix("\n").removesuffix("\r"), origin)


def input_error(name: str, err: sources.InputError) -> SpecError:
    """A ``SpecError`` for an input that could not be read as text."""
    return SpecError([Finding(name, err.line, err.column, RULE, Severity.ERROR, err.message)])
