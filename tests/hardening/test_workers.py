"""Issue 19 item 16: forked workers whose parent was killed (-9) end quietly.

Before the fix, each parse worker wrote its result into the pipe of a dead parent and
printed a BrokenPipe traceback on the terminal the parent had left.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the workers fork; the test kills with signals")

# The first task kills the parent while the other worker is still busy; every task then
# tries to send its result (some bigger than a pipe's buffer) to the parent that is gone.
ORPHANS = """
import os, signal, time
from monops_lint.runtime.fork import {function}

def work(i):
    if i == 0:
        time.sleep(0.3)
        os.kill(os.getppid(), signal.SIGKILL)
    time.sleep(0.6)
    return "x" * (200_000 if i % 2 else 10)

if __name__ == "__main__":
    {call}
"""
CALLS = {
    "map_in_workers": "for _ in map_in_workers(work, range(6), 2): pass",
    "run_alongside": "run_alongside(lambda: work(1), [lambda: work(0)])",
}


@pytest.mark.parametrize("function", sorted(CALLS))
def test_workers_of_a_killed_parent_end_quietly(function: str) -> None:
    script = ORPHANS.format(function=function, call=CALLS[function])
    if function == "run_alongside":
        # here the parent runs work(0) itself: the worker must be the one to kill it
        script = script.replace("os.kill(os.getppid(), signal.SIGKILL)",
                                "os.kill(os.getpid(), signal.SIGKILL)")
    process = subprocess.Popen([sys.executable, "-c", script], cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    # The pipes reach end of file only when every process holding them (the workers too)
    # is gone: a worker left hanging fails this with a timeout.
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == -9
    assert stderr.decode() == "" and stdout == b""
