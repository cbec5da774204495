"""What a process tree uses while it runs: its memory summed over every process (PSS,
read from /proc), and how many other tasks on the machine want a CPU meanwhile."""

from __future__ import annotations

import os
import statistics
import threading

PAGE = os.sysconf("SC_PAGE_SIZE")


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found += [int(child) for child in handle.read().split()]
        except OSError:
            continue
    return found


def _memory_kib(pid: int) -> int:
    """The proportional set size of one process (shared pages split between sharers)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    try:  # no smaps_rollup: resident pages, shared ones counted in full
        with open(f"/proc/{pid}/statm") as handle:
            return int(handle.read().split()[1]) * PAGE // 1024
    except (OSError, IndexError, ValueError):
        return 0


def _running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] == "R"
    except (OSError, IndexError):
        return False


def _pids(root: int) -> list[int]:
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += _children(pid)
    return sorted(found)


def _tree(root: int) -> tuple[int | None, int]:
    """(memory of the tree in KiB, how many of its processes are running).

    The memory is None when a process started or ended while the tree was
    being read: the processes are read one after another, so across a fork
    the parent's pages are counted whole before it and the child's half
    after it (BENCHMARKS.md, the empty-cache diff at 50,000, tells how that
    overcount showed). Such a sample is dropped; memory that is really used
    shows in the samples around it.
    """
    pids = _pids(root)
    total = sum(_memory_kib(pid) for pid in pids)
    running = sum(_running(pid) for pid in pids)
    return (total if _pids(root) == pids else None), running


def runnable() -> int:
    """Tasks running or waiting for a CPU right now, this one excluded (/proc/loadavg)."""
    try:
        with open("/proc/loadavg") as handle:
            return max(int(handle.read().split()[3].split("/")[0]) - 1, 0)
    except (OSError, IndexError, ValueError):
        return 0


class TreeSampler(threading.Thread):
    """Samples a process tree every ``interval`` s until stopped: the peak of its summed
    memory, and how many other tasks on the machine wanted a CPU meanwhile."""

    def __init__(self, pid: int, interval: float = 0.02) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.peak = pid, interval, 0
        self.torn = 0  # samples dropped: the tree changed while it was read
        self.others: list[int] = []
        self._stop_event = threading.Event()

    def run(self) -> None:
        """Sample until ``stop``."""
        while not self._stop_event.is_set():
            memory, running = _tree(self.pid)
            if memory is not None:
                self.peak = max(self.peak, memory)
            else:
                self.torn += 1
            self.others.append(max(runnable() - running, 0))
            self._stop_event.wait(self.interval)

    def stop(self) -> tuple[int, float]:
        """Stop sampling: (peak memory of the tree in KiB, other tasks wanting a CPU on
        average)."""
        self._stop_event.set()
        self.join()
        return self.peak, statistics.mean(self.others) if self.others else 0.0
