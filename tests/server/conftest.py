"""Fixtures for the service-token tests: the contract server, a private CA, a clean environment.

The contract comes from ``../shared/oracles/openapi`` (outside the repository).  Without it the
tests that need the server are skipped locally, but fail under ``CI=true``, like the other
oracles.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from testing.contract_server import ContractMissing, ContractServer, bundled_contract
from testing.server_helpers import ADMIN_ROLES, AUTH_TOKEN

# Variables that would send the tests' traffic elsewhere or read the developer's sts setup.
_ENVIRONMENT = (
    "STS_CLI_URL", "STS_CLI_SERVICE_TOKEN", "STS_CLI_CONTEXT", "STS_CLI_API_PATH",
    "http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy", "ALL_PROXY",
    "no_proxy", "NO_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR", "REQUESTS_CA_BUNDLE",
)  # fmt: skip


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No proxy, no sts variables, and an empty XDG_CONFIG_HOME; returns that directory."""
    for name in _ENVIRONMENT:
        monkeypatch.delenv(name, raising=False)
    config_home = tmp_path / "xdg-config"
    config_home.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config_home))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    return config_home


@pytest.fixture(scope="session")
def contract() -> Any:
    """The contract as an ``openapi_core.OpenAPI`` (bundling and checking it takes ~0.5 s)."""
    try:
        bundled = bundled_contract()
    except ContractMissing as err:
        if os.environ.get("CI") == "true":
            pytest.fail(f"API contract missing under CI=true: {err}", pytrace=False)
        pytest.skip(f"API contract not available: {err}")
    from openapi_core import OpenAPI

    return OpenAPI.from_dict(bundled)


def _serve(server: ContractServer) -> Iterator[ContractServer]:
    server.add_key(AUTH_TOKEN, ADMIN_ROLES, {"read-settings", "manage-service-tokens"})
    server.start()
    try:
        yield server
    finally:
        server.stop()
    assert server.violations == [], server.violations


@pytest.fixture
def api(contract: Any) -> Iterator[ContractServer]:
    """A plain-HTTP contract server with one admin token (``AUTH_TOKEN``)."""
    yield from _serve(ContractServer(contract))


@pytest.fixture(scope="session")
def ca() -> Any:
    """A private CA, made for this test run."""
    import trustme

    return trustme.CA()


@pytest.fixture
def ca_file(ca: Any, tmp_path: Path) -> Path:
    path = tmp_path / "ca.pem"
    path.write_bytes(ca.cert_pem.bytes())
    return path


@pytest.fixture
def tls_api(contract: Any, ca: Any) -> Iterator[ContractServer]:
    """An HTTPS contract server whose certificate (for 127.0.0.1 and localhost) the CA signed."""
    import ssl

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
    yield from _serve(ContractServer(contract, tls=context))
