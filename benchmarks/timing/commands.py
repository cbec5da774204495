"""Running one command: timed, its process tree's memory sampled, failures raised with the
command's output; and git, which the harness drives the same way."""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from benchmarks.timing.process_tree import TreeSampler, runnable
from benchmarks.timing.results import Sample


class BenchmarkError(Exception):
    """A command failed or the setup is wrong: the message says which and why."""


@dataclass
class Done:
    """A command that ran: its sample and its output."""

    sample: Sample
    stdout: str
    stderr: str


QUIET = {"below": -1.0, "wait": 0.0}
"""--quiet: before each timed run, wait (up to ``wait`` s) until, over one second, fewer
than ``below`` other tasks on average want a CPU. Off when ``below`` < 0."""


def wait_quiet() -> float:
    """Wait for a quiet machine (see ``QUIET``); the seconds waited."""
    if QUIET["below"] < 0:
        return 0.0
    start = time.perf_counter()
    while True:
        samples = []
        for _ in range(10):
            samples.append(runnable())
            time.sleep(0.1)
        waited = time.perf_counter() - start
        if statistics.mean(samples) < QUIET["below"] or waited >= QUIET["wait"]:
            return waited


def run(cmd: Sequence[str], *, cwd: Path, env: Mapping[str, str], what: str,
        ok: Sequence[int] = (0,), timed: bool = True) -> Done:
    """Run ``cmd``, timed with perf_counter around it; raise BenchmarkError on failure."""
    waited = wait_quiet() if timed else 0.0
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        load = os.getloadavg()[0]
        start = time.perf_counter()
        try:
            process = subprocess.Popen(list(cmd), cwd=cwd, env=dict(env), stdout=out,
                                       stderr=err, stdin=subprocess.DEVNULL)
        except OSError as exc:
            raise BenchmarkError(f"{what}: cannot run {cmd[0]}: {exc}") from exc
        sampler = TreeSampler(process.pid)
        sampler.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:  # Ctrl-C: leave no monops running behind
            process.kill()
            process.wait()
            raise
        seconds = time.perf_counter() - start
        tree, others = sampler.stop()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if process.returncode not in ok:
        shown = " ".join(cmd)
        raise BenchmarkError(
            f"{what} failed (exit {process.returncode}): {shown}\n  in {cwd}\n"
            f"--- stderr ---\n{tail(stderr)}\n--- stdout ---\n{tail(stdout)}")
    # ru_maxrss is in KiB on Linux.
    return Done(Sample(seconds, int(usage.ru_maxrss), max(tree, int(usage.ru_maxrss)),
                       usage.ru_utime + usage.ru_stime, load, others, waited), stdout, stderr)


def tail(text: str, lines: int = 40) -> str:
    """The last ``lines`` lines of a command's output, to show with its failure."""
    kept = text.rstrip().splitlines()
    return "\n".join(kept[-lines:]) if kept else "(empty)"


def git(root: Path, *args: str) -> str:
    """``git args`` in ``root`` with a fixed author and date; its output, stripped."""
    env = dict(os.environ, GIT_AUTHOR_NAME="bench", GIT_AUTHOR_EMAIL="bench@example.com",
               GIT_COMMITTER_NAME="bench", GIT_COMMITTER_EMAIL="bench@example.com",
               GIT_AUTHOR_DATE="2026-11-25T12:00:00Z", GIT_COMMITTER_DATE="2026-11-25T12:00:00Z")
    done = subprocess.run(["git", "-c", "commit.gpgsign=false", "-c", "core.autocrlf=false",
                           *args], cwd=root, env=env, capture_output=True, text=True)
    if done.returncode:
        raise BenchmarkError(f"git {' '.join(args)} failed in {root}:\n{done.stderr.strip()}")
    return done.stdout.strip()

