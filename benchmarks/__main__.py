"""``python -m benchmarks`` (from the repository root)."""

import sys

from benchmarks.cli import main

sys.exit(main())
