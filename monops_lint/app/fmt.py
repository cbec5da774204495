"""``monops fmt``: rewrite catalog files in the canonical layout (``monops_lint.layout``).

The one command that changes catalog files, and only when asked: ``--check``
changes nothing. A file the layout cannot rewrite exactly (a comment that
could not keep its place, a file monops' strict reader finds problems in) is
reported and left as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from monops_lint.app.files import write_atomic
from monops_lint.app.workspace import Workspace, catalog_files
from monops_lint.config import CONFIG_NAME
from monops_lint.layout import LayoutError, canonical
from monops_lint.source.tree import WorkingTree


@dataclass(frozen=True)
class FileLayout:
    """What ``fmt`` did (or would do) to one file."""

    path: str
    status: str  # "unchanged", "rewritten", "would change" or "left as it is"
    reason: str = ""


def _selected(files: list[str], paths: Sequence[str]) -> list[str]:
    if not paths:
        return files
    return [f for f in files if any(f == p or f.startswith(f"{p.rstrip('/')}/") for p in paths)]


def format_catalog(workspace: Workspace, paths: Sequence[str] = (), check: bool = False
                   ) -> list[FileLayout]:
    """Lay out every catalog file (and monops.yaml) under ``paths`` (root-relative; empty:
    all); write the changed ones unless ``check``."""
    tree = WorkingTree(workspace.root)
    files = _selected([CONFIG_NAME, *catalog_files(tree, workspace.config.paths)], paths)
    done = []
    for path in files:
        data = tree.read(path)
        try:
            text = data.decode("utf-8")
            laid_out = canonical(path, text)
        except UnicodeDecodeError:
            done.append(FileLayout(path, "left as it is", "not UTF-8 (run `monops lint`)"))
            continue
        except LayoutError as exc:
            done.append(FileLayout(path, "left as it is", str(exc)))
            continue
        if laid_out == text:
            done.append(FileLayout(path, "unchanged"))
        elif check:
            done.append(FileLayout(path, "would change"))
        else:
            full = workspace.root / path
            mode = full.stat().st_mode & 0o777
            write_atomic(full, laid_out)
            full.chmod(mode)  # the file keeps its permissions (the temporary one's are private)
            done.append(FileLayout(path, "rewritten"))
    return done
