"""What every rule module gets: the ``Context`` of one file and a way to make findings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple, Protocol

from configgen.findings import Finding, JsonPath, RuleInfo, Severity
from configgen.parsing.documents import ConfigDocument
from configgen.parsing.kinds import HELM
from configgen.product import auth_secret
from configgen.product.profiles import Profile

_REQUESTING_KEYS = ("token", "roles", "dedicatedSubject")


def rule(rule_id: str, severity: Severity, summary: str, doc: str) -> RuleInfo:
    """A ``RuleInfo`` with its documentation dedented."""
    return RuleInfo(rule_id, severity, summary, cleandoc(doc))


def cleandoc(doc: str) -> str:
    """``doc`` without its common indentation and surrounding blank lines.

    What ``inspect.cleandoc`` does for these texts, without importing ``inspect`` (a tenth of
    lint's start-up): the first line loses its indentation, the others the smallest indentation
    among their non-blank lines; empty lines at either end go.
    """
    lines = doc.expandtabs().split("\n")
    rest = lines[1:]
    margin = min((len(line) - len(line.lstrip()) for line in rest if line.lstrip()), default=0)
    cleaned = [lines[0].lstrip(), *(line[margin:] for line in rest)]
    while cleaned and not cleaned[-1]:
        cleaned.pop()
    while cleaned and not cleaned[0]:
        cleaned.pop(0)
    return "\n".join(cleaned)


class Context(NamedTuple):
    """One file being linted, with the options that change what the rules report."""

    doc: ConfigDocument
    profile: Profile
    require_token: bool = False

    def finding(
        self,
        info: RuleInfo,
        path: JsonPath,
        message: str,
        *,
        at_key: bool = False,
        severity: Severity | None = None,
    ) -> Finding:
        """A finding of ``info`` at ``path`` (its key with ``at_key``)."""
        pos = self.doc.position(path, key=at_key)
        return Finding(
            self.doc.name,
            pos.line,
            pos.column,
            info.id,
            severity or info.severity,
            message,
            path,
        )

    def bootstrap_value(self, key: str) -> Any:
        """A value of the bootstrap block (``None`` if absent)."""
        return self.doc.get((*self.doc.bootstrap, key))

    @property
    def bootstrap_configured(self) -> bool:
        """True when the file asks for a bootstrap token.

        The charts' default values carry an empty block (``token: ""``, ``roles: []``) and
        render nothing for it, so only a non-empty token, roles or subject count.
        """
        if not isinstance(self.doc.get(self.doc.bootstrap), dict):
            return False
        return any(self.bootstrap_value(k) not in (None, "", []) for k in _REQUESTING_KEYS)

    @property
    def external_secret(self) -> str | None:
        """The Secret the token comes from when these values name one in ``fromExternalSecret``
        and the product reads it; the values token is then a placeholder, never the token."""
        if self.doc.kind != HELM or not self.profile.reads_external_secret:
            return None
        return auth_secret.external_secret(self.doc.get(self.doc.section))


class RuleModule(Protocol):
    """The shape of a module in ``configgen.rules``."""

    RULES: tuple[RuleInfo, ...]

    def check(self, ctx: Context) -> Iterable[Finding]:
        """The findings of this module's rules in one file."""
