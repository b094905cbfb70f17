"""Start-up stays light: --help, --version and shell completion import no heavy library.

Checked by ``sys.modules`` in a fresh interpreter, not by time (timings live in benchmarks/).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from testing.paths import ROOT

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


# What ``lint`` of a values file must not load: other commands' libraries, the HOCON parser,
# and standard modules that cost a noticeable share of its start-up (see CONTRIBUTING).
NOT_FOR_LINT = (
    "configgen.server", "urllib.request", "http.client", "ssl", "socket",
    "configgen.render", "configgen.apply", "configgen.parsing.hocon", "configgen.cli.render",
    "jinja2", "jsonschema", "pyhocon", "ruamel", "pyparsing",
    "importlib.resources", "pathlib", "difflib", "tempfile",
)  # fmt: skip


def test_lint_of_a_values_file_loads_only_what_it_needs() -> None:
    """Only what lint itself loads counts: an editable install's finder imports pathlib at
    interpreter start, an installed configgen does not."""
    example = ROOT / "examples" / "authentication.yaml"
    program = "import sys\nbefore = set(sys.modules)\n" + PROGRAM.replace(
        'sorted(m.split(".")[0] for m in sys.modules)', "sorted(set(sys.modules) - before)"
    )
    result = subprocess.run(
        [sys.executable, "-c", program, "lint", str(example)],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.stdout == "no problems in 1 file\n"  # the command did run, on a real file
    loaded = set(json.loads(result.stderr.strip().splitlines()[-1]))
    unwanted = sorted(m for m in loaded if m.startswith(NOT_FOR_LINT))
    assert unwanted == []
