"""The heap and the collector: what a process that runs one command does with what it loads,
and what forked workers need to keep the parent's pages shared.

A catalog loads as millions of small dicts, lists and frozen dataclasses that
live until the command ends. CPython's collector would walk them again and
again while they are built and read (every full collection visits every
object), and a collection in a forked worker writes to pages the worker would
otherwise share with its parent. Freezing (``gc.freeze``) moves objects out
of the collector's reach; they are still freed when nothing refers to them.
BENCHMARKS.md has the measurements behind each choice here.
"""

from __future__ import annotations

import atexit
import gc
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext

_frozen_for_command = False

GC_THRESHOLDS = (50_000, 20, 100)
"""Collections stay on, only rarer: the default thresholds re-scan a catalog being built
dozens of times."""


def configure_for_one_command() -> None:
    """Set the process up to run one command and exit (the CLI): rarer collections, and no
    final collection at exit (freezing everything first skips it: the exit frees the memory
    anyway)."""
    gc.set_threshold(*GC_THRESHOLDS)
    atexit.register(gc.freeze)


@contextmanager
def frozen_while_running() -> Iterator[None]:
    """Run the block as one command of a process that exits after it: what monops loads
    meanwhile is frozen as it comes (``freeze_loaded``), and unfrozen at the end.

    Only reference cycles among frozen objects stay until the block ends. A
    program that embeds monops and loads catalog after catalog outside such a
    block freezes nothing for longer than forked workers need
    (``shared_with_workers``).
    """
    global _frozen_for_command
    previous, _frozen_for_command = _frozen_for_command, True
    try:
        yield
    finally:
        _frozen_for_command = previous
        if not previous:
            gc.unfreeze()


def freeze_loaded() -> None:
    """Say that the objects alive now will live as long as the command (a catalog was just
    read or built): inside ``frozen_while_running``, freeze them."""
    if _frozen_for_command:
        gc.freeze()


@contextmanager
def collector_paused() -> Iterator[None]:
    """No collection while the block runs (it makes many objects and no garbage: reading a
    pickle); then ``freeze_loaded``."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        freeze_loaded()
        if collecting:
            gc.enable()


@contextmanager
def shared_with_workers(*, pause_collector: bool = False) -> Iterator[None]:
    """Freeze every object alive now for the duration of the block (workers forked inside
    then never have their collector write to those pages), and unfreeze them after.

    With ``pause_collector`` the parent does not collect either while the
    block runs: a full collection writes to every object it visits, so it
    would copy each page still shared with a worker. Unfreezing at the end
    lets a later collection reclaim what is garbage by then, unless the block
    runs inside ``frozen_while_running`` (which unfreezes at its end).
    """
    gc.freeze()
    try:
        with collector_paused() if pause_collector else nullcontext():
            yield
    finally:
        if not _frozen_for_command:
            gc.unfreeze()
