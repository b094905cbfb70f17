"""Typed command-line parameters: values are checked and converted while click parses them.

A bad value is a usage error (exit 2) naming the option, as click reports its own; shell
completion offers the known values.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click
from click.shell_completion import CompletionItem

if TYPE_CHECKING:
    from configgen.product.profiles import Profile

    # click 8.2 made ParamType generic; older versions cannot subscript it at run time.
    _ListParam = click.ParamType[tuple[str, ...]]
    _ProductParam = click.ParamType["Profile"]
else:
    _ListParam = _ProductParam = click.ParamType


class CommaList(_ListParam):
    """``a,b`` as ``("a", "b")``; with ``multiple=True``, use ``joined`` on the result
    (``--roles a,b --roles c``, the sts CLI's convention)."""

    name = "list"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, tuple):
            return value
        return tuple(part.strip() for part in str(value).split(",") if part.strip())


def joined(values: tuple[tuple[str, ...], ...]) -> list[str]:
    """The items of a repeated ``CommaList`` option, in order."""
    return [item for value in values for item in value]


class RuleList(CommaList):
    """Lint rule ids, comma-separated; unknown ids are a usage error with a suggestion."""

    name = "rule"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from configgen.messages import did_you_mean
        from configgen.rules import catalogue
        from configgen.rules.reading import UNCHECKED, UNCHECKED_MESSAGE

        rules = super().convert(value, param, ctx)
        known = list(catalogue())
        for rule_id in rules:
            if rule_id not in known:
                self.fail(
                    f"unknown rule {rule_id!r}{did_you_mean(rule_id, known)} "
                    "(configgen rules lists them)",
                    param,
                    ctx,
                )
            if rule_id in UNCHECKED:
                self.fail(f"{rule_id} {UNCHECKED_MESSAGE}", param, ctx)
        return rules

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        from configgen.rules import catalogue

        return [CompletionItem(r) for r in catalogue() if r.startswith(incomplete)]


class ProductType(_ProductParam):
    """A product line and version: ``suse-observability-2.3``, ``stackstate-5.1.3``..."""

    name = "product"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Profile:
        from configgen.product import profiles

        if isinstance(value, profiles.Profile):
            return value
        try:
            return profiles.parse(str(value))
        except profiles.ProfileError as err:
            self.fail(str(err), param, ctx)

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        from configgen.product import profiles

        return [CompletionItem(name) for name in profiles.PRODUCTS if name.startswith(incomplete)]


PRODUCT = ProductType()
RULES = RuleList()
COMMA_LIST = CommaList()
