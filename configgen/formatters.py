"""Findings as text lines: pure functions, no I/O."""

from __future__ import annotations

from configgen.findings import Finding


def text_line(finding: Finding) -> str:
    """``path:line:col: severity: message [rule]``, the form editors and terminals link."""
    return f"{finding.location}: {finding.severity}: {finding.message} [{finding.rule}]"
