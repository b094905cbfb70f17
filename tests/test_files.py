"""configgen.writer: atomic, mode 0600, never over an existing file without overwrite=True."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from configgen import files
from configgen.files import OutputExists, WriteError
from testing.cli import file_mode


def names(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir())


def test_writes_text_with_mode_0600(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "dir" / "out.yaml"
    files.write_new([(target, "a: 1\r\nb: é\n")], overwrite=False)
    assert target.read_bytes() == "a: 1\r\nb: é\n".encode()  # no newline translation
    assert file_mode(target) == 0o600
    assert names(target.parent) == ["out.yaml"]


def test_mode_ignores_a_permissive_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        files.write_new([(tmp_path / "x", "x")], overwrite=False)
    finally:
        os.umask(old)
    assert file_mode(tmp_path / "x") == 0o600


def test_other_mode(tmp_path: Path) -> None:
    files.write_new([(tmp_path / "x", "x")], overwrite=False, mode=0o640)
    assert file_mode(tmp_path / "x") == 0o640


def test_no_overwrite_without_permission(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("original")
    with pytest.raises(OutputExists) as info:
        files.write_new([(target, "new")], overwrite=False)
    assert str(info.value) == str(target)
    assert target.read_text() == "original"
    assert names(tmp_path) == ["out"]  # temp file removed


def test_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "out"
    target.write_text("original")
    target.chmod(0o644)
    files.write_new([(target, "new")], overwrite=True)
    assert target.read_text() == "new"
    assert file_mode(target) == 0o600
    assert names(tmp_path) == ["out"]


def test_check_free(tmp_path: Path) -> None:
    free = tmp_path / "free"
    taken = tmp_path / "taken"
    taken.write_text("")
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere")
    files.check_free([free])
    with pytest.raises(OutputExists, match="taken"):
        files.check_free([free, taken])
    with pytest.raises(OutputExists, match="dangling"):
        files.check_free([dangling])


def test_link_failure_cleans_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_link(*_args: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "link", failing_link)
    with pytest.raises(WriteError, match="Permission denied") as info:
        files.write_new([(tmp_path / "out", "secret")], overwrite=False)
    assert str(tmp_path / "out") in str(info.value)
    assert names(tmp_path) == []


def test_replace_failure_cleans_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "out"
    target.write_text("original")

    def failing_replace(self: Path, other: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Path, "replace", failing_replace)
    with pytest.raises(WriteError, match="No space left on device"):
        files.write_new([(target, "secret")], overwrite=True)
    assert target.read_text() == "original"
    assert names(tmp_path) == ["out"]


def test_fsync_failure_cleans_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing_fsync(_fd: int) -> None:
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(os, "fsync", failing_fsync)
    with pytest.raises(WriteError, match="Input/output error"):
        files.write_new([(tmp_path / "out", "secret")], overwrite=False)
    assert names(tmp_path) == []


def test_unencodable_text_cleans_up(tmp_path: Path) -> None:
    """A lone surrogate cannot be written as UTF-8: no file, no temp file, no traceback type."""
    with pytest.raises(WriteError, match="cannot be encoded as UTF-8"):
        files.write_new([(tmp_path / "out", "\ud800")], overwrite=False)
    assert names(tmp_path) == []


def test_directory_cannot_be_created(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(WriteError) as info:
        files.write_new([(blocker / "out", "x")], overwrite=False)
    assert str(blocker) in str(info.value)


def test_name_appearing_during_write_is_not_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The no-overwrite path uses os.link, so a file that appears meanwhile is kept."""
    target = tmp_path / "out"
    real_link = os.link

    def racing_link(src: object, dst: object) -> None:
        target.write_text("someone else's")
        real_link(src, dst)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "link", racing_link)
    with pytest.raises(OutputExists):
        files.write_new([(target, "mine")], overwrite=False)
    assert target.read_text() == "someone else's"
    assert names(tmp_path) == ["out"]
