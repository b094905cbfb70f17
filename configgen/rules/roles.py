"""The roles given to the bootstrap token."""

from __future__ import annotations

from collections.abc import Iterable

from configgen import messages
from configgen.findings import Finding, Severity
from configgen.parsing.kinds import HELM
from configgen.parsing.unresolved import Unresolved
from configgen.product import quoting
from configgen.rules.base import Context, rule

NOT_LIST = rule(
    "roles-not-list",
    Severity.ERROR,
    "roles is not a list of strings.",
    """
    ``roles`` must be a list. The charts join it into HOCON, so a single string makes the
    render fail; the server reads it with ``getStringList``, which refuses a plain string.
    Items must be strings.

    Example: ``roles: stackstate-power-user``.
    Fix: ``roles: [stackstate-power-user]``.
""",
)

EMPTY = rule(
    "roles-empty",
    Severity.WARNING,
    "The token has no roles.",
    """
    A bootstrap token without roles authenticates but may do nothing; usually a mistake.

    Example: ``roles: []``.
    Fix: give it a role, e.g. ``[stackstate-power-user]``.
""",
)

UNKNOWN = rule(
    "role-unknown",
    Severity.WARNING,
    "A role that is not predefined.",
    """
    The role is not one of the predefined roles of the selected product (``--product``).
    Custom subjects are legitimate (``roles.custom``, ``sts rbac create-subject``), so this is
    a warning: check the spelling. Predefined roles differ by version: suse-observability 2.2
    removed ``stackstate-platform-admin``.

    Example: ``roles: [stackstate-power-users]``.
    Fix: correct the name, or disable the rule for custom subjects.
""",
)

UNQUOTED = rule(
    "role-unquoted-hocon",
    Severity.ERROR,
    "A role the chart would misread.",
    """
    The Helm charts copy ``roles`` into the server's HOCON configuration *without quotes*,
    joined by ``, ``. A role with a comma, space, quote, ``$``, ``#``, ``//``, brackets or
    similar is split into several roles, merged with its neighbour or breaks the configuration
    (an LDAP DN such as ``cn=admins,ou=x`` becomes two roles). Only reported for Helm values;
    the Linux HOCON file quotes roles.

    Example: ``roles: ["cn=admins,ou=groups"]``.
    Fix: map the group to a role name of letters, digits, ``-``, ``_`` and ``.``.
""",
)

RULES = (NOT_LIST, EMPTY, UNKNOWN, UNQUOTED)


def check(ctx: Context) -> Iterable[Finding]:
    """Type, emptiness, known names and HOCON-safety of the bootstrap roles."""
    doc = ctx.doc
    if not ctx.bootstrap_configured:
        return
    path = (*doc.bootstrap, "roles")
    roles = doc.get(path)
    if isinstance(roles, Unresolved):
        return
    if roles is None:
        yield ctx.finding(
            EMPTY,
            doc.bootstrap,
            "the bootstrap block has no roles: add roles, e.g. [stackstate-power-user]",
            at_key=True,
        )
        return
    if not isinstance(roles, list):
        yield ctx.finding(
            NOT_LIST,
            path,
            f"roles must be a list, not {messages.type_name(roles)}: write roles: [<role>]",
        )
        return
    if not roles:
        yield ctx.finding(
            EMPTY,
            path,
            "roles is empty: the token gets no permissions; add a role, e.g. stackstate-power-user",
        )
    for index, role in enumerate(roles):
        item = (*path, index)
        if isinstance(role, Unresolved):
            continue
        if not isinstance(role, str):
            # In Helm values the yaml11-scalar rule explains scalars read as non-strings.
            if doc.kind != HELM or isinstance(role, (list, dict)):
                yield ctx.finding(
                    NOT_LIST,
                    item,
                    f"roles[{index}] must be a string, not {messages.type_name(role)}: quote it",
                )
            continue
        shown = messages.shown(role, item)
        if doc.kind == HELM and not quoting.is_unquoted_hocon_safe(role):
            yield ctx.finding(
                UNQUOTED,
                item,
                f"role {shown} is copied into HOCON without "
                "quotes by the chart, where it is split or misread: use a role "
                "name of letters, digits, '-', '_' and '.'",
            )
        if role not in ctx.profile.known_roles:
            yield ctx.finding(
                UNKNOWN,
                item,
                f"role {shown} is not a predefined role of "
                f"{ctx.profile}{messages.did_you_mean(role, sorted(ctx.profile.known_roles))}; "
                "fine for a custom subject",
            )
