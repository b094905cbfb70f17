"""Read the ``sts`` CLI's configuration file, as ``sts`` does, without trusting it.

``$XDG_CONFIG_HOME/stackstate-cli/config.yaml`` (``~/.config/...`` without the variable)::

    current-context: default
    contexts:
      - name: default
        context:
          url: https://observability.example.com
          service-token: <token>
          api-path: /api              # default
          skip-ssl: false
          ca-cert-base64-data: <base64 of a PEM or DER certificate>

A file without ``contexts`` is sts's older form: the top level is one context named
``default``.  Keys configgen does not use (``api-token``, ``admin-api-path``...) are ignored, as
sts ignores unknown keys.  The file is read bounded in size, depth and alias expansion; every
problem is a ``SetupError`` at ``file:line:col`` that says how to fix it, and never quotes a
token.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from configgen.findings import JsonPath, format_json_path
from configgen.parsing.limits import CONFIG_MAX_BYTES
from configgen.server.errors import SetupError
from configgen.server.secret import Secret

DEFAULT_API_PATH = "/api"


@dataclass(frozen=True)
class StsContext:
    """One named context: where a server is and how to authenticate to it."""

    name: str
    url: str | None
    service_token: Secret | None
    has_other_credentials: bool  # api-token or a Kubernetes service-account token
    api_path: str | None
    skip_ssl: bool
    ca_data: bytes | None
    where: str  # file:line:col of the context, for messages


@dataclass(frozen=True)
class StsConfig:
    """The contexts of one config file."""

    path: str
    current_context: str | None
    contexts: tuple[StsContext, ...]

    def context(self, name: str | None) -> StsContext:
        """The context ``name`` (the current context when ``None``); ``SetupError`` if absent."""
        wanted = name if name is not None else self.current_context
        if wanted is None:
            if len(self.contexts) == 1:
                return self.contexts[0]
            raise SetupError(
                "no current-context is set: choose one with --context NAME "
                f"({_names(self.contexts)})",
                self.path,
            )
        for context in self.contexts:
            if context.name == wanted:
                return context
        origin = "--context" if name is not None else "current-context"
        raise SetupError(
            f"{origin} {wanted!r} is not defined: the file has {_names(self.contexts)}",
            self.path,
        )


def default_path(environ: Mapping[str, str]) -> Path:
    """Where sts keeps its configuration: ``$XDG_CONFIG_HOME`` or ``~/.config``."""
    base = environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / "stackstate-cli" / "config.yaml"


def load(path: str) -> StsConfig:
    """Read and check the sts config file at ``path`` (``-`` for stdin)."""
    from configgen.parsing import helm_yaml, sources

    name = "<stdin>" if path == sources.STDIN else path
    try:
        text = sources.read(path, limit=CONFIG_MAX_BYTES).text
    except sources.InputError as err:
        where = _at(name, err.line, err.column)
        raise SetupError(f"{err.message} (the sts config file)", where) from None
    try:
        document = helm_yaml.load(text, allow_multiple=True)
    except helm_yaml.YamlError as err:
        where = _at(name, err.position.line, err.position.column)
        raise SetupError(f"{err.message}: fix the YAML syntax", where) from None
    return _Reader(name, document).config()


class _Reader:
    """Checks a parsed config file, with positions for every message."""

    def __init__(self, name: str, document: Any) -> None:
        self.name = name
        self.document = document

    def where(self, path: JsonPath, *, key: bool = False) -> str:
        position = self.document.position(path, key=key)
        return _at(self.name, position.line, position.column)

    def fail(self, path: JsonPath, message: str, *, key: bool = False) -> SetupError:
        return SetupError(message, self.where(path, key=key))

    def config(self) -> StsConfig:
        data = self.document.data
        if self.document.duplicates:
            path, position = self.document.duplicates[0]
            raise SetupError(
                f"{format_json_path(path)} is given twice (sts refuses the file): keep one",
                _at(self.name, position.line, position.column),
            )
        if data is None:
            raise SetupError(
                "the file is empty: save a context with 'sts context save', or give --url",
                self.name,
            )
        if not isinstance(data, dict):
            raise self.fail((), "the file must be a mapping with current-context and contexts")
        if "contexts" not in data:  # sts's older form: one unnamed context
            return StsConfig(self.name, "default", (self.context_body("default", data, ()),))
        current = data.get("current-context")
        if current is not None and not isinstance(current, str):
            raise self.fail(("current-context",), "current-context must be a context name")
        contexts = data["contexts"]
        if contexts is None:
            contexts = []
        if not isinstance(contexts, list):
            raise self.fail(("contexts",), "contexts must be a list of {name, context} entries")
        read = tuple(self.named(item, ("contexts", i)) for i, item in enumerate(contexts))
        if not read:
            raise self.fail(
                ("contexts",), "no contexts: save one with 'sts context save', or give --url"
            )
        return StsConfig(self.name, current or None, read)

    def named(self, item: Any, path: JsonPath) -> StsContext:
        if not isinstance(item, dict):
            raise self.fail(path, "each entry of contexts must be a mapping with name and context")
        name = item.get("name")
        if not isinstance(name, str) or not name:
            raise self.fail((*path, "name"), "each context needs a name (a string)")
        body = item.get("context")
        if not isinstance(body, dict):
            raise self.fail((*path, "context"), f"context {name!r} needs a 'context' mapping")
        return self.context_body(name, body, (*path, "context"))

    def context_body(self, name: str, body: dict[str, Any], path: JsonPath) -> StsContext:
        url = self.text(body, (*path, "url"), "the server URL, e.g. https://sts.example.com")
        token = self.text(body, (*path, "service-token"), "the service token")
        api_path = self.text(body, (*path, "api-path"), "the API path, e.g. /api")
        skip_ssl = body.get("skip-ssl", False)
        if skip_ssl is None:
            skip_ssl = False
        if not isinstance(skip_ssl, bool):
            raise self.fail((*path, "skip-ssl"), "skip-ssl must be true or false")
        encoded = self.text(body, (*path, "ca-cert-base64-data"), "base64 of a CA certificate")
        ca_data = None
        if encoded:
            try:
                ca_data = base64.b64decode("".join(encoded.split()), validate=True)
            except (binascii.Error, ValueError):
                raise self.fail(
                    (*path, "ca-cert-base64-data"),
                    "ca-cert-base64-data is not base64: write the output of "
                    "'base64 -w0 ca.crt', or give --ca-cert FILE",
                ) from None
        others = any(body.get(key) for key in ("api-token", "k8s-sa-token", "service-bearer"))
        return StsContext(
            name=name,
            url=url or None,
            service_token=Secret(token) if token else None,
            has_other_credentials=others,
            api_path=api_path or None,
            skip_ssl=skip_ssl,
            ca_data=ca_data,
            where=self.where(path),
        )

    def text(self, body: dict[str, Any], path: JsonPath, what: str) -> str | None:
        """A string value as sts's YAML reads it into a string field."""
        key = path[-1]
        if key not in body or body[key] is None:
            return None
        value = body[key]
        if isinstance(value, str):
            return value
        if isinstance(value, (dict, list)):
            raise self.fail(path, f"{key} must be a string: {what}")
        # A plain scalar such as 0123 or true: sts (yaml.v3) keeps the text as written.
        raw = self.document.raw.get(path)
        if isinstance(raw, str):
            return raw
        raise self.fail(path, f"{key} must be a string: {what}")  # pragma: no cover


def _at(name: str, line: int, column: int) -> str:
    return f"{name}:{line}:{max(column, 1)}" if line > 0 else name


def _names(contexts: tuple[StsContext, ...]) -> str:
    listed = ", ".join(repr(c.name) for c in contexts[:10])
    return f"contexts {listed}" + (" ..." if len(contexts) > 10 else "")
