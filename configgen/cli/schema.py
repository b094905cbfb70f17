"""``configgen schema``: the shipped JSON Schemas, for editors and other tools."""

from __future__ import annotations

import click

from configgen.cli.base import emit
from configgen.resources import SCHEMA_NAMES


@click.command()
@click.argument("name", type=click.Choice(SCHEMA_NAMES))
def schema(name: str) -> None:
    """Print a shipped JSON Schema (for editors).

    Prints the schema NAME, e.g. for yaml-language-server.

    \b
    Example:
      configgen schema token-spec > token-spec.schema.json
    """
    from configgen import resources

    emit(resources.schema_text(name))
