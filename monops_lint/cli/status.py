"""What the CLI writes to stderr besides errors: progress of long work, and warnings."""

from __future__ import annotations

import os
import sys
from typing import Any

import click


class StatusLine:
    """Progress of long work on one self-overwriting stderr line, on a terminal only.

    Nothing is written when stderr is not a terminal (CI logs, pipes, tests),
    so reports and logs stay exactly as they are.
    """

    def __init__(self, stream: Any = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.shown = False

    def enabled(self) -> bool:
        """Whether the stream is a terminal that can overwrite a line."""
        isatty = getattr(self.stream, "isatty", None)
        return bool(isatty and isatty()) and os.environ.get("TERM") != "dumb"

    def __call__(self, message: str) -> None:
        if self.enabled():
            self.stream.write(f"\r\x1b[Kmonops: {message}...")
            self.stream.flush()
            self.shown = True

    def clear(self) -> None:
        """Remove the status line before anything else is written."""
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


STATUS = StatusLine()


def warn(message: str) -> None:
    """One ``monops: warning: ...`` line on stderr (the status line cleared first)."""
    STATUS.clear()
    click.echo(f"monops: warning: {message}", err=True)


def done(message: str) -> None:
    """One ``monops: ...`` line on stderr saying what was written."""
    STATUS.clear()
    click.echo(f"monops: {message}", err=True)
