"""Where the server and the token come from, in the order ``sts`` users expect.

- URL: ``--url``, else ``STS_CLI_URL``, else the sts context (``--context``, ``STS_CLI_CONTEXT``
  or the file's ``current-context``).
- Token: ``--token-file`` (``-``: stdin), else ``--token-env VAR``, else
  ``STS_CLI_SERVICE_TOKEN``, else the context's ``service-token``.  There is deliberately no
  flag that takes the token itself: it would be visible in the process list.
- TLS: ``--ca-cert FILE`` or the context's ``ca-cert-base64-data`` (added to the system's CAs);
  ``--skip-ssl`` or the context's ``skip-ssl`` turns checks off, with a warning.

The sts config file is only read when something is still missing or ``--context`` asks for it.
A context's token is never sent to a URL other than the context's own.
"""

from __future__ import annotations

import ipaddress
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field

from configgen.parsing.limits import CERTIFICATE_MAX_BYTES, TOKEN_FILE_MAX_BYTES
from configgen.server import stsconfig
from configgen.server.client import Endpoint
from configgen.server.errors import SetupError
from configgen.server.secret import Secret

ENV_URL = "STS_CLI_URL"
ENV_TOKEN = "STS_CLI_SERVICE_TOKEN"
ENV_CONTEXT = "STS_CLI_CONTEXT"
ENV_API_PATH = "STS_CLI_API_PATH"
MAX_TOKEN_LENGTH = 4096


@dataclass(frozen=True)
class Options:
    """What the command line said about the server and the token (all optional)."""

    url: str | None = None
    context: str | None = None
    sts_config: str | None = None
    token_file: str | None = None
    token_env: str | None = None
    ca_cert: str | None = None
    skip_ssl: bool = False


@dataclass(frozen=True)
class Target:
    """The server to talk to and the token to send, with where each came from."""

    endpoint: Endpoint
    token: Secret
    url_source: str
    token_source: str
    warnings: tuple[str, ...] = field(default=())


def resolve(options: Options, environ: Mapping[str, str]) -> Target:
    """Combine flags, environment and the sts config file; ``SetupError`` when incomplete."""
    env_url = environ.get(ENV_URL) or None
    context_name = options.context or environ.get(ENV_CONTEXT) or None
    direct_token = options.token_file or options.token_env or environ.get(ENV_TOKEN)
    context = None
    if context_name or options.sts_config or not (options.url or env_url) or not direct_token:
        context = _context(options, context_name, environ)
    warnings: list[str] = []

    if options.url:
        url, url_source = options.url, "--url"
    elif env_url:
        url, url_source = env_url, ENV_URL
    elif context is not None and context.url:
        url, url_source = context.url, f"context {context.name!r}"
    else:
        raise SetupError(
            "no server URL: give --url, set STS_CLI_URL, or save an sts context "
            "(sts context save --url URL --service-token TOKEN)"
        )
    url = _checked_url(url, url_source)

    token, token_source = _token(options, environ, context)
    from_context = context is not None and token_source.startswith("context")
    if from_context and context is not None and context.url and not _same_server(url, context.url):
        raise SetupError(
            f"the token of context {context.name!r} belongs to its own server, not to the "
            f"URL from {url_source}: give the token with --token-file or --token-env, or "
            "drop the URL to use the context's"
        )

    # The context's API path and TLS settings are for the context's own server.
    if context is not None and not (
        url_source.startswith("context") or (context.url and _same_server(url, context.url))
    ):
        context = None
    api_path = environ.get(ENV_API_PATH) or (context.api_path if context else None)
    skip_ssl = options.skip_ssl or bool(context and context.skip_ssl)
    ca_data: bytes | None = None
    if options.ca_cert:
        ca_data = _read_ca(options.ca_cert)
    elif context is not None:
        ca_data = context.ca_data
    if skip_ssl:
        warnings.append(
            "TLS certificate checks are off (--skip-ssl): anyone in between can read the token"
        )
    if url.startswith("http://") and not _is_loopback(url):
        warnings.append(
            "the URL is http://: the token travels unencrypted; use https:// outside a test system"
        )
    endpoint = Endpoint(
        url=url,
        api_path=api_path or stsconfig.DEFAULT_API_PATH,
        ca_data=ca_data,
        skip_ssl=skip_ssl,
    )
    return Target(endpoint, token, url_source, token_source, tuple(warnings))


