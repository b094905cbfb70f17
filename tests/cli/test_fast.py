"""The fast paths (``cli/fast.py``: plain ``lint``, ``--help``, ``--version``) answer exactly as
the click program does.

Each command line runs twice in a fresh interpreter: through the console script's ``run``
(fast where it can be) and through the click program ``cli.base.main`` alone. Output, errors
and exit code must be identical, and the fast path must really be taken where it claims to be
(click is not imported) and left where it must not be.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from configgen.cli import fast
from testing.paths import ROOT

EXAMPLES = ROOT / "examples"
BAD_HELM = ROOT / "tests" / "data" / "lint" / "helm" / "invalid"

RUN = """
import json, sys
sys.argv[0] = "configgen"
try:
    if sys.argv.pop(1) == "fast":
        from configgen.cli.fast import run
        run()
    else:
        from configgen.cli.base import main
        main(prog_name="configgen")
finally:
    print("\\n" + json.dumps("click" in sys.modules), file=sys.stderr)
"""


def run(way: str, args: list[str], cwd: Path, env: dict[str, str] | None = None
        ) -> tuple[int, str, str, bool]:  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", RUN, way, *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, "NO_COLOR": "", "GITHUB_ACTIONS": "", **(env or {})},
        timeout=60,
        check=False,
    )
    *stderr, used_click = result.stderr.rstrip("\n").split("\n")
    return result.returncode, result.stdout, "\n".join(stderr), json.loads(used_click)


def _bad_files() -> list[str]:
    files = sorted(str(p) for p in BAD_HELM.glob("*.yaml"))[:6]
    assert len(files) == 6
    return files


FAST = [
    ["lint", str(EXAMPLES / "authentication.yaml")],
    ["lint", str(EXAMPLES / "application_stackstate.conf")],
    ["lint", "--kind", "helm", str(EXAMPLES / "authentication.yaml")],
    ["lint", "--kind=hocon", str(EXAMPLES / "application_stackstate.conf")],
    ["lint", str(EXAMPLES / "authentication.yaml"), "--product", "stackstate-5.1"],
    ["lint", "--product=stackstate-k8s-1", str(EXAMPLES / "authentication.yaml")],
    ["lint", "--format", "json", str(EXAMPLES / "authentication.yaml")],
    ["lint", "--format=parsable", "--strict", *_bad_files()],
    ["lint", "--format", "sarif", *_bad_files()],
    ["lint", "--format", "github", *_bad_files()],
    ["lint", *_bad_files()],
    ["lint", "--no-config", "missing.yaml", str(EXAMPLES / "authentication.yaml")],
    ["lint", "--kind", "helm", str(EXAMPLES)],  # a directory: a finding, not a usage error
]

CLICK = [
    ["lint"],
    ["lint", "--help"],
    ["lint", "-"],
    ["lint", "--kind", "yaml", "f.yaml"],
    ["lint", "--kind"],
    ["lint", "--kind", "--strict", "f.yaml"],
    ["lint", "--product", "stackstate-9", "f.yaml"],
    ["lint", "--format", "xml", "f.yaml"],
    ["lint", "--strict=yes", "f.yaml"],
    ["lint", "--kind", "helm", "--kind", "hocon", "f.yaml"],
    ["lint", "--disable", "ttl-format", "f.yaml"],
    ["lint", "--", "f.yaml"],
    ["rules"],
    ["--help", "lint"],
    ["-h", "-V"],
    ["--help=yes"],
    [],
]

# The pages written without click (``cli.help_text``); ``--help`` at several terminal widths.
PAGES = [["--version"], ["-V"], ["--help"], ["-h"]]
COLUMNS = ["", "40", "60", "80", "120", "200"]


@pytest.mark.parametrize("args", FAST, ids=lambda a: " ".join(Path(x).name for x in a))
def test_fast_lines_answer_as_click_does(args: list[str], tmp_path: Path) -> None:
    fast_code, fast_out, fast_err, fast_click = run("fast", args, tmp_path)
    code, out, err, _ = run("click", args, tmp_path)
    assert (fast_code, fast_out, fast_err) == (code, out, err)
    assert not fast_click, "the fast path imported click"
    assert out or err  # the command did report something


@pytest.mark.parametrize("args", CLICK, ids=lambda a: " ".join(a) or "(none)")
def test_other_lines_go_to_click(args: list[str], tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_text("stackstate: {}\n")
    fast_code, fast_out, fast_err, fast_click = run("fast", args, tmp_path)
    code, out, err, _ = run("click", args, tmp_path)
    assert (fast_code, fast_out, fast_err) == (code, out, err)
    assert fast_click


@pytest.mark.parametrize("columns", COLUMNS)
@pytest.mark.parametrize("args", PAGES, ids=" ".join)
def test_pages_read_as_clicks(args: list[str], columns: str, tmp_path: Path) -> None:
    env = {"COLUMNS": columns}
    fast_code, fast_out, fast_err, fast_click = run("fast", args, tmp_path, env)
    assert (fast_code, fast_out, fast_err) == run("click", args, tmp_path, env)[:3]
    assert fast_code == 0
    assert fast_out.startswith(("configgen, version", "Usage: configgen"))
    assert not fast_click, "the page imported click"


def test_pages_are_left_to_click_for_completion(tmp_path: Path) -> None:
    env = {"_CONFIGGEN_COMPLETE": "bash_source"}
    assert run("fast", ["--help"], tmp_path, env=env)[3]


def test_an_invalid_project_configuration_is_clicks_usage_error(tmp_path: Path) -> None:
    (tmp_path / ".configgen.yaml").write_text("disable: [no-such-rule]\n")
    args = ["lint", str(EXAMPLES / "authentication.yaml")]
    fast_code, fast_out, fast_err, fast_click = run("fast", args, tmp_path)
    assert (fast_code, fast_out, fast_err) == run("click", args, tmp_path)[:3]
    assert fast_code == 2
    assert "no-such-rule" in fast_err
    assert fast_click


def test_a_project_configuration_is_read_on_the_fast_path(tmp_path: Path) -> None:
    (tmp_path / ".configgen.yaml").write_text("product: stackstate-5.1.15\nrequire-token: true\n")
    (tmp_path / "v.yaml").write_text("stackstate:\n  authentication: {}\n")
    fast_result = run("fast", ["lint", "v.yaml"], tmp_path)
    assert fast_result[:3] == run("click", ["lint", "v.yaml"], tmp_path)[:3]
    assert fast_result[0] == 1
    assert not fast_result[3]


def test_a_stdout_that_is_not_utf8_goes_to_click(tmp_path: Path) -> None:
    args = ["lint", str(EXAMPLES / "authentication.yaml")]
    result = run("fast", args, tmp_path, env={"PYTHONIOENCODING": "latin-1"})
    assert result[0] == 0
    assert result[3]


def test_completion_goes_to_click(tmp_path: Path) -> None:
    env = {"_CONFIGGEN_COMPLETE": "bash_complete", "COMP_WORDS": "configgen lint x",
           "COMP_CWORD": "2"}  # fmt: skip
    assert run("fast", ["lint", "x.yaml"], tmp_path, env=env)[3]


def test_parse() -> None:
    assert fast.parse(["lint", "a", "--kind", "helm", "b", "--strict"]) == (
        ("a", "b"),
        {"--kind": "helm", "--strict": ""},
    )
    assert fast.parse(["lint", "--format=json", "a"]) == (("a",), {"--format": "json"})
    for args in (["render", "a"], ["lint", "--strict"], ["lint", "--no-config=1", "a"],
                 ["lint", "--product", "", "a"], ["lint", "-x", "a"]):  # fmt: skip
        assert fast.parse(args) is None, args


# -- in process, for the parts a subprocess hides from coverage ---------------------------------


def _run_in_process(
    args: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "argv", ["configgen", *args])
    monkeypatch.setattr(fast, "_utf8", lambda stream: True)  # pytest's capture is not a tty
    monkeypatch.delenv("_CONFIGGEN_COMPLETE", raising=False)
    monkeypatch.setenv("GITHUB_ACTIONS", "")
    with pytest.raises(SystemExit) as exited:
        fast.run()
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def test_run_in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run_in_process(["lint", *_bad_files()], monkeypatch, capsys)
    assert code == 1
    assert "error" in out
    code, out, _ = _run_in_process(
        ["lint", "--format", "json", str(EXAMPLES / "authentication.yaml")], monkeypatch, capsys
    )
    assert (code, json.loads(out)["findings"]) == (0, [])
    code, out, _ = _run_in_process(["--version"], monkeypatch, capsys)
    assert (code, out.startswith("configgen, version")) == (0, True)
    monkeypatch.setenv("COLUMNS", "50")
    code, out, _ = _run_in_process(["-h"], monkeypatch, capsys)
    assert (code, out.splitlines()[0]) == (0, "Usage: configgen [OPTIONS] COMMAND [ARGS]...")
    assert "  Render and check StackState bootstrap service-" in out.splitlines()  # wrapped at 50
    code, out, _ = _run_in_process(["rules"], monkeypatch, capsys)  # one word, through click
    assert (code, "token-missing" in out) == (0, True)


def test_fast_values_click_refuses_go_to_click(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    for args in (["lint", "--kind", "yaml", "f"], ["lint", "--product", "stackstate-9", "f"]):
        code, _, err = _run_in_process(args, monkeypatch, capsys)
        assert code == 2
        assert "Invalid value" in err
    (tmp_path / ".configgen.yaml").write_text("disable: [no-such-rule]\n")
    code, _, err = _run_in_process(["lint", "f.yaml"], monkeypatch, capsys)
    assert code == 2
    assert "no-such-rule" in err


def test_a_closed_pipe_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    class Closed:
        def write(self, text: str) -> int:
            raise BrokenPipeError

    monkeypatch.setattr(sys, "stdout", Closed())
    assert fast._write("", 0) == 0  # nothing to write: nothing fails
    assert fast._write("report\n", 0) == 1
    replaced = sys.stdout
    assert replaced.name == os.devnull  # what is still printed at exit goes nowhere
    replaced.close()


def test_utf8() -> None:
    class Stream:
        def __init__(self, encoding: str | None) -> None:
            self.encoding = encoding

    assert fast._utf8(Stream("UTF-8"))
    assert fast._utf8(Stream("utf_8"))
    assert not fast._utf8(Stream("latin-1"))
    assert not fast._utf8(Stream(None))
    assert not fast._utf8(object())


def test_completion_and_other_encodings_are_left_to_click(monkeypatch: pytest.MonkeyPatch) -> None:
    args = ["lint", str(EXAMPLES / "authentication.yaml")]
    monkeypatch.setenv("_CONFIGGEN_COMPLETE", "bash_source")
    assert fast._try_lint(args) is None
    monkeypatch.delenv("_CONFIGGEN_COMPLETE")
    monkeypatch.setattr(fast, "_utf8", lambda stream: False)
    assert fast._try_lint(args) is None


def test_what_the_fast_paths_leave_to_click(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fast, "_utf8", lambda stream: True)
    monkeypatch.delenv("_CONFIGGEN_COMPLETE", raising=False)
    assert fast._try_lint(["lint"]) is None  # no file: click's usage error
    assert fast._try_page(["rules"]) is None
    monkeypatch.setenv("_CONFIGGEN_COMPLETE", "bash_source")
    assert fast._try_page(["--help"]) is None
    assert fast._try_lint(["lint", "values.yaml"]) is None
