"""Where the bootstrap token lives: in Helm values, and in the server's HOCON configuration."""

from __future__ import annotations

# Helm values: the only spelling any released chart reads.
HELM_AUTHENTICATION_PATH = ("stackstate", "authentication")
HELM_BOOTSTRAP_PATH = (*HELM_AUTHENTICATION_PATH, "serviceToken", "bootstrap")

# HOCON: the real file's full path, and the documentation's short form at the root.
HOCON_AUTHENTICATION_PATH = ("stackstate", "api", "authentication")
HOCON_SHORT_AUTHENTICATION_PATH = ("authentication",)
HOCON_SECTIONS = (HOCON_AUTHENTICATION_PATH, HOCON_SHORT_AUTHENTICATION_PATH)

# Below the authentication section.
AUTH_SERVER_TYPE_SUFFIX = ("authServer", "authServerType")
BOOTSTRAP_SUFFIX = ("authServer", "serviceTokenAuthServer", "bootstrap")