def _context(
    options: Options, name: str | None, environ: Mapping[str, str]
) -> stsconfig.StsContext | None:
    path = options.sts_config or str(stsconfig.default_path(environ))
    explicit = bool(options.sts_config or name)
    if options.sts_config is None and not _exists(path):
        if explicit:
            raise SetupError(
                f"context {name!r} asked for, but there is no sts config file at {path} "
                "(give --sts-config FILE)"
            )
        return None
    return stsconfig.load(path).context(name)


def _exists(path: str) -> bool:
    import os

    return os.path.exists(path)


def _token(
    options: Options, environ: Mapping[str, str], context: stsconfig.StsContext | None
) -> tuple[Secret, str]:
    if options.token_file:
        return _checked_token(_read_token_file(options.token_file), "--token-file"), (
            f"--token-file {'<stdin>' if options.token_file == '-' else options.token_file}"
        )
    if options.token_env:
        value = environ.get(options.token_env)
        if not value:
            raise SetupError(f"--token-env {options.token_env}: the variable is not set or empty")
        return _checked_token(value, f"--token-env {options.token_env}"), options.token_env
    if environ.get(ENV_TOKEN):
        return _checked_token(environ[ENV_TOKEN], ENV_TOKEN), ENV_TOKEN
    if context is not None and context.service_token is not None:
        source = f"context {context.name!r}"
        return _checked_token(context.service_token.reveal(), source), source
    hint = ""
    if context is not None and context.has_other_credentials:
        hint = (
            f" (context {context.name!r} holds an api-token or a service-account token; "
            "configgen sends service tokens only)"
        )
    raise SetupError(
        "no service token: give --token-file FILE or --token-env VAR, set "
        f"STS_CLI_SERVICE_TOKEN, or use an sts context with a service-token{hint}"
    )


def _read_token_file(path: str) -> str:
    from configgen.parsing import sources

    try:
        data = sources.read_bytes(path, limit=TOKEN_FILE_MAX_BYTES, pipes=True)
        text = sources.decode(data)
    except sources.InputError as err:
        name = "<stdin>" if path == sources.STDIN else path
        raise SetupError(f"--token-file: {err.message}", name) from None
    lines = text.strip().splitlines()
    return lines[0].strip() if lines else ""


def _checked_token(value: str, source: str) -> Secret:
    """The token, if it can travel in an HTTP header; the message never shows it."""
    value = value.strip()
    if not value:
        raise SetupError(f"{source}: the token is empty")
    if len(value) > MAX_TOKEN_LENGTH:
        raise SetupError(f"{source}: the token is longer than {MAX_TOKEN_LENGTH} characters")
    if not all("\x21" <= c <= "\x7e" for c in value):
        raise SetupError(
            f"{source}: the token has a character that cannot travel in an HTTP header (a "
            "space, a line break, a control or non-ASCII character): check where it comes from"
        )
    return Secret(value)


def _checked_url(url: str, source: str) -> str:
    """A base URL with scheme, host and (optional) path; ``SetupError`` otherwise."""
    stripped = url.strip()
    try:
        parts = urllib.parse.urlsplit(stripped)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError:
        raise SetupError(f"{source}: not a URL: write e.g. https://sts.example.com") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SetupError(
            f"{source}: the URL must start with https:// or http:// and name a host, "
            "e.g. https://sts.example.com"
        )
    if parts.username is not None or parts.password is not None:
        raise SetupError(f"{source}: the URL holds a user name or password: remove it")
    if parts.query or parts.fragment:
        raise SetupError(f"{source}: the URL must not have a query (?) or fragment (#)")
    if any(c.isspace() or not c.isprintable() for c in stripped):
        raise SetupError(f"{source}: the URL has spaces or control characters")
    return stripped.rstrip("/")


def _same_server(first: str, second: str) -> bool | None:
    """Whether two base URLs name the same scheme, host and port (None: unreadable)."""
    try:
        a, b = urllib.parse.urlsplit(first), urllib.parse.urlsplit(second)
        default = {"http": 80, "https": 443}
        return (a.scheme, a.hostname, a.port or default.get(a.scheme)) == (
            b.scheme,
            b.hostname,
            b.port or default.get(b.scheme),
        )
    except ValueError:
        return None


def _is_loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _read_ca(path: str) -> bytes:
    from configgen.parsing import sources

    try:
        data = sources.read_bytes(path, limit=CERTIFICATE_MAX_BYTES, pipes=True)
    except sources.InputError as err:
        raise SetupError(f"--ca-cert: {err.message}", path) from None
    return data
