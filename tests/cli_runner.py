"""``monops ARGS`` run in this process: the one way the tests call the command line.

``monops_lint.cli.main`` is run as the ``monops`` script runs it, with its
output captured and its exit code read from ``SystemExit``, in the folder
and environment given for the call and restored after it. A process start
costs more than most commands, so only the tests of what the process
boundary does (exit codes through a real process, bytes on the pipes,
signals, git and CI environments, forked workers, ``atexit``) start one,
and those are marked ``e2e``.

No pytest here: ``fuzz/fuzz_cli.py`` runs the CLI through this module too
(by way of ``tests/hardening/checks.py``).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import io
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Result:
    """One finished ``monops`` command: its arguments, exit code, stdout and stderr."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        """Standard output read as JSON."""
        return json.loads(self.stdout)

    def __str__(self) -> str:  # shown by pytest when an assertion on a Result fails
        return (f"monops {' '.join(self.args)} -> {self.returncode}\n--- stdout\n"
                f"{self.stdout[-4000:]}\n--- stderr\n{self.stderr[-4000:]}")


class _Captured(io.StringIO):
    """A captured stream the CLI may close (it closes stderr when the reader of stdout went
    away) and that still holds what was written."""

    def close(self) -> None:
        pass


def run_cli(*args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None
            ) -> Result:
    """``monops ARGS`` in this process, in ``cwd`` (else the current folder), with ``env``
    added to the environment; as CI runs it, without ``GITHUB_ACTIONS`` unless ``env``
    sets it.

    The exit code follows ``sys.exit``: None is 0, another non-integer is 1.
    """
    from monops_lint.cli import main

    out, err = _Captured(), _Captured()
    code = 0
    with _environment(env or {}), _folder(cwd), _one_command_undone(), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(list(args))
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else int(exit_.code is not None)
    return Result(tuple(args), code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.pop("GITHUB_ACTIONS", None)
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


@contextlib.contextmanager
def _folder(cwd: Path | None) -> Iterator[None]:
    saved = os.getcwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(saved)


@contextlib.contextmanager
def _one_command_undone() -> Iterator[None]:
    """Undo what ``main`` sets up for a process that exits after one command: the
    collector's thresholds, and ``gc.freeze`` at exit (registered again on every call)."""
    thresholds = gc.get_threshold()
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        atexit.unregister(gc.freeze)
