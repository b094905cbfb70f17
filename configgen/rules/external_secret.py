"""The token in an external Secret: ``fromExternalSecret`` in the values, and the Secret itself.

From suse-observability 2.2.0 the chart can load every authentication secret from a Secret that
is managed outside it (``stackstate.authentication.fromExternalSecret``), which keeps the token
out of a values file kept in Git.  The per-file rules check the values; ``check_manifests``
checks a manifest file on its own; ``check_pair`` checks a manifest against the values that
name its Secret (``configgen.lint.together`` pairs them).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from configgen import messages
from configgen.findings import Finding, Position, RuleInfo, Severity
from configgen.parsing.kinds import HELM
from configgen.product import auth_secret, tokens
from configgen.rules.base import Context, rule

if TYPE_CHECKING:  # the manifest reader is loaded only for files that are manifests
    from configgen.parsing.manifests import Manifest, ManifestFile
    from configgen.product.profiles import Profile

UNSUPPORTED = rule(
    "external-secret-unsupported",
    Severity.ERROR,
    "fromExternalSecret on a chart that does not read it.",
    """
    Only suse-observability 2.2.0 and later read ``stackstate.authentication.fromExternalSecret``.
    The stackstate 5.1 and stackstate-k8s 1.x charts (and suse-observability before 2.2.0)
    silently ignore it and write the token found in the values into the server's configuration:
    a placeholder there becomes the real token, and the Secret is never read.

    Example: ``fromExternalSecret: stackstate-auth`` with ``--product stackstate-5.1``.
    Fix: upgrade to suse-observability 2.2.0 or later, or remove the key and keep the token in
    the values (encrypted, or out of Git).
""",
)

NO_TOKEN = rule(
    "external-secret-no-token",
    Severity.ERROR,
    "fromExternalSecret with an empty values token: no bootstrap token is created.",
    """
    With ``fromExternalSecret`` the token comes from the Secret's ``bootstrap_token`` key, but
    the chart writes the bootstrap block (and ``serviceTokenAuthServer``) into the server's
    configuration only when ``serviceToken.bootstrap.token`` is non-empty *in the values*. The
    documented recipe -- put ``bootstrap_token`` in the Secret instead of the Helm value --
    therefore renders no bootstrap block, without any error, and the token is never created.
    Also reported when a Secret linted with the values holds ``bootstrap_token`` while the
    values have no token.

    Example: ``fromExternalSecret: ext`` and ``serviceToken.bootstrap.roles: [stackstate-admin]``
    without ``token``.
    Fix: set ``token: "<from the external Secret>"``, configgen's placeholder: any non-empty
    value makes the chart write the block, and the value itself is never used
    (``configgen render --external-secret`` and ``configgen apply --external-secret`` write it).
