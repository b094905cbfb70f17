"""The one door to the templates and schemas shipped inside the package.

They are read as plain files next to their (empty) packages: ``importlib.resources`` would be
the general way, but importing it costs ``lint`` a tenth of its start-up, and configgen is
always installed as files.  A zipped install falls back to ``importlib.resources``.
"""

from __future__ import annotations

import json
import os
from functools import cache
from typing import Any

SCHEMA_NAMES = ("token-spec", "helm-values", "hocon-authentication", "service-tokens")


def _read(package: str, name: str) -> str:
    """The text of resource ``name`` of ``package`` (``configgen.schemas``, ...)."""
    from importlib import import_module

    location = os.path.join(os.path.dirname(import_module(package).__file__ or ""), name)
    try:
        with open(location, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:  # pragma: no cover - only in a zipped install
        from importlib import resources

        return resources.files(package).joinpath(name).read_text("utf-8")


def schema_text(name: str) -> str:
    """The text of a shipped JSON Schema, by short name (see ``SCHEMA_NAMES``)."""
    if name not in SCHEMA_NAMES:
        raise KeyError(name)
    return _read("configgen.schemas", f"{name}.schema.json")


@cache
def schema(name: str) -> dict[str, Any]:
    """A shipped JSON Schema as a dict; parsed once per process."""
    loaded: dict[str, Any] = json.loads(schema_text(name))
    return loaded


def template_text(name: str) -> str:
    """The text of a shipped jinja2 template."""
    return _read("configgen.templates", name)
