"""Regenerate the golden reports in ``tests/golden/`` (cases: ``testing/golden.py``).

    .venv/bin/python scripts/update_golden.py          # rewrite the golden files
    .venv/bin/python scripts/update_golden.py --check  # exit 1 if any is out of date

Golden files are never edited by hand: change the formatter or the cases, run this script, and
review the diff.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for the testing package

from testing.golden import golden_files
from testing.paths import GOLDEN as GOLDEN_DIR


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
