"""Helpers shared by the render tests: run the CLI in-process and read rendered files back.

A plain module rather than conftest.py fixtures, so that each test file says what it uses.
"""

from __future__ import annotations

import stat
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from configgen.cli import main
from configgen.parsing import helm_yaml, pyhocon_safe

# A valid token (20 characters from the allowed set) that appears nowhere else in the messages.
TOKEN = "kQ3vX9pL2mN8rT5wZ7yBc4Hd"
OTHER_TOKEN = "Zx8cV7bN6mL5kJ4hG3fD2sA1"
ROLE = "stackstate-power-user"
SERVICE_TOKEN_AUTH_SERVER = "serviceTokenAuthServer"
HELM_FILE = "authentication.yaml"
HOCON_FILE = "application_stackstate.conf"
NEXT_KUBERNETES = "next (kubernetes): helm upgrade --install"
NEXT_LINUX = "next (linux): append the block to application_stackstate.conf"


def invoke(
    args: Sequence[Any], *, stdin: str | bytes | None = None, env: Mapping[str, str] | None = None
) -> Result:
    """Run ``configgen`` in-process; fail the test on any traceback or uncaught exception."""
    result = CliRunner().invoke(
        main, [str(a) for a in args], input=stdin, env=env, prog_name="configgen"
    )
    assert_no_traceback(result)
    return result


def assert_no_traceback(result: Result) -> None:
    assert "Traceback" not in result.stdout
    assert "Traceback" not in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"uncaught {result.exception!r}; stderr: {result.stderr}"
    )


def error_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": error: " in line]


def write_spec(directory: Path, text: str, name: str = "spec.yaml") -> Path:
    path = directory / name
    path.write_text(text, encoding="utf-8", newline="")
    return path


def spec_text(
    token: str | None = TOKEN, roles: Sequence[str] = (ROLE,), **extra: str | list[str]
) -> str:
    """A spec in YAML with every string double-quoted (JSON literals are valid YAML)."""
    import json

    lines = [] if token is None else [f"token: {json.dumps(token)}"]
    lines.append(f"roles: {json.dumps(list(roles))}")
    lines += [f"{key}: {json.dumps(value)}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


def file_mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def dir_is_empty(path: Path) -> bool:
    return not path.exists() or not any(path.iterdir())


def helm_bootstrap(text: str) -> Any:
    """``stackstate.authentication.serviceToken.bootstrap`` as Helm reads the values file."""
    data = helm_yaml.load(text).data
    return data["stackstate"]["authentication"]["serviceToken"]["bootstrap"]


def hocon_authentication(text: str, form: str = "full") -> Any:
    """The ``authentication`` object of the HOCON file, for either form."""
    data = pyhocon_safe.parse(text)
    if form == "short":
        assert list(data) == ["authentication"]
        return data["authentication"]
    assert list(data) == ["stackstate"]
    return data["stackstate"]["api"]["authentication"]


def hocon_bootstrap(text: str, form: str = "full") -> Any:
    return hocon_authentication(text, form)["authServer"]["serviceTokenAuthServer"]["bootstrap"]


def hocon_auth_server_type(text: str, form: str = "full") -> Any:
    return hocon_authentication(text, form)["authServer"]["authServerType"]
