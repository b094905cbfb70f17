"""``configgen.parsing.sources``: bounded input, and only regular files.

A FIFO, a socket or a device is refused before it is opened (opening a FIFO for reading blocks
until a writer comes), whatever chain of symbolic links leads to it; ``-`` is stdin only where a
command says so.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from configgen.findings import ErrorKind
from configgen.lint import run as lint
from configgen.parsing import sources
from testing.guards import deadline


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


def test_row_08_lint_of_a_symlink_to_a_fifo_is_refused_without_hanging(
    tmp_path: Path, fifo: Path
) -> None:
    link = tmp_path / "values.yaml"
    link.symlink_to(fifo)
    with deadline(20):
        result = lint.lint_paths([str(link)], lint.LintOptions())
    assert [(f.rule, f.message) for f in result.findings] == [
        ("syntax", "not a regular file (a FIFO): configgen reads only regular files")
    ]


def test_row_08_lint_of_dev_stdin_is_refused_without_hanging() -> None:
    """``/dev/stdin`` is a link to the process's fd 0 (a pipe or a terminal); ``-`` reads it."""
    with deadline(20):
        result = lint.lint_paths(["/dev/stdin"], lint.LintOptions(), kind="helm")
    [finding] = result.findings
    assert finding.rule == "syntax"
    assert finding.message.startswith("not a regular file")


def _socket(path: Path) -> None:
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))


MAKERS: dict[str, Callable[[Path], None]] = {
    "fifo": os.mkfifo,
    "socket": _socket,
    "directory": lambda path: path.mkdir(),
    "device": lambda path: path.symlink_to("/dev/null"),
    "missing": lambda path: None,
}


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(kind=st.sampled_from(sorted(MAKERS)), links=st.integers(0, 4), relative=st.booleans())
def test_anything_but_a_regular_file_is_refused_through_any_symlink_chain(
    tmp_path: Path, kind: str, links: int, relative: bool
) -> None:
    """Generator: FIFO, socket, directory, device or nothing, behind 0-4 links."""
    work = tmp_path / f"{kind}-{links}-{relative}"
    work.mkdir()
    target = work / "target"
    MAKERS[kind](target)
    path = target
    for n in range(links):
        link = work / f"link{n}"
        link.symlink_to(path.name if relative else path)
        path = link
    with deadline(20), pytest.raises(sources.InputError) as refused:
        sources.read_bytes(str(path))
    assert refused.value.kind is ErrorKind.UNREADABLE


def test_a_regular_file_behind_links_is_read(tmp_path: Path) -> None:
    target = tmp_path / "values.yaml"
    target.write_bytes(b"a: 1\n")
    (tmp_path / "link").symlink_to(target)
    assert sources.read_bytes(str(tmp_path / "link")) == b"a: 1\n"


@pytest.fixture
def pipe_with_data() -> Iterator[str]:
    """``/dev/fd/N`` of a pipe holding data, as bash's process substitution ``<(...)`` gives."""
    read_end, write_end = os.pipe()
    os.write(write_end, b"kQ3vX9pL2mN8rT5wZ7yBc4Hd\n")
    os.close(write_end)
    try:
        yield f"/dev/fd/{read_end}"
    finally:
        os.close(read_end)


def test_a_pipe_is_read_where_the_caller_allows_it(pipe_with_data: str) -> None:
    """Token files, specs and CA files named on the command line may be ``<(...)``."""
    with deadline(20):
        assert sources.read_bytes(pipe_with_data, pipes=True) == b"kQ3vX9pL2mN8rT5wZ7yBc4Hd\n"


def test_a_fifo_without_a_writer_reads_as_empty_where_pipes_are_allowed(fifo: Path) -> None:
    with deadline(20):
        assert sources.read_bytes(str(fifo), pipes=True) == b""


def test_dash_is_stdin_only_through_read_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    Path("-").write_bytes(b"the file\n")
    assert sources.read_file("-") == b"the file\n"
