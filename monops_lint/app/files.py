"""Writing what monops makes (reports, invoices, baselines, a new catalog): atomically, and
never through a symlink planted where the output goes."""

from __future__ import annotations

import os
from pathlib import Path

from monops_lint import tempfiles
from monops_lint.errors import MonopsError


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file and a rename: never half a file.

    The path is not resolved: a symlink planted where the output goes (a pull
    request can commit ``report.sarif -> ~/.bashrc``) is replaced by the file,
    never written through; a symlinked folder is refused.
    """
    path = Path(os.path.abspath(path))
    folder = path.parent
    if folder.is_symlink():
        raise MonopsError(f"cannot write {path}: {folder} is a symlink; give a real folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tempfiles.sweep(folder, path.name)  # what a killed run left of this file
        tempfiles.replace_with(path, text.encode("utf-8"))
    except OSError as exc:
        raise MonopsError(f"cannot write {path}: {exc.strerror or exc}") from exc
