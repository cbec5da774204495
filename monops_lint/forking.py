"""The heap and the collector: what forked workers need to keep the parent's pages shared
(the parse pool, the rule worker), and what a one-command run does with what it loads."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ctypes


_keep_frozen = False


@contextmanager
def one_command() -> Iterator[None]:
    """Run the block as one command of a process that exits after it (the CLI): what monops
    loads meanwhile is frozen as it comes (``settle``), and unfrozen at the end.

    A catalog is millions of objects that live as long as the command, and
    every full collection walks them all again: at N = 50,000 a render spent
    0.8 s of its 3 s collecting after reading the cache. Frozen objects are
    still freed when nothing refers to them; only reference cycles among
    them would stay until the block ends. A program that embeds monops and
    loads catalog after catalog outside such a block freezes nothing for
    longer than forked workers need (``shared_heap``).
    """
    global _keep_frozen
    previous, _keep_frozen = _keep_frozen, True
    try:
        yield
    finally:
        _keep_frozen = previous
        if not previous:
            gc.unfreeze()


def settle() -> None:
    """Say that the objects alive now will live as long as the command (a catalog was just
    read or built): inside ``one_command``, freeze them."""
    if _keep_frozen:
        gc.freeze()


@contextmanager
def paused_collector() -> Iterator[None]:
    """No collection while the block runs (it makes many objects and no garbage: reading a
    pickle); then ``settle``."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        settle()
        if collecting:
            gc.enable()


@contextmanager
def shared_heap(*, pause_collector: bool = False) -> Iterator[None]:
    """Freeze every object alive now for the duration of the block (workers forked inside
    then never have their collector write to those pages), and unfreeze them after.

    With ``pause_collector`` the parent does not collect either while the
    block runs: a full collection writes to every object it visits, so it
    would copy each page still shared with a worker. Unfreezing at the end
    lets a later collection reclaim what is garbage by then (a program that
    embeds monops and loads catalog after catalog must not keep them all),
    unless the block runs inside ``one_command`` (which unfreezes at its end).
    """
    gc.freeze()
    try:
        with paused_collector() if pause_collector else nullcontext():
            yield
    finally:
        if not _keep_frozen:
            gc.unfreeze()


@cache
def _malloc_trim() -> ctypes._NamedFuncPointer | None:
    import ctypes

    try:
        return ctypes.CDLL(None).malloc_trim  # the C library the interpreter runs on
    except (OSError, AttributeError):  # not glibc: nothing to call
        return None


def release_free_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc's ``malloc_trim``; elsewhere
    nothing). Loading a catalog frees the files' bytes and the cache's pickles, which glibc
    keeps: at N = 50,000, 50 MiB of the parent's resident memory before a fork."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
