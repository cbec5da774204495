"""``monops lint - --stdin-filename PATH``: lint an editor's unsaved buffer.

The document read from standard input stands in for the file at PATH (which
need not exist yet); the rest of the catalog is read from the working tree as
usual, since rules compare files. Only the findings in PATH are reported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from monops_lint.app.workspace import Workspace
from monops_lint.errors import MonopsError
from monops_lint.lint import LintResult, lint_catalog
from monops_lint.source.tree import WorkingTree


class WorkingTreeWithBuffer:
    """The working tree, with the file at ``path`` replaced (or added) by ``data``."""

    def __init__(self, root: Path, path: str, data: bytes) -> None:
        self.tree = WorkingTree(root)
        self.path = path
        self.data = data

    def list_files(self, folders: Iterable[str]) -> list[str]:
        """The tree's catalog files, and the buffer's path among them."""
        return sorted({*self.tree.list_files(folders), self.path})

    def read(self, path: str) -> bytes:
        """The buffer for its path, else the file on disk."""
        return self.data if path == self.path else self.tree.read(path)

    def read_optional(self, path: str) -> bytes | None:
        """The buffer for its path, else the file on disk if it exists."""
        return self.data if path == self.path else self.tree.read_optional(path)

    def read_many(self, paths: Iterable[str], max_bytes: int | None = None) -> list[bytes]:
        """The bytes of each of ``paths``; the loader checks the buffer's size as any file's."""
        paths = list(paths)
        others = iter(self.tree.read_many([p for p in paths if p != self.path], max_bytes))
        return [self.data if path == self.path else next(others) for path in paths]


def buffer_path(workspace: Workspace, text: str, cwd: Path | None = None) -> str:
    """``--stdin-filename`` as a root-relative ``/`` path inside the catalog's ``paths``."""
    full = ((cwd or Path.cwd()) / text).resolve()
    try:
        relative = full.relative_to(workspace.root).as_posix()
    except ValueError as exc:
        raise MonopsError(f"--stdin-filename {text}: outside the catalog root "
                          f"{workspace.root}") from exc
    if not relative.endswith((".yaml", ".yml")):
        raise MonopsError(f"--stdin-filename {text}: a catalog file ends in .yaml or .yml")
    folders = [f.rstrip("/") for f in workspace.config.paths]
    if not any(relative.startswith(f"{folder}/") or folder in ("", ".") for folder in folders):
        raise MonopsError(f"--stdin-filename {text}: not under the catalog's paths "
                          f"({', '.join(folders)}), so monops would not read it")
    return relative


def lint_buffer(workspace: Workspace, path: str, data: bytes, today: dt.date) -> LintResult:
    """The findings in ``path`` when its content is ``data`` (the whole catalog is checked)."""
    source = WorkingTreeWithBuffer(workspace.root, path, data)
    catalog = workspace.catalog(source)
    sides = [(catalog, workspace.config)]
    checked = tuple(workspace.check(sides, today)[0])
    return lint_catalog(catalog, workspace.config, today, [path], checked=checked)
