"""Forked workers that share the parent's heap: what both the parse pool and the rule worker
need to keep those pages shared."""

from __future__ import annotations

import ctypes
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache


@contextmanager
def shared_heap(*, pause_collector: bool = False) -> Iterator[None]:
    """Freeze every object alive now for the duration of the block (workers forked inside
    then never have their collector write to those pages), and unfreeze them after.

    With ``pause_collector`` the parent does not collect either while the
    block runs: a full collection writes to every object it visits, so it
    would copy each page still shared with a worker. Unfreezing at the end
    lets a later collection reclaim what is garbage by then (a program that
    embeds monops and loads catalog after catalog must not keep them all).
    """
    gc.freeze()
    collecting = gc.isenabled()
    if pause_collector:
        gc.disable()
    try:
        yield
    finally:
        if pause_collector and collecting:
            gc.enable()
        gc.unfreeze()


@cache
def _malloc_trim() -> ctypes._NamedFuncPointer | None:
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
