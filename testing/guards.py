"""A hang guard for tests of hostile input: a bound on waiting, not a benchmark.

Tests bound work by counting (values built, bytes read); ``deadline`` only stops a test that
hangs -- a FIFO opened for reading, a parser in a loop -- so that it fails instead of blocking CI.
Its bound is generous on purpose: a busy machine must not make it fire.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator
from typing import Any

import pytest

HANG = 60.0  # seconds: far beyond any file of the test suites, on any machine


class Overrun(BaseException):
    """Raised by the alarm; a BaseException so that no ``except Exception`` in configgen, click
    or the parsers can swallow it."""


@contextlib.contextmanager
def deadline(seconds: float = HANG) -> Iterator[None]:
    """Fail the test if the block runs longer than ``seconds`` (interrupting it)."""

    def on_alarm(_signum: int, _frame: Any) -> None:
        raise Overrun

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except Overrun:
        pytest.fail(f"still running after {seconds:g} s: it hangs (interrupted by the guard)")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
