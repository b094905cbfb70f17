"""What the selected product version (``--product``) ignores or rejects."""

from __future__ import annotations

import re
from collections.abc import Iterable

from configgen.findings import Finding, JsonPath, Severity
from configgen.parsing.kinds import HELM
from configgen.rules.base import Context, rule

UNSUPPORTED = rule(
    "bootstrap-unsupported",
    Severity.ERROR,
    "This version has no bootstrap token.",
    """
    The stackstate chart and server before 5.1.3 do not support a bootstrap service token: the
    values are ignored (and 5.1.0-5.1.2 servers fail to start with it in their configuration).

    Example: a bootstrap block with ``--product stackstate-5.1.2``.
    Fix: upgrade to 5.1.3 or later, or create the token with ``sts service-token create``.
""",
)

IGNORED = rule(
    "ignored-by-version",
    Severity.ERROR,
    "A bootstrap key this version ignores.",
    """
    ``bootstrap.dedicatedSubject`` is read from suse-observability 2.3.6 on; earlier charts
    and servers drop it without a word, so the token would not get the subject asked for.
    ``configgen render`` writes it whenever the spec has one: lint the output with the
    ``--product`` it is meant for. Other keys of ``stackstate.authentication`` the selected
    version does not read are ``auth-key-not-read`` errors.

    Example: ``dedicatedSubject: ci`` with ``--product suse-observability-2.3.5``.
    Fix: upgrade, or remove the key.
""",
)

USERNAME = rule(
    "file-login-username",
    Severity.ERROR,
    "A file-login username the chart rejects.",
    """
    From suse-observability 2.2.0 the chart fails the render when a ``file.logins[].username``
    has characters other than letters, digits and ``_``.

    Example: ``username: jane.doe``.
    Fix: ``username: jane_doe``.
""",
)

RULES = (UNSUPPORTED, IGNORED, USERNAME)
_USERNAME = re.compile(r"[A-Za-z0-9_]+")


def check(ctx: Context) -> Iterable[Finding]:
    """Version-dependent support."""
    doc, profile = ctx.doc, ctx.profile
    if ctx.bootstrap_configured and not profile.supports_bootstrap_token:
        yield ctx.finding(
            UNSUPPORTED,
            doc.bootstrap,
            f"{profile} does not support a bootstrap token (5.1.3 or later does): it is ignored",
            at_key=True,
        )
    if not profile.supports_bootstrap_token and doc.kind == HELM:
        for path in _misspelled_bootstrap_blocks(ctx):
            yield ctx.finding(
                UNSUPPORTED,
                path,
                f"{profile} does not support a bootstrap token (5.1.3 or later does): even "
                "spelled right, this block would be ignored",
                at_key=True,
            )
    subject = (*doc.bootstrap, "dedicatedSubject")
    if doc.get(subject) not in (None, "") and not profile.reads_dedicated_subject:
        yield ctx.finding(
            IGNORED,
            subject,
            f"dedicatedSubject is ignored by {profile} (read from suse-observability 2.3.6 on)",
            at_key=True,
        )
    if doc.kind != HELM:
        return
    section = doc.section
    logins = doc.get((*section, "file", "logins"))
    if profile.checks_file_login_usernames and isinstance(logins, list):
        for index, login in enumerate(logins):
            name = login.get("username") if isinstance(login, dict) else None
            if isinstance(name, str) and not _USERNAME.fullmatch(name):
                path = (*section, "file", "logins", index, "username")
                yield ctx.finding(
                    USERNAME,
                    path,
                    f"username {name!r} is rejected by {profile}: use only letters, digits and _",
                )


def _misspelled_bootstrap_blocks(ctx: Context) -> list[JsonPath]:
    """Misspelled ``serviceToken``/``bootstrap`` keys whose block asks for a token: on versions
    without bootstrap tokens the misspelling is not the only problem."""
    from configgen.rules.keys import close_to

    section = ctx.doc.get(ctx.doc.section)
    found: list[JsonPath] = []
    if not isinstance(section, dict):
        return found
    for key, block in section.items():
        if not isinstance(block, dict) or not (
            key == "serviceToken" or close_to(key, "serviceToken")
        ):
            continue
        for inner, bootstrap in block.items():
            if key == "serviceToken" and inner == "bootstrap":
                continue  # spelled right: bootstrap_configured covers it
            if (inner == "bootstrap" or close_to(inner, "bootstrap")) and _asks(bootstrap):
                found.append(
                    (*ctx.doc.section, key)
                    if key != "serviceToken"
                    else (*ctx.doc.section, key, inner)
                )
    return found


def _asks(bootstrap: object) -> bool:
    return isinstance(bootstrap, dict) and any(
        bootstrap.get(k) not in (None, "", []) for k in ("token", "roles")
    )
