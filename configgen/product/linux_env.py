"""The token from the environment on Linux: ``token = ${NAME}`` in application_stackstate.conf.

The server reads its configuration with Lightbend config, which resolves a substitution the
configuration does not define itself from the environment variable of that name.  So the file
can say ``token = ${STS_BOOTSTRAP_TOKEN}`` and hold no secret, and the service gets the variable
from an environment file (systemd ``EnvironmentFile=``, read by systemd as root, so the file can
be owner-only).

Names are upper case: the configuration's own paths are lower or camel case (``stackstate``,
``akka`` ...), and a substitution that names one of them would read that part of the
configuration instead of the environment.
"""

from __future__ import annotations

import re

VARIABLE = re.compile(r"[A-Z_][A-Z0-9_]*")
DEFAULT_VARIABLE = "STS_BOOTSTRAP_TOKEN"
# Where the service would look, for the instructions; the unit name may differ per install.
SERVICE = "stackstate.service"
ENV_FILE = "/etc/stackstate/bootstrap-token.env"
DROP_IN = f"/etc/systemd/system/{SERVICE}.d/bootstrap-token.conf"


def instructions(variable: str, env_file: str | None) -> str:
    """How to give the service ``variable``: the environment file and the systemd drop-in."""
    source = (
        f"install {env_file} as {ENV_FILE} (owner root, mode 0600)"
        if env_file
        else f"write {variable}=<token> to {ENV_FILE} (owner root, mode 0600)"
    )
    return (
        f"the server reads the token from the environment variable {variable}: {source}; "
        f"load it with a systemd drop-in {DROP_IN} holding the two lines "
        f"'[Service]' and 'EnvironmentFile={ENV_FILE}' (check the unit's name with "
        "systemctl list-units 'stackstate*'); then systemctl daemon-reload and restart "
        "StackState"
    )
