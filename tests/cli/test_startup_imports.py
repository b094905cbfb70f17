"""Start-up stays light: --help, --version and shell completion import no heavy library.

Checked by ``sys.modules`` in a fresh interpreter, not by time (timings live in benchmarks/).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

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
        (["service-token", "--help"], {}),
        (["service-token", "sync", "--help"], {}),
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


# The HTTP client of ``configgen service-token`` (and everything it pulls in) stays out of lint.
HTTP = ("configgen.server", "urllib.request", "http.client", "ssl", "socket")


def test_lint_does_not_import_the_http_client() -> None:
    example = Path(__file__).resolve().parent.parent / "examples" / "authentication.yaml"
    result = subprocess.run(
        [sys.executable, "-c", PROGRAM.replace('m.split(".")[0]', "m"), "lint", str(example)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    loaded = set(json.loads(result.stderr.strip().splitlines()[-1]))
    assert "configgen.lint" in loaded  # the command did run
    assert not {m for m in loaded if m.startswith(HTTP)}, sorted(
        m for m in loaded if m.startswith(HTTP)
    )
