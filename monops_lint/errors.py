"""Errors that end a command with exit 2 and a one-line reason."""


class MonopsError(Exception):
    """A usage, config, git or I/O error: the CLI prints ``str(self)`` and exits 2."""
