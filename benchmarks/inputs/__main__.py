"""``python -m benchmarks.inputs DIR``: write the benchmark input tree into DIR."""

from __future__ import annotations

import sys
from pathlib import Path

from benchmarks.inputs.tree import write_tree


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m benchmarks.inputs DIR", file=sys.stderr)
        return 2
    tree = write_tree(Path(argv[0]))
    print(f"wrote {tree.file_count} files into {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
