"""Start-up stays light: --help, --version and shell completion import no heavy library.

Checked by ``sys.modules`` in a fresh interpreter, not by time (timings live in benchmarks/).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

HEAVY = ("jinja2", "jsonschema", "pyhocon", "ruamel", "yaml", "pyparsing")
PROGRAM = """
import json, sys
from configgen.cli import main
try:
    main(sys.argv[1:], prog_name="configgen")
except SystemExit:
    pass
print(json.dumps(sorted(m.split(".")[0] for m in sys.modules)), file=sys.stderr)
"""


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--help"], {}),
        (["--version"], {}),
        (["lint", "--help"], {}),
        (["render", "--help"], {}),
        ([], {"_CONFIGGEN_COMPLETE": "bash_source"}),
        ([], {"_CONFIGGEN_COMPLETE": "bash_complete", "COMP_WORDS": "configgen li",
              "COMP_CWORD": "1"}),
    ],
)  # fmt: skip
def test_no_heavy_import(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM, *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
        timeout=60,
    )
    loaded = set(json.loads(result.stderr.strip().splitlines()[-1]))
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
    assert result.stdout  # the command did print its help, version or completion script