""",
)

INLINE_TOKEN = rule(
    "external-secret-inline-token",
    Severity.WARNING,
    "A real-looking token in the values while fromExternalSecret is set.",
    """
    With ``fromExternalSecret`` the server takes the token from the Secret; the values token
    only has to be non-empty and is never used. A token that is not a placeholder is then a
    secret committed with the values for nothing (and perhaps a different one from the token
    that works).

    Example: ``fromExternalSecret: ext`` with ``token: kQ3vX9pL2mN8rT5wZ7yBc4Hd``.
    Fix: replace it with ``"<from the external Secret>"`` (configgen's placeholder) and, if the
    file was committed, rotate the token.
""",
)

KEY_MISSING = rule(
    "external-secret-key-missing",
    Severity.ERROR,
    "The external Secret lacks a key the server's configuration refers to.",
    """
    A Secret, ExternalSecret or SealedSecret manifest linted with the values that name it in
    ``fromExternalSecret`` must provide every key the chart's configuration refers to:
    ``bootstrap_token`` (when the values set a token), ``default_password`` (no login provider
    configured), ``ldap_password`` (an LDAP ``bind``), ``oidc_client_id`` and ``oidc_secret``
    (OIDC or Rancher), ``keycloak_client_id`` and ``keycloak_secret``, and
    ``file_<username>_password`` per file login. A missing key stops the server at start-up (an
    unresolved substitution); an empty one gives it an empty secret. ``default_password`` is
    reported as a warning: it is needed only while no login provider is configured, and that
    may be done in a values file that was not linted with it. Keys an ExternalSecret takes from
    ``dataFrom`` or a template cannot be checked.

    Example: a Secret with ``bootstrap_token`` only, next to values that configure OIDC.
    Fix: add the keys the message names (``configgen render --external-secret`` writes them all,
    with comments saying what goes where).
""",
)

MANIFEST_INVALID = rule(
    "secret-manifest-invalid",
    Severity.ERROR,
    "A Secret manifest that Kubernetes or its operator would refuse.",
    """
    In a file of Kubernetes manifests (recognised by ``apiVersion`` and ``kind``, whatever the
    file is called), a Secret whose ``data`` values are not base64, whose ``stringData`` values
    are not strings (``yes``, ``123``), that has no name, or an ExternalSecret entry without its
    ``secretKey`` or ``remoteRef.key``, is refused when applied.

    Example: ``stringData: {bootstrap_token: 0x1234}`` (a number for YAML).
    Fix: quote the value, or use ``stringData`` for text instead of ``data``.
""",
)

RULES = (UNSUPPORTED, NO_TOKEN, INLINE_TOKEN, KEY_MISSING, MANIFEST_INVALID)

_FIELD = "fromExternalSecret"
_PLACEHOLDER = tokens.EXTERNAL_SECRET_PLACEHOLDER


def check(ctx: Context) -> Iterable[Finding]:
    """``fromExternalSecret`` in one values file: supported, and with a usable values token."""
    doc = ctx.doc
    if doc.kind != HELM:
        return
    name = auth_secret.external_secret(doc.get(doc.section))
    if name is None:
        return
    at = (*doc.section, _FIELD)
    if not ctx.profile.reads_external_secret:
        yield ctx.finding(
            UNSUPPORTED,
            at,
            f"{ctx.profile} does not read fromExternalSecret (suse-observability 2.2.0 and "
            "later do): the Secret is never loaded and the token in these values is used as "
            "it is; remove the key, or upgrade",
            at_key=True,
        )
        return
    if not ctx.bootstrap_configured:
        return
    token_path = (*doc.bootstrap, "token")
    token = doc.get(token_path)
    if not auth_secret.is_set(token):
        yield ctx.finding(
            NO_TOKEN,
            token_path if doc.has(token_path) else doc.bootstrap,
            _no_token_message(name),
            at_key=True,
        )
    elif isinstance(token, str) and not tokens.is_placeholder(token):
        yield ctx.finding(
            INLINE_TOKEN,
            token_path,
            f"with fromExternalSecret the server takes the token from Secret "
            f"{_shown(name)} (key bootstrap_token) and never uses this one: a secret "
            f'committed for nothing; write token: "{_PLACEHOLDER}" instead (and rotate the '
            "token if this file was committed)",
        )


def _no_token_message(name: str) -> str:
    return (
        "with fromExternalSecret the chart writes the bootstrap block only when "
        "serviceToken.bootstrap.token is non-empty in the values: as it is, no bootstrap "
        f"token is created and bootstrap_token in Secret {_shown(name)} is never used; set "
        f'token: "{_PLACEHOLDER}" (a placeholder: its value is not used)'
    )


def check_manifests(manifest_file: ManifestFile) -> Iterator[Finding]:
    """What Kubernetes or its operator would refuse in a manifest file."""
    for manifest in manifest_file.manifests:
        for problem in manifest.problems:
            yield _at(manifest_file.name, problem.position, MANIFEST_INVALID, problem.message)


def check_pair(
    section: object,
    values_name: str,
    values_at: Position,
    manifest_file: str,
    manifest: Manifest,
    profile: Profile,
) -> Iterator[Finding]:
    """A manifest against the values (``section``: ``stackstate.authentication`` as Helm merges
    the values files) whose ``fromExternalSecret`` names its Secret; ``values_at`` is where
    that key is written in ``values_name``."""
    name = _shown(manifest.secret_name or "")
    provided = manifest.keys.get(auth_secret.BOOTSTRAP_TOKEN)
    if provided is not None and not _requests_token(section):
        yield _at(
            values_name,
            values_at,
            NO_TOKEN,
            f"{manifest.kind} {name} ({messages.printable(manifest_file)}:"
            f"{provided.position.line}) holds "
            "bootstrap_token, but " + _no_token_message(manifest.secret_name or ""),
        )
    for key in auth_secret.required_keys(section, profile):
        held = manifest.keys.get(key.name)
        level = Severity.WARNING if key.assumed else Severity.ERROR
        why = " (needed while no login provider is configured)" if key.assumed else ""
        if held is None and manifest.complete:
            yield _at(
                manifest_file,
                manifest.keys_position,
                KEY_MISSING,
                f"{manifest.kind} {name} has no key {key.name}{why}: the server refers to "
                f"${{{key.name}}} and does not start without it; add {key.name}: {key.what}",
                level,
            )
        elif held is not None and held.empty:
            yield _at(
                manifest_file,
                held.position,
                KEY_MISSING,
                f"{key.name} is empty{why}: the server would get an empty value; fill in "
                f"{key.what}",
                level,
            )


def _requests_token(section: object) -> bool:
    """True when the values ask for a bootstrap token (a token, roles or a subject)."""
    bootstrap = auth_secret.bootstrap_of(section)
    return any(auth_secret.is_set(bootstrap.get(k)) for k in ("token", "roles", "dedicatedSubject"))


def _shown(name: str) -> str:
    """A Secret's name from an untrusted file: quoted, escaped, cut (never a secret)."""
    return messages.shown(name, (auth_secret.FROM_EXTERNAL_SECRET,))


def _at(
    name: str, position: Position, info: RuleInfo, message: str, severity: Severity | None = None
) -> Finding:
    return Finding(
        name, position.line, position.column, info.id, severity or info.severity, message
    )
