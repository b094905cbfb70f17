"""What the report says about a run besides the samples: when, where, with what."""

from __future__ import annotations

from dataclasses import dataclass

VENV_COLUMNS = ("configgen", "peers", "editable", "peers (C ext)")  # keys of ``versions``


@dataclass
class RunInfo:
    invocation: str  # the command line, e.g. "python -m benchmarks --quick"
    date: str
    machine: dict[str, str]
    versions: dict[str, dict[str, str]]  # venv (VENV_COLUMNS) -> package -> version
    git: str
    package_hash: str
    load_start: str
    load_end: str
    wrapper_ms: float | None  # GNU time's own cost; None: /usr/bin/time is missing
    cpu_vs_wall: float
    many: int
    elapsed: str
    schema_state: str = ""  # of the peers' schema, against configgen's current one
    many_lines_values: int = 0
    many_lines_hocon: int = 0
