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
    _TextParam = click.ParamType[str]
else:
    _ListParam = _ProductParam = _TextParam = click.ParamType


class CommaList(_ListParam):
    """``a,b`` as ``("a", "b")``; with ``multiple=True``, use ``joined`` on the result
    (``--roles a,b --roles c``, the sts CLI's convention)."""

    name = "list"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, ...]:
        if isinstance(value, tuple):
            return value
        return tuple(part.strip() for part in str(value).split(",") if part.strip())


def joined(values: tuple[tuple[str, ...], ...]) -> list[str]:
    """The items of a repeated ``CommaList`` option, in order."""
    return [item for value in values for item in value]


class RuleList(CommaList):
    """Lint rule ids, comma-separated; unknown ids are a usage error with a suggestion."""

    name = "rule"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> tuple[str, ...]:
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


class SecretName(_TextParam):
    """The name of a Kubernetes Secret (an RFC 1123 DNS subdomain)."""

    name = "secret"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from configgen.product import auth_secret

        text = str(value)
        if len(text) > auth_secret.SECRET_NAME_MAX or not auth_secret.SECRET_NAME.fullmatch(text):
            self.fail(
                f"{text!r} is not a Kubernetes Secret name: lower-case letters, digits, '-' and "
                "'.', starting and ending with a letter or digit (e.g. stackstate-auth)",
                param,
                ctx,
            )
        return text


class VariableName(_TextParam):
    """An environment variable for the token: upper case, so it names no configuration path."""

    name = "variable"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        from configgen.product import linux_env

        text = str(value)
        if not linux_env.VARIABLE.fullmatch(text):
            self.fail(
                f"{text!r} is not a variable name configgen writes: use upper-case letters, "
                "digits and '_' (e.g. STS_BOOTSTRAP_TOKEN); lower-case names could name a path "
                "of the configuration instead of the environment",
                param,
                ctx,
            )
        return text


PRODUCT = ProductType()
SECRET_NAME = SecretName()
VARIABLE_NAME = VariableName()
RULES = RuleList()
COMMA_LIST = CommaList()
