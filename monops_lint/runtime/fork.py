"""Forked workers, and the one memory budget every fork in monops checks.

Fork shares the parent's data with a worker for free (no pickling of the
catalog); only results come back, pickled. Two things fork: the parse pool
(``map_in_workers``: a cold load spread over every core) and the rule worker
(``run_alongside``: the rules that price plans run beside the others). Both
ask ``can_fork`` first: a fork is worth it only for a large catalog, on more
than one core, where ``fork`` exists, and only while the process tree stays
within ``MEMORY_BUDGET``.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any, TypeVar

from monops_lint.runtime.heap import shared_with_workers

if TYPE_CHECKING:
    import ctypes

T = TypeVar("T")
U = TypeVar("U")

MEMORY_BUDGET = 1 << 30
"""The process tree of one command stays under this."""

FORK_GROWTH = 1.8
"""How much a fork grows the tree, as a factor of the parent's resident memory: a worker
ends up with private copies of much of what it reads (reference counts are written into
every object it touches). Measured in BENCHMARKS.md ("Memory")."""

PARSE_WORKERS_MIN_FILES = 400
"""Fewer files than this parse faster in one process than worker start-up costs."""

RULE_WORKER_MIN_FILES = 2000
"""Fewer files than this check faster in one process than a fork costs."""


def resident_bytes() -> int:
    """This process's resident memory now (0 where /proc does not tell)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def can_fork(files: int, min_files: int) -> bool:
    """Whether forking for a catalog of ``files`` files is worth it and safe now."""
    return files >= min_files and (os.cpu_count() or 1) >= 2 \
        and "fork" in multiprocessing.get_all_start_methods() \
        and not multiprocessing.current_process().daemon \
        and FORK_GROWTH * resident_bytes() <= MEMORY_BUDGET  # (a daemon worker cannot fork)


@cache
def _malloc_trim() -> ctypes._NamedFuncPointer | None:
    import ctypes

    try:
        return ctypes.CDLL(None).malloc_trim  # the C library the interpreter runs on
    except (OSError, AttributeError):  # not glibc: nothing to call
        return None


def release_free_memory() -> None:
    """Hand the C heap's free pages back to the system (glibc's ``malloc_trim``; elsewhere
    nothing), so that ``can_fork`` sees the memory in use, not what loading freed."""
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h


@cache
def _prctl() -> ctypes._NamedFuncPointer | None:
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None).prctl
    except (OSError, AttributeError):
        return None


def _quiet_when_orphaned(parent: int) -> None:
    """In a worker: end with the parent. Killed (even with -9), the parent leaves workers
    that would write their results into a closed pipe and print a BrokenPipe traceback on
    the terminal it left; Linux ends them at once instead (the parent-death signal), and a
    parent already gone before that was set ends the worker here."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the CLI's: Pool.terminate ends us
    prctl = _prctl()
    if prctl is not None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(0)


def _send_result(task: Callable[[], Any], channel: Connection, parent: int) -> None:
    _quiet_when_orphaned(parent)
    try:
        outcome: tuple[str, Any] = ("result", task())
    except BaseException as error:  # carried to the parent, raised there
        outcome = ("error", error)
    try:
        channel.send(outcome)
    except Exception as error:  # an unpicklable result or exception: say what it was
        channel.send(("error", RuntimeError(f"rule worker: {type(error).__name__}: {error}")))
    finally:
        channel.close()


def run_alongside(background: Callable[[], T], foreground: Callable[[], U]) -> tuple[T, U]:
    """``background()`` in a forked worker while ``foreground()`` runs here; both results.

    Call only where ``can_fork`` says yes. An exception in the worker is
    raised here.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(target=_send_result, args=(background, sender, os.getpid()),
                             daemon=True)
    # The worker shares these pages: its collector stays off them.
    with shared_with_workers():
        worker.start()
        sender.close()
        try:
            here = foreground()
            kind, value = receiver.recv()
        finally:
            receiver.close()
            worker.join()
    if kind == "error":
        raise value
    return value, here


def map_in_workers(function: Callable[[T], U], items: Iterable[T], jobs: int) -> Iterator[U]:
    """``function`` over ``items`` in ``jobs`` forked workers (a fresh one per item, so that
    none grows), results in order as they arrive.

    The workers start with the parent's heap frozen, and the parent does not
    collect while they run: a full collection would copy every result
    received so far, still shared with the newest worker.
    """
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with shared_with_workers(pause_collector=True), \
            context.Pool(jobs, _quiet_when_orphaned, (os.getpid(),), maxtasksperchild=1) as pool:
        yield from pool.imap(function, items)
