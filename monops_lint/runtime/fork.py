"""Forked workers, and the one memory budget every fork in monops checks.

Fork shares the parent's data with a worker for free (no pickling of the
catalog); only results come back, pickled. Two things fork: the parse pool
(``map_in_workers``: a cold load spread over every core) and the rule worker
(``run_alongside``: the rules that price plans run beside the others, and
both processes share out the rest). Both
ask ``can_fork`` first: a fork is worth it only for a large catalog, on more
than one core, where ``fork`` exists, and only while the process tree stays
within ``MEMORY_BUDGET``.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
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


ORPHAN_POLL_SECONDS = 0.2
"""How often a worker checks that its parent is still there."""


def _quiet_when_orphaned(parent: int) -> None:
    """In a worker: end, quietly, when the parent is gone. Killed (even with -9), the
    parent leaves workers that would write their results into a closed pipe and print a
    BrokenPipe traceback on the terminal it left, or wait forever for a lock a sibling
    held. A write to the closed pipe now ends the worker as it ends ``head``'s writer
    (SIGPIPE), and a watcher thread ends a worker that is waiting instead."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # not the CLI's: Pool.terminate ends us
    if hasattr(signal, "SIGPIPE"):
        signal.signal(signal.SIGPIPE, signal.SIG_DFL)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(ORPHAN_POLL_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="monops-orphan-watch", daemon=True).start()


@contextlib.contextmanager
def _signals_as_by_default() -> Iterator[None]:
    """SIGTERM and SIGHUP with their default action while a pool runs (then as they were).

    The pool forks its workers from a thread at any moment and ends them with SIGTERM; a
    worker forked with a Python handler for it (the CLI's) can lose that signal, which
    Python drops when it arrives before the child resets the handler, and the pool then
    waits for it forever. Nothing here needs cleaning up if the command is killed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    numbers = [getattr(signal, n) for n in ("SIGTERM", "SIGHUP") if hasattr(signal, n)]
    saved = [signal.signal(number, signal.SIG_DFL) for number in numbers]
    try:
        yield
    finally:
        for number, handler in zip(numbers, saved, strict=True):
            signal.signal(number, handler)


def _claim(counter: Any, tasks: Sequence[Callable[[], U]]) -> dict[int, U]:
    """Run the tasks not yet taken, one at a time, until none is left; by position."""
    done: dict[int, U] = {}
    while True:
        with counter.get_lock():
            index = counter.value
            counter.value = index + 1
        if index >= len(tasks):
            return done
        done[index] = tasks[index]()


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


def run_alongside(background: Callable[[], T], shared: Sequence[Callable[[], U]]
                  ) -> tuple[T, list[U]]:
    """``background()`` in a forked worker while this process runs the ``shared`` tasks;
    once done, the worker takes the shared tasks not yet started too. Both results: the
    shared tasks' in their order, whoever ran them.

    Which tasks each process runs depends on timing, so the shared tasks must not depend
    on one another. Call only where ``can_fork`` says yes. An exception in the worker is
    raised here.
    """
    context = multiprocessing.get_context("fork")
    counter = context.Value("l", 0)  # the next shared task to take, in shared memory

    def worker_task() -> tuple[T, dict[int, U]]:
        return background(), _claim(counter, shared)

    receiver, sender = context.Pipe(duplex=False)
    worker = context.Process(target=_send_result, args=(worker_task, sender, os.getpid()),
                             daemon=True)
    # The worker shares these pages: its collector stays off them.
    with shared_with_workers():
        worker.start()
        sender.close()
        try:
            here = _claim(counter, shared)
            kind, value = receiver.recv()
        finally:
            receiver.close()
            worker.join()
    if kind == "error":
        raise value
    there, taken = value
    here.update(taken)
    return there, [here[index] for index in range(len(shared))]


def map_in_workers(function: Callable[[T], U], items: Iterable[T], jobs: int) -> Iterator[U]:
    """``function`` over ``items`` in ``jobs`` forked workers (a fresh one per item, so that
    none grows), results in order as they arrive.

    The workers start with the parent's heap frozen, and the parent does not
    collect while they run: a full collection would copy every result
    received so far, still shared with the newest worker.
    """
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with shared_with_workers(pause_collector=True), _signals_as_by_default(), \
            context.Pool(jobs, _quiet_when_orphaned, (os.getpid(),), maxtasksperchild=1) as pool:
        yield from pool.imap(function, items)
