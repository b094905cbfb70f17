"""``configgen rules``: what lint checks, rule by rule."""

from __future__ import annotations

import click

from configgen.cli.base import emit, show


@click.command()
@click.argument("rule_id", required=False, metavar="[RULE]")
def rules(rule_id: str | None) -> None:
    """List the lint rules, or explain one.

    Without RULE, lists every rule with its default severity; with RULE, prints its
    documentation: what it reports, an example, and the fix.

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
            show(f"{info.id:<{width}}  {info.severity!s:<7}  {info.summary}")
        return
    if rule_id not in known:
        from configgen.messages import did_you_mean

        raise click.BadParameter(
            f"unknown rule {rule_id!r}{did_you_mean(rule_id, list(known))}", param_hint="RULE"
        )
    info = known[rule_id]
    emit(f"{info.id} ({info.severity}): {info.summary}\n\n{info.doc}\n")
