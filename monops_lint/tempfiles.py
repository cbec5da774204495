"""Temporary files beside the file they become, and the sweeping of those a dead run left.

Every file monops writes goes through a temporary sibling and a rename, so a reader never
sees half a file. A run killed between the two (kill -9, a power cut) leaves that sibling
behind; its name carries the writer's process id, so a later run can tell it is stale.
"""

from __future__ import annotations

import os
import re
import secrets
from pathlib import Path

_NAME = re.compile(r"\.(?P<target>.+)\.(?P<pid>\d+)\.[a-z0-9_]+\.tmp")


def create(target: Path, *, private: bool = False) -> tuple[int, Path]:
    """An open, new, empty temporary file beside ``target`` (its descriptor and path).

    Created with mode 0666, which the system reduces by the umask as for any new file
    (0644 under 022), or 0600 if ``private`` (the cache)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    while True:
        path = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(path, flags, 0o600 if private else 0o666), path
        except FileExistsError:
            continue  # 32 random bits taken by another writer: draw again


def replace_with(target: Path, data: bytes, *, private: bool = False) -> None:
    """Write ``data`` to a temporary sibling of ``target`` (``create``), then rename it over
    ``target``: a reader sees the old file or the new one, never half of one. On any
    failure the temporary is removed and the error raised (``OSError`` for the system's)."""
    handle, temporary = create(target, private=private)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def sweep(folder: Path, target: str | None = None) -> int:
    """Remove the temporaries in ``folder`` (of ``target`` only, if given) whose writer is
    no longer running; how many were removed. Never raises: it only tidies."""
    removed = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        match = _NAME.fullmatch(entry.name)
        if match is None or (target is not None and match["target"] != target):
            continue
        if _running(int(match["pid"])):
            continue
        try:
            if entry.is_file(follow_symlinks=False):
                os.unlink(entry.path)
                removed += 1
        except OSError:
            continue
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        pass  # another user's process, or a name that only looks like ours: leave it
    return True
