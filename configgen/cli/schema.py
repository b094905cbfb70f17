"""``configgen schema``: the shipped JSON Schemas, for editors, other tools and Helm."""

from __future__ import annotations

import click

from configgen.cli.base import emit
from configgen.cli.params import PRODUCT
from configgen.resources import SCHEMA_NAMES


@click.command()
@click.argument("name", type=click.Choice(SCHEMA_NAMES))
@click.option(
    "--product",
    type=PRODUCT,
    default=None,
    metavar="NAME[-VERSION]",
    help="For helm-values: the chart line and version whose authentication section to "
    "describe (stackstate-5.1, stackstate-k8s-1.12, suse-observability-2.10...; default "
    "suse-observability, its newest version).",
)
def schema(name: str, product: object) -> None:
    """Print a JSON Schema (for editors, or a chart's values.schema.json).

    Prints the schema NAME, e.g. for yaml-language-server. ``helm-values`` is built for one
    chart: put it into the chart as ``values.schema.json`` and ``helm lint``, ``helm template``
    and ``helm install`` refuse values that break the authentication section.

    \b
    Examples:
      configgen schema token-spec > token-spec.schema.json
      configgen schema helm-values --product suse-observability-2.10 \\
          > suse-observability/values.schema.json
    """
    if name == "helm-values":
        from configgen.product import profiles
        from configgen.schema import helm_values

        chosen = product if product is not None else profiles.parse(profiles.DEFAULT)
        emit(helm_values.text(chosen))  # type: ignore[arg-type]
        return
    if product is not None:
        raise click.UsageError("--product applies to the helm-values schema only")
    from configgen import resources

    emit(resources.schema_text(name))
