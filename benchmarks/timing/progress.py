"""Progress on stderr while the benchmark runs (stdout carries the tables)."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


def say(message: str) -> None:
    """One line of progress."""
    print(message, file=sys.stderr, flush=True)


@contextmanager
def timing(label: str) -> Iterator[None]:
    """Say how long the block took, after ``label``."""
    start = time.perf_counter()
    yield
    say(f"    {label}: {time.perf_counter() - start:.1f} s")
