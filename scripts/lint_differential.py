"""The full differential test of ``configgen lint`` against the real charts.

    .venv/bin/python scripts/lint_differential.py                       # 1,000 per chart
    .venv/bin/python scripts/lint_differential.py --count 200 --chart 2.10.3
    .venv/bin/python scripts/lint_differential.py --seed 7 --out report.md

Generates ``--count`` variants of ``stackstate.authentication`` (``testing/auth_variants.py``,
default seed ``testing.differential.SEED``), judges each through every chart with real Helm and
Lightbend (``testing/helm_chart``) and with ``configgen lint --product <chart>``, and prints the
agreement per chart and the mix of kinds. ``--out`` writes the disagreements, grouped by family
with a minimal example each, as Markdown. The count defaults to ``$CONFIGGEN_DIFF_COUNT`` or
1,000. ``CONFIGGEN_DIFF_SOURCE=<checkout>`` lints with that checkout's ``configgen`` (another
worktree's branch) while keeping this one's oracle and generator. Exit status: 0 when every
chart agrees on every variant, 1 otherwise, 2 when an oracle is missing (helm, the chart
packages, java or the Lightbend jar).
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # for the testing package
SOURCE_ENV = "CONFIGGEN_DIFF_SOURCE"  # another checkout whose configgen is the one to lint with


def _use_configgen_from(checkout: Path) -> None:
    """Import ``configgen`` from ``checkout`` (another worktree), keeping this ``testing``."""
    package = checkout / "configgen"
    spec = importlib.util.spec_from_file_location(
        "configgen", package / "__init__.py", submodule_search_locations=[str(package)]
    )
    if spec is None or spec.loader is None:
        raise SystemExit(f"{SOURCE_ENV}: no configgen package in {checkout}")
    module = importlib.util.module_from_spec(spec)
    sys.modules["configgen"] = module
    spec.loader.exec_module(module)


if os.environ.get(SOURCE_ENV):
    _use_configgen_from(Path(os.environ[SOURCE_ENV]))

from testing import auth_variants, differential  # noqa: E402
from testing.helm_chart import CHART_IDS, ChartOracles  # noqa: E402
from testing.hocon_oracle import OracleMissing  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--count", type=int, default=int(os.environ.get("CONFIGGEN_DIFF_COUNT") or 1000)
    )
    parser.add_argument("--seed", type=int, default=differential.SEED)
    parser.add_argument(
        "--chart", action="append", choices=CHART_IDS, help="repeatable; default: all"
    )
    parser.add_argument("--out", type=Path, help="write the disagreements here (Markdown)")
    args = parser.parse_args(argv)
    charts = tuple(args.chart or CHART_IDS)
    generated = auth_variants.variants(args.count, args.seed)
    mix = auth_variants.mix(generated)
    print(f"{args.count} variants per chart, seed {args.seed}")
    print("kinds: " + ", ".join(f"{kind} {n}" for kind, n in mix.items()))
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="configgen-diff-") as workdir:
        try:
            oracles = ChartOracles(Path(workdir), ids=charts)
        except OracleMissing as err:
            print(f"oracle missing: {err}", file=sys.stderr)
            return 2
        runs = []
        for chart in charts:
            runs.append(differential.judge(oracles[chart], generated))
            print(runs[-1].figures(), flush=True)
    print(f"total {time.perf_counter() - start:.0f} s")
    if args.out:
        args.out.write_text(differential.report(runs, mix), encoding="utf-8")
        print(f"disagreements written to {args.out}")
    return 0 if all(not r.disagreements for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
