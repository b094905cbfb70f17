"""Where the harness finds the tools it times and keeps what it installs (all in ``.bench/``)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE = REPO / ".bench"
PEERS_VENV = CACHE / "peers-venv"
PEERS_CLIB_VENV = CACHE / "peers-clib-venv"  # check-jsonschema with ruamel's C extension
CONFIGGEN_VENV = CACHE / "configgen-venv"
EDITABLE_VENV = REPO / ".venv"
SCHEMA = HERE / "schemas" / "authentication-section.schema.json"
TOKEN_SPEC = REPO / "examples" / "token-spec.yaml"  # the spec configgen apply reads
