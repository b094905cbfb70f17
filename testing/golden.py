"""The golden report cases: a fixed set of findings and the exact report of every format.

``tests/lint/test_formats.py`` compares ``golden_files()`` with ``tests/golden/`` byte for byte;
``scripts/update_golden.py`` writes them.  Golden files are never edited by hand: change the
formatter or the cases here, run the script, and review the diff.
"""

from __future__ import annotations

from collections.abc import Sequence

from configgen.findings import Finding, RuleInfo, Severity
from configgen.lint.formats import FORMATS, format_report

TOOL_VERSION = "1.2.3"  # fixed, so that a release does not change the golden files

BOOTSTRAP = ("stackstate", "authentication", "serviceToken", "bootstrap")
ODD_PATH = "charts/my values, v2: prod.yaml"  # a space, a comma and a colon
UNICODE_PATH = "conf/régions/application.conf"

RULES = (
    RuleInfo(
        "missing-bootstrap-token",
        Severity.ERROR,
        "The bootstrap service token is not configured.",
        "Without stackstate.authentication.serviceToken.bootstrap.token the server starts\n"
        "with no way to authenticate the first API client.\n",
    ),
    RuleInfo("unknown-role", Severity.ERROR, "A bootstrap role does not exist.", ""),
    RuleInfo(
        "ttl-format",
        Severity.WARNING,
        "The token TTL is not a duration.",
        "Write the TTL as a duration such as 24h or 7d.",
    ),
    RuleInfo(
        "token-in-plaintext",
        Severity.WARNING,
        "The token is written in plain text.",
        "Reference a Kubernetes secret instead of writing the token into values.",
    ),
    RuleInfo(
        "unused-key",
        Severity.INFO,
        "A key is not read by StackState.",
        "StackState ignores the key; remove it or fix its spelling.",
    ),
)

# "legacy-key" is deliberately absent from RULES: SARIF must still report it (ruleId only).
FINDINGS = tuple(
    sorted(
        [
            Finding(
                "values.yaml",
                0,
                0,
                "missing-bootstrap-token",
                Severity.ERROR,
                "no bootstrap token is configured; set " + ".".join(BOOTSTRAP) + ".token",
            ),
            Finding(
                "values.yaml",
                12,
                7,
                "ttl-format",
                Severity.WARNING,
                'ttl "24 hours" is not a duration; write 24h',
                (*BOOTSTRAP, "ttl"),
            ),
            Finding(
                "values.yaml",
                14,
                9,
                "unknown-role",
                Severity.ERROR,
                'role "admin%" is not defined:\nuse one of stackstate-admin, stackstate-k8s-admin',
                (*BOOTSTRAP, "roles", 0),
            ),
            Finding(
                ODD_PATH,
                3,
                1,
                "token-in-plaintext",
                Severity.WARNING,
                "the token is in plain text: reference a secret instead",
                (*BOOTSTRAP, "token"),
            ),
            Finding(
                ODD_PATH,
                7,
                5,
                "legacy-key",
                Severity.INFO,
                "key 'it's' comes from chart 4.x",
                ("stackstate", "features", "it's", 2),
            ),
            Finding(
                UNICODE_PATH,
                5,
                3,
                "unused-key",
                Severity.INFO,
                "clé « région » n\u2019est pas lue — remove it ✓",
                ("stackstate", "api", "a.b-c", "clé", "", "tab\there"),
            ),
        ]
    )
)

CASES: dict[str, tuple[Sequence[Finding], int]] = {
    "mixed": (FINDINGS, 4),
    "clean": ((), 3),
}
FILE_NAMES = {"json": "json", "sarif": "sarif.json"}  # by format; others: {variant}.txt


def golden_files() -> dict[str, str]:
    """Every golden file's name and exact content."""
    files: dict[str, str] = {}
    for case, (findings, files_checked) in CASES.items():
        for fmt in FORMATS:
            variants = {fmt: False, "text-color": True} if fmt == "text" else {fmt: False}
            for name, color in variants.items():
                report = format_report(
                    findings,
                    fmt=fmt,
                    rules=RULES,
                    files_checked=files_checked,
                    color=color,
                    tool_version=TOOL_VERSION,
                )
                files[f"{case}.{FILE_NAMES.get(name, name + '.txt')}"] = report
    return files
