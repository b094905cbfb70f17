"""``python benchmarks/run.py``: the same as ``python -m benchmarks`` (kept for old habits)."""

import sys
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)  # the package, not this directory

from benchmarks.cli import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main())
