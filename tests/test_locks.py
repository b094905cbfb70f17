"""``configgen.locks``: the advisory lock writers take, and symbolic links of other users."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from configgen import locks
from testing.guards import deadline


def test_one_file_under_two_names_is_locked_once(tmp_path: Path) -> None:
    """Two descriptors of one file in one process would wait for each other forever."""
    path = tmp_path / "v.yaml"
    path.write_text("a: 1\n")
    (tmp_path / "link.yaml").symlink_to(path)
    with deadline(20), locks.locked([path, tmp_path / "link.yaml", path]):
        pass


def test_missing_files_and_fifos_are_not_locked(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    with deadline(20), locks.locked([tmp_path / "missing.yaml", tmp_path / "pipe"]):
        pass


def test_a_held_lock_makes_the_next_writer_give_up_after_the_wait(tmp_path: Path) -> None:
    path = tmp_path / "v.yaml"
    path.write_text("a: 1\n")
    with (
        locks.locked([path]),
        pytest.raises(locks.Locked, match="holds it locked"),
        locks.locked([path], wait=0.1),
    ):
        pass


def test_a_name_renamed_over_while_waiting_is_locked_on_its_new_file(tmp_path: Path) -> None:
    """The first writer replaces the file by rename and releases; the waiting writer held a
    lock on the old inode, notices, and takes the lock on the file the name points to now."""
    path = tmp_path / "v.yaml"
    path.write_text("old\n")
    acquired: list[int] = []

    def second() -> None:
        with locks.locked([path]):
            acquired.append(os.stat(path).st_ino)

    with deadline(20):
        with locks.locked([path]):
            waiter = threading.Thread(target=second)
            waiter.start()
            waiter.join(0.3)
            assert acquired == []  # waiting
            (tmp_path / "new").write_text("new\n")
            os.replace(tmp_path / "new", path)
        waiter.join()
    assert acquired == [os.stat(path).st_ino]


def test_own_and_root_links_are_followed(tmp_path: Path) -> None:
    real = tmp_path / "real.yaml"
    real.write_text("a: 1\n")
    (tmp_path / "link.yaml").symlink_to("real.yaml")
    (tmp_path / "dir").symlink_to(tmp_path)
    assert locks.foreign_link(tmp_path / "link.yaml") is None
    assert locks.foreign_link(tmp_path / "dir" / "dir" / "link.yaml") is None
    assert locks.foreign_link(tmp_path / "missing" / "x.yaml") is None


def test_a_loop_of_links_ends(tmp_path: Path) -> None:
    (tmp_path / "a").symlink_to("b")
    (tmp_path / "b").symlink_to("a")
    assert locks.foreign_link(tmp_path / "a") is None  # the read itself then fails
