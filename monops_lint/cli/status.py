"""What the CLI writes to stderr besides errors: progress of long work, and warnings."""

from __future__ import annotations

import os
import sys
from typing import Any

import click


def _terminal(text: str) -> str:
    """``reporters.escaping.terminal``, imported when a line is first printed (``--help``
    prints none of these)."""
    from monops_lint.reporters.escaping import terminal

    return terminal(text)


class StatusLine:
    """Progress of long work on one self-overwriting stderr line, on a terminal only.

    Nothing is written when stderr is not a terminal (CI logs, pipes, tests),
    so reports and logs stay exactly as they are.
    """

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.shown = False

    def enabled(self) -> bool:
        """Whether the stream is a terminal that can overwrite a line (never with ``-q``)."""
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb" and \
            VERBOSITY.level >= 0

    def __call__(self, message: str) -> None:
        if self.enabled():
            self.stream.write(f"\r\x1b[Kmonops: {_terminal(message)}...")
            self.stream.flush()
            self.shown = True

    def clear(self) -> None:
        """Remove the status line before anything else is written."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


class Verbosity:
    """How much the CLI says on stderr besides errors: ``-q`` (-1) nothing but errors, the
    default (0) progress on a terminal, warnings and what was written, ``-v`` (1) also what
    monops read and where (root, config, cache)."""

    def __init__(self) -> None:
        self.level = 0

    def set(self, quiet: bool, verbose: bool) -> None:
        """Apply ``-q`` / ``-v`` (given together, the quieter wins)."""
        if quiet:
            self.level = -1
        elif verbose and self.level == 0:
            self.level = 1


VERBOSITY = Verbosity()
STATUS = StatusLine()


def printable(text: str, fmt: str) -> str:
    """A report in ``fmt`` as printed on stdout: JSON and HTML escape control characters
    themselves (and a program reads them); every other format goes through ``terminal``."""
    return text if fmt in ("json", "html") else _terminal(text)


def warn(message: str) -> None:
    """One ``monops: warning: ...`` line on stderr (the status line cleared first)."""
    STATUS.clear()
    if VERBOSITY.level >= 0:
        click.echo(f"monops: warning: {_terminal(message)}", err=True)


def done(message: str) -> None:
    """One ``monops: ...`` line on stderr saying what was written."""
    STATUS.clear()
    if VERBOSITY.level >= 0:
        click.echo(f"monops: {_terminal(message)}", err=True)


def detail(message: str) -> None:
    """One ``monops: ...`` line on stderr, with ``-v`` only (what was read, and where)."""
    if VERBOSITY.level > 0:
        STATUS.clear()
        click.echo(f"monops: {_terminal(message)}", err=True)
