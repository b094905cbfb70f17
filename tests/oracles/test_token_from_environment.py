"""Linux without the token in the file: Lightbend reads ``token = ${NAME}`` from the environment.

``configgen render --target linux --token-env-var NAME`` writes no token into
application_stackstate.conf; ``--env-file`` writes the ``NAME="token"`` line systemd loads
(``EnvironmentFile=``).  The real Lightbend config library, given that environment (never the
real one), must read exactly the spec's token, roles and ttl -- and fail without it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from testing import hocon_oracle
from testing.cli import ROLE, TOKEN, invoke, spec_text, write_spec

pytestmark = pytest.mark.oracle

VARIABLE = "STS_BOOTSTRAP_TOKEN"
PATHS = {"full": "stackstate.api.authentication", "short": "authentication"}


def systemd_environment(path: Path) -> dict[str, str]:
    """What systemd's EnvironmentFile= makes of the file configgen writes (comments, one
    ``NAME="value"`` line; the quotes are removed)."""
    found = {}
    for line in path.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, value = line.partition("=")
            found[name] = value[1:-1] if value[:1] == value[-1:] == '"' else value
    return found


@pytest.mark.parametrize("form", ["full", "short"])
def test_lightbend_reads_the_token_from_the_environment(
    lightbend: hocon_oracle.Lightbend, tmp_path: Path, form: str
) -> None:
    spec = write_spec(tmp_path, spec_text(ttl="36h"))
    env_file = tmp_path / "bootstrap-token.env"
    result = invoke(["render", spec, "--target", "linux", "--hocon-form", form,
                     "--token-env-var", VARIABLE, "--env-file", env_file])  # fmt: skip
    assert result.exit_code == 0, result.stderr
    conf = result.stdout
    assert TOKEN not in conf
    assert TOKEN not in result.stderr
    assert f"token = ${{{VARIABLE}}}" in conf
    environment = systemd_environment(env_file)
    assert environment == {VARIABLE: TOKEN}
    bootstrap = f"{PATHS[form]}.authServer.serviceTokenAuthServer.bootstrap"
    queries = [
        (hocon_oracle.STRING, f"{bootstrap}.token"),
        (hocon_oracle.STRING_LIST, f"{bootstrap}.roles"),
        (hocon_oracle.DURATION, f"{bootstrap}.ttl"),
    ]
    (with_environment,) = lightbend.query([(conf, queries)], environment=environment)
    assert with_environment.ok, with_environment.error
    assert [a.value for a in with_environment.answers] == [TOKEN, [ROLE], 36 * 3600 * 10**9]
    (without,) = lightbend.query([(conf, queries)])
    assert without.stage == "resolve"  # the file alone holds no token


def test_the_document_wins_over_the_environment(lightbend: hocon_oracle.Lightbend) -> None:
    """As in Lightbend: the environment is a fallback for what the document does not define."""
    text = 'a = ${X}\nb = ${Y}\nY = "from the document"\n'
    (result,) = lightbend.query(
        [(text, [(hocon_oracle.STRING, "a"), (hocon_oracle.STRING, "b")])],
        environment={"X": "from the environment", "Y": "ignored", "a.b": "a key, not a path"},
    )
    assert [a.value for a in result.answers] == ["from the environment", "from the document"]
