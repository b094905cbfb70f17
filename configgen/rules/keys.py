"""Keys the chart or the server silently ignores: misspellings and YAML duplicates."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from configgen import messages
from configgen.findings import Finding, JsonPath, Severity
from configgen.parsing.kinds import HELM
from configgen.rules.base import Context, rule

MISSPELLED = rule(
    "misspelled-key",
    Severity.ERROR,
    "A key on the token's path is misspelled.",
    """
    Go templates and the server's configuration look keys up by exact, case-sensitive name.
    A key that is almost right -- ``servicetoken`` (the spelling of several documentation
    versions), ``serviceTokens``, ``Bootstrap``, ``role``, and inside the login provider
    blocks ``scopes``, ``discoveryURI``, ``URL``, ``userquery``, ``jwtClaims.usernamefield``
    or ``groupField`` -- is silently ignored: no bootstrap token is created, or the provider
    runs without the setting. Reported with the spelling that is read.

    Example: ``stackstate.authentication.servicetoken.bootstrap.token``.
    Fix: use the suggested spelling (``serviceToken``).
""",
)

UNKNOWN = rule(
    "unknown-key",
    Severity.ERROR,
    "A key the chart or the server does not read.",
    """
    Anywhere under ``stackstate.authentication`` (Helm; the keys each chart version reads are
    configgen's own table, ``configgen.product.auth_section``) or in the
    ``serviceTokenAuthServer`` block (HOCON), a key that is not part of the configuration is
    ignored without a word: ``oidc.jwtClaims.displayNameField`` (no chart reads it), Rancher
    settings written under ``oidc:`` (``oidc.baseUrl``), a custom role's name written directly
    under ``roles`` (custom roles go under ``roles.custom.<name>``; the predefined ones are
    matched to the group names the login provider reports). Keys close to a real one are
    reported as ``misspelled-key`` instead.

    Example: ``serviceToken.bootstrap.expiry: 24h`` (the key is ``ttl``).
    Fix: remove the key or use one that is read; ``configgen schema`` shows them.
""",
)

DUPLICATE = rule(
    "duplicate-key",
    Severity.ERROR,
    "A YAML key is defined twice.",
    """
    Helm keeps only the last definition of a duplicated key and does not merge mappings, so a
    second ``bootstrap:`` (or ``authentication:``) block silently drops everything in the first,
    the token included.

    Example: two ``stackstate:`` blocks in one values file.
    Fix: merge the two definitions into one.
""",
)

RULES = (MISSPELLED, UNKNOWN, DUPLICATE)

# The path to the bootstrap block, level by level, with the other keys each level may hold.
_HELM_PATH: tuple[tuple[str, frozenset[str]], ...] = (
    ("stackstate", frozenset()),
    ("authentication", frozenset()),
)
_HOCON_FULL: tuple[tuple[str, frozenset[str]], ...] = (
    ("stackstate", frozenset()),
    ("api", frozenset({"authorization"})),
    ("authentication", frozenset({"authorization"})),
    ("authServer", frozenset({"basicAuth", "sessionLifetime", "enabled"})),
    ("serviceTokenAuthServer", frozenset({"stackstateAuthServer", "authServerType"})),
    ("bootstrap", frozenset()),
)


def spelled_as(key: str, wanted: str) -> bool:
    """True when ``key`` is ``wanted`` in other letter case or with ``_``/``-`` separators
    (``servicetoken``, ``Service_Token``), but not ``wanted`` itself: surely meant as it."""
    return key != wanted and key.replace("_", "").replace("-", "").lower() == wanted.lower()


def close_to(key: str, wanted: str) -> bool:
    """True when ``key`` is a likely misspelling of ``wanted`` (but not ``wanted`` itself):
    ``spelled_as``, or close enough (``serviceTokens``, ``bootstrap2``) to be reported."""
    if key == wanted:
        return False
    squashed = key.replace("_", "").replace("-", "").lower()
    if squashed == wanted.lower():
        return True
    import difflib  # a tenth of lint's start-up when imported by every run

    return difflib.SequenceMatcher(None, squashed, wanted.lower()).ratio() >= 0.85


def check(ctx: Context) -> Iterable[Finding]:
    """Misspellings along the token's path, and YAML duplicates."""
    yield from _misspellings(ctx)
    if ctx.doc.kind == HELM and ctx.doc.yaml is not None:
        for path, _position in ctx.doc.yaml.duplicates:
            yield ctx.finding(
                DUPLICATE,
                path,
                f"key {path[-1]!r} is defined again here; Helm "
                "keeps only this definition and drops the earlier one (mappings are "
                "not merged): merge them into one",
                at_key=True,
            )


def _misspellings(ctx: Context) -> Iterator[Finding]:
    if ctx.doc.kind == HELM:
        levels = _HELM_PATH
    elif ctx.doc.section == ("authentication",):
        levels = _HOCON_FULL[2:]
    else:
        levels = _HOCON_FULL
    path: JsonPath = ()
    for wanted, siblings in levels:
        mapping = ctx.doc.get(path)
        if not isinstance(mapping, dict):
            return
        for key in mapping:
            if key not in siblings and close_to(key, wanted) and wanted not in mapping:
                yield ctx.finding(
                    MISSPELLED,
                    (*path, key),
                    messages.ignored_key(key, wanted),
                    at_key=True,
                )
        if wanted not in mapping:
            return
        path = (*path, wanted)
