"""Deterministic, realistic benchmark inputs: Helm values files and HOCON server configuration.

- ``values``: values files as users keep them next to the StackState / SUSE Observability
  charts (many unrelated sections plus ``stackstate.authentication`` with a bootstrap token);
- ``hocon``: ``application_stackstate.conf``-like files with the ``authServer`` block;
- ``anchors``: a large values file full of aliases and merge keys, and a merge-key bomb;
- ``content``: the vocabulary and the blocks the values files share; ``emit``: the writers;
- ``tree``: the whole input tree of a benchmark run.

Every file is generated from a seeded ``random.Random``: the same seed and size give the same
bytes on every machine and Python version.  Every file but the merge-key bomb is clean for every
tool that reads it (the harness's validation run checks it).

    python -m benchmarks.inputs DIR     # write the benchmark input tree into DIR (for a look)
"""

from benchmarks.inputs.tree import (
    ALIASES_BYTES,
    APPLY_TOKEN,
    APPLY_TOKEN_ENV,
    GROWTH_LINES,
    MANY,
    MANY_LINES,
    SINGLE_LINES,
    Tree,
    line_count,
    write_tree,
)

__all__ = [
    "ALIASES_BYTES",
    "APPLY_TOKEN",
    "APPLY_TOKEN_ENV",
    "GROWTH_LINES",
    "MANY",
    "MANY_LINES",
    "SINGLE_LINES",
    "Tree",
    "line_count",
    "write_tree",
]
