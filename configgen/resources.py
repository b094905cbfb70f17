"""The one door to the templates and schemas shipped inside the package."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

SCHEMA_NAMES = ("token-spec", "helm-values", "hocon-authentication", "service-tokens")


def schema_text(name: str) -> str:
    """The text of a shipped JSON Schema, by short name (see ``SCHEMA_NAMES``)."""
    if name not in SCHEMA_NAMES:
        raise KeyError(name)
    return resources.files("configgen.schemas").joinpath(f"{name}.schema.json").read_text("utf-8")


@cache
def schema(name: str) -> dict[str, Any]:
    """A shipped JSON Schema as a dict; parsed once per process."""
    loaded: dict[str, Any] = json.loads(schema_text(name))
    return loaded


def template_text(name: str) -> str:
    """The text of a shipped jinja2 template."""
    return resources.files("configgen.templates").joinpath(name).read_text("utf-8")
