"""A command's run in a process that exits after it (the CLI): the heap settings that make
loading a large catalog fast (``monops_lint.runtime.heap``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from monops_lint.runtime.heap import configure_for_one_command, frozen_while_running


@contextmanager
def one_command() -> Iterator[None]:
    """Run the block as the one command of this process: what it loads is kept out of the
    collector's reach, and nothing is collected at exit."""
    configure_for_one_command()
    with frozen_while_running():
        yield
