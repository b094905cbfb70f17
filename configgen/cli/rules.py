"""``configgen rules`` and ``configgen schema``: what configgen checks, for people and editors."""

from __future__ import annotations

import click

from configgen.cli.base import main
from configgen.resources import SCHEMA_NAMES


@main.command()
@click.argument("name", type=click.Choice(SCHEMA_NAMES))
def schema(name: str) -> None:
    """Print the shipped JSON Schema NAME, e.g. for yaml-language-server.

    \b
    Example:
      configgen schema token-spec > token-spec.schema.json
    """
    from configgen import resources

    click.echo(resources.schema_text(name), nl=False)


@main.command()
@click.argument("rule_id", required=False, metavar="[RULE]")
def rules(rule_id: str | None) -> None:
    """List the lint rules, or show the documentation of RULE.

    \b
    Examples:
      configgen rules
      configgen rules ttl-invalid
    """
    from configgen.rules import catalogue

    known = catalogue()
    if rule_id is None:
        width = max(len(r) for r in known)
        for info in known.values():
            click.echo(f"{info.id:<{width}}  {info.severity!s:<7}  {info.summary}")
        return
    if rule_id not in known:
        from configgen.schema.validate import did_you_mean

        raise click.BadParameter(
            f"unknown rule {rule_id!r}{did_you_mean(rule_id, list(known))}", param_hint="RULE"
        )
    info = known[rule_id]
    click.echo(f"{info.id} ({info.severity}): {info.summary}\n\n{info.doc}")
