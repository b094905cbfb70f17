"""Two writers on one file, and one writer given one file twice.

``apply`` (and ``render --force``) hold an advisory lock on every existing file from before it is
read until after it is replaced (``configgen.locks``), so two writers take turns: the second
reads what the first wrote.  Before, the "changed since it was read" check and the rename were
not atomic: two runs both passed the check, both renamed, and one token was in no file at all.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from configgen.apply import plan as apply
from configgen.apply import run as applying
from configgen.apply.run import ApplyRequest
from configgen.cli import Exit
from configgen.spec.token_source import VALUE, TokenSource
from testing.cli import invoke
from testing.guards import deadline

VALUES = "# values\nstackstate:\n  authentication:\n    adminPassword: x\n"
ORIGINAL = "0riginalT0kenAbCdEfGh1234"
TOKENS = ("F1rstWriterT0kenAbCdEfGh", "S3condWriterT0kenAbCdEfG")


def values_with(token: str) -> str:
    return (
        "stackstate:\n  authentication:\n    serviceToken:\n      bootstrap:\n"
        f'        token: "{token}"\n        roles: [stackstate-guest]\n'
    )


def apply_once(path: Path, token: str) -> list[applying.Written]:
    """What ``configgen apply --backup`` does: plan under the lock, write, release."""
    request = ApplyRequest(
        None,
        (str(path),),
        overrides={"roles": (["stackstate-guest"], "--roles")},
        token_source=TokenSource(VALUE, token),
    )
    with applying.session(request) as planned:
        assert planned.errors == []
        return applying.write_all([r for r in planned.results if r.changed], backup=True)


def tokens_in(directory: Path) -> set[str]:
    """Every token that is in some file of ``directory`` (the file and its backups)."""
    found = set()
    for path in directory.iterdir():
        text = path.read_text()
        found |= {t for t in (ORIGINAL, *TOKENS) if t in text}
    return found


def test_row_01_a_second_writer_waits_and_reads_what_the_first_wrote(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first writer is held between its check and its rename while the second runs.
    Before, the second read the original, checked it (unchanged yet), renamed; then the first
    renamed over it: the second's token was lost, both said "updated".  Now the second waits
    for the lock and reads the first's result: every token is in the file or a backup."""
    path = tmp_path / "values.yaml"
    path.write_text(values_with(ORIGINAL))
    first_ready, go = threading.Event(), threading.Event()
    real_replace = os.replace
    first = threading.current_thread()  # replaced below by the first writer's thread

    def held_replace(source: Any, target: Any) -> None:
        if threading.current_thread() is first and Path(target) == path:
            first_ready.set()
            go.wait(20)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", held_replace)
    errors: list[BaseException] = []

    def writer(token: str) -> None:
        try:
            apply_once(path, token)
        except BaseException as err:
            errors.append(err)

    one = threading.Thread(target=writer, args=(TOKENS[0],))
    first = one
    two = threading.Thread(target=writer, args=(TOKENS[1],))
    with deadline(60):
        one.start()
        assert first_ready.wait(20)
        two.start()
        two.join(0.5)  # the second is waiting for the lock (before: it has written by now)
        go.set()
        one.join()
        two.join()
    assert errors == []
    assert TOKENS[1] in path.read_text()
    assert tokens_in(tmp_path) == {ORIGINAL, *TOKENS}


RACER = """
import sys
from configgen.cli import main
sys.exit(main(["apply", "--roles", "stackstate-guest", "--token-env", "T", "--backup",
               "--to", sys.argv[1]], standalone_mode=True))
"""


def test_racing_apply_processes_never_lose_a_token(tmp_path: Path) -> None:
    """Generator (the hostile tester's race, 8 rounds): two real processes with different
    tokens start together on one file; both exit 0 and every token is in the file or a
    backup -- the second read what the first wrote."""
    for round_number in range(8):
        directory = tmp_path / f"round-{round_number}"
        directory.mkdir()
        path = directory / "values.yaml"
        path.write_text(values_with(ORIGINAL))
        racers = [
            subprocess.Popen(
                [sys.executable, "-c", RACER, str(path)],
                env={**os.environ, "T": token},
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
            )
            for token in TOKENS
        ]
        with deadline(120):
            results = [(r.wait(), r.stderr.read() if r.stderr else b"") for r in racers]
        for racer in racers:
            if racer.stderr:
                racer.stderr.close()
        assert [code for code, _ in results] == [0, 0], results
        assert tokens_in(directory) == {ORIGINAL, *TOKENS}, round_number


def test_row_10_one_file_given_twice_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``--to v.yaml --to ./v.yaml`` wrote the file, then said "nothing was written" (exit 3)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("T", TOKENS[0])
    Path("v.yaml").write_text(VALUES)
    Path("link.yaml").symlink_to("v.yaml")
    for other in ("./v.yaml", "link.yaml", str(tmp_path / "v.yaml")):
        result = invoke(["apply", "--roles", "stackstate-guest", "--token-env", "T",
                         "--to", "v.yaml", "--to", other])  # fmt: skip
        assert result.exit_code == Exit.USAGE, result.stderr
        assert "name the same file" in result.stderr
        assert Path("v.yaml").read_text() == VALUES


def test_row_10_a_later_file_changed_meanwhile_stops_the_run_before_any_write(
    tmp_path: Path,
) -> None:
    """The check ran file by file just before each rename: the first file was written, the
    second had changed, and the run said "nothing was written".  Now every file is checked
    before the first is replaced."""
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    first.write_text(VALUES)
    second.write_text(VALUES)
    request = ApplyRequest(
        None,
        (str(first), str(second)),
        overrides={"roles": (["stackstate-guest"], "--roles")},
        token_source=TokenSource(VALUE, TOKENS[0]),
    )
    with applying.session(request, lock=False) as planned:
        second.write_text(VALUES + "late: edit\n")  # a writer that does not lock
        with pytest.raises(apply.ApplyError, match="changed since it was read") as caught:
            applying.write_all(planned.results)
    assert caught.value.name == str(second)
    assert first.read_text() == VALUES
    assert second.read_text() == VALUES + "late: edit\n"


def test_a_file_locked_by_another_writer_is_left_alone_after_the_wait(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from configgen import locks

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("T", TOKENS[0])
    monkeypatch.setattr(locks, "LOCK_WAIT", 0.3)
    Path("v.yaml").write_text(VALUES)
    with locks.locked([Path("v.yaml")]):  # another writer holds it
        result = invoke(["apply", "--roles", "stackstate-guest", "--token-env", "T",
                         "--to", "v.yaml"])  # fmt: skip
    assert result.exit_code == Exit.NOT_WRITTEN, result.stderr
    assert "holds it locked; nothing was changed" in result.stderr
    assert Path("v.yaml").read_text() == VALUES


def test_render_force_takes_the_lock_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from configgen import locks

    monkeypatch.setattr(locks, "LOCK_WAIT", 0.3)
    out = tmp_path / "out"
    out.mkdir()
    (out / "authentication.yaml").write_text(VALUES)
    args = ["render", "--roles", "stackstate-guest", "--generate-token", "--target",
            "kubernetes", "--out-dir", out, "--force"]  # fmt: skip
    with locks.locked([out / "authentication.yaml"]):
        result = invoke(args)
    assert result.exit_code == Exit.NOT_WRITTEN, result.stderr
    assert (out / "authentication.yaml").read_text() == VALUES
    assert invoke(args).exit_code == Exit.OK
