"""Inline suppression comments.

``# configgen: disable-line=RULE[,RULE]`` silences those rules on its own line -- or on the next
line when the comment stands alone.  ``# configgen: disable-file[=RULE[,RULE]]`` silences rules
(all without a list) for the whole file.  ``//`` comments work too in HOCON.  Findings that
mean the file was not checked (``rules.reading.UNCHECKED``) are never silenced: ``lint.run``
keeps them whatever the directives say.
"""

from __future__ import annotations

import re

from configgen.findings import Finding

ALL = "*"
_DIRECTIVE = re.compile(
    r"(?:#|//)\s*configgen:\s*(?P<what>disable-line|disable-file)(?:\s*=\s*(?P<rules>[\w-]+(?:\s*,\s*[\w-]+)*))?"
)


class Suppressions:
    """Rules silenced for the whole file and per line (1-based).

    A plain class, not a data class: ``dataclasses`` is kept off the lint path (CONTRIBUTING).
    """

    __slots__ = ("file_rules", "line_rules")

    def __init__(
        self, file_rules: set[str] | None = None, line_rules: dict[int, set[str]] | None = None
    ) -> None:
        self.file_rules: set[str] = set() if file_rules is None else file_rules
        self.line_rules: dict[int, set[str]] = {} if line_rules is None else line_rules

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Suppressions):
            return NotImplemented
        return (self.file_rules, self.line_rules) == (other.file_rules, other.line_rules)

    __hash__ = None  # type: ignore[assignment]  # mutable, like the data class it replaces

    def silences(self, finding: Finding) -> bool:
        """True when a directive covers this finding."""
        if ALL in self.file_rules or finding.rule in self.file_rules:
            return True
        rules = self.line_rules.get(finding.line, set())
        return ALL in rules or finding.rule in rules


def parse(text: str) -> Suppressions:
    """The directives in ``text``."""
    found = Suppressions()
    if "configgen:" not in text:
        return found
    for number, line in enumerate(text.splitlines(), start=1):
        match = _DIRECTIVE.search(line)
        if match is None:
            continue
        listed = match.group("rules")
        rules = {r.strip() for r in listed.split(",") if r.strip()} if listed else {ALL}
        if match.group("what") == "disable-file":
            found.file_rules |= rules
            continue
        alone = not line[: match.start()].strip()
        target = number + 1 if alone else number
        found.line_rules.setdefault(target, set()).update(rules)
    return found
