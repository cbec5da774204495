"""Temporary files beside the file they become, and the sweeping of those a dead run left.

Every file monops writes goes through a temporary sibling and a rename, so a reader never
sees half a file. A run killed between the two (kill -9, a power cut) leaves that sibling
behind; its name carries the writer's process id, so a later run can tell it is stale.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

_NAME = re.compile(r"\.(?P<target>.+)\.(?P<pid>\d+)\.[a-z0-9_]+\.tmp")


def create(target: Path, *, private: bool = False) -> tuple[int, Path]:
    """An open, empty temporary file beside ``target`` (its descriptor and path).

    Its mode is what ``open`` would give the target (0666 less the umask), unless
    ``private`` (0600: the cache)."""
    import tempfile  # only when writing: a command that reads only never pays for it

    handle, name = tempfile.mkstemp(prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp",
                                    dir=target.parent)
    if not private:
        try:
            os.fchmod(handle, 0o666 & ~umask())
        except BaseException:
            os.close(handle)
            os.unlink(name)
            raise
    return handle, Path(name)


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
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True  # another user's process, or a name that only looks like ours: leave it
    return True


def umask() -> int:
    """The process's umask, read without changing it where the system says it (Linux's
    /proc); elsewhere set and restored at once, before any thread could create a file."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
