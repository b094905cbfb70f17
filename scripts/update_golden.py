"""Regenerate the golden reports in ``tests/golden/`` from a fixed set of findings.

    .venv/bin/python scripts/update_golden.py          # rewrite the golden files
    .venv/bin/python scripts/update_golden.py --check  # exit 1 if any is out of date

Golden files are never edited by hand: change the formatter or the cases below, run this
script, and review the diff.  ``tests/test_formatters.py`` imports ``golden_files()`` from here
and compares its output with the files byte for byte.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from configgen.findings import Finding, RuleInfo, Severity
from configgen.lint.formats import FORMATS, format_report

GOLDEN_DIR = Path(__file__).resolve().parent.parent / "tests" / "golden"
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate tests/golden/.")
    parser.add_argument("--check", action="store_true", help="report stale files, write none")
    args = parser.parse_args(argv)
    expected = golden_files()
    stale = sorted(
        name
        for name, text in expected.items()
        if not (GOLDEN_DIR / name).exists() or (GOLDEN_DIR / name).read_bytes() != text.encode()
    )
    extra = (
        sorted(path.name for path in GOLDEN_DIR.glob("*.*") if path.name not in expected)
        if GOLDEN_DIR.exists()
        else []
    )
    if args.check:
        for name in [*stale, *extra]:
            print(f"out of date: tests/golden/{name}")
        return 1 if stale or extra else 0
    GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
    for name in stale:
        (GOLDEN_DIR / name).write_bytes(expected[name].encode())
        print(f"wrote tests/golden/{name}")
    for name in extra:
        (GOLDEN_DIR / name).unlink()
        print(f"removed tests/golden/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
