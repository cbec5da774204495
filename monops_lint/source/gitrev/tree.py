"""Catalog files in one commit's tree, read from git objects only (``GitTree``)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from types import TracebackType

from monops_lint.errors import MonopsError
from monops_lint.source.gitrev.objects import (
    FILE,
    FULL_SHA,
    MAX_TREE_ENTRIES,
    TREE,
    TYPE_MASK,
    Entry,
    GitObjects,
    KnownObjects,
    refuse_special,
)
from monops_lint.source.gitrev.repo import catalog_prefix, find_repository, open_repo
from monops_lint.source.gitrev.resolve import resolve_revision
from monops_lint.source.revisions import show_text
from monops_lint.source.tree import SUFFIXES, check_relative
from monops_lint.source.unread import Misnamed, shown_path


class GitTree:
    """Catalog files in one commit's tree, read from git objects only.

    Nothing is checked out and neither the working tree nor the index is
    touched. Paths are relative to the catalog root, which may be a folder
    below the repository top. Symlinks and submodules under the catalog
    paths are refused (``MonopsError`` naming the path), never followed.
    A file whose name is not UTF-8 is listed under its name written with
    escapes, and read as ``Misnamed`` (see ``source/unread.py``). Use it
    as a context manager, or ``close()`` it, to end git's helpers.
    """

    def __init__(self, repo_root: Path, sha: str, catalog_root: Path | None = None,
                 known: KnownObjects | None = None) -> None:
        if not FULL_SHA.fullmatch(sha):
            raise MonopsError(f"{show_text(sha)} is not a full commit SHA "
                              "(resolve the revision with resolve_revision first)")
        self.sha = sha
        self._misnamed: set[str] = set()  # listed paths shown with escapes: never read
        self._repo = open_repo(repo_root)
        try:
            self._objects = GitObjects(self._repo, known)
            self.prefix = catalog_prefix(self._repo, catalog_root)
            where = f"commit {sha[:12]}"
            if self._objects.kind(sha) != "commit":
                raise MonopsError(f"{where}: no such commit in the repository")
            tree = self._objects.commit_tree(sha, where)
            self._top = self._objects.subtree(tree, self.prefix)
        except BaseException:
            self._repo.close()
            raise

    @classmethod
    def at(cls, catalog_root: Path, rev: str, known: KnownObjects | None = None) -> GitTree:
        """The catalog at ``catalog_root`` as it is at revision ``rev`` (reading only the
        objects ``known`` does not hold, when given: see ``KnownObjects``)."""
        top = find_repository(catalog_root)
        return cls(top, resolve_revision(top, rev), catalog_root, known)

    def list_files(self, folders: Iterable[str]) -> list[str]:
        """Every ``.yaml``/``.yml`` file under ``folders`` at this commit, sorted."""
        found: set[str] = set()
        budget = [MAX_TREE_ENTRIES]
        for folder in folders:
            relative = check_relative(folder)
            if relative == ".":
                if self._top is not None:
                    self._collect(self._top, "", found, budget)
                continue
            entry = self._entry(relative)
            if entry is None:
                continue
            mode, sha = entry
            refuse_special(relative, mode)
            if mode & TYPE_MASK == TREE:
                self._collect(sha, relative, found, budget)
            elif relative.endswith(SUFFIXES):
                self._found(relative, found)
        return sorted(found)

    def read(self, path: str) -> bytes:
        """The bytes of ``path`` at this commit."""
        data = self.read_optional(path)
        if data is None:
            raise MonopsError(f"{path}: no such file at commit {self.sha[:12]}")
        return data

    def read_optional(self, path: str) -> bytes | None:
        """The bytes of ``path``, or None when the commit has no such file; symlinks are refused."""
        relative = check_relative(path)
        entry = self._entry(relative)
        if entry is None:
            return None
        mode, sha = entry
        refuse_special(relative, mode)
        if mode & TYPE_MASK != FILE:
            raise MonopsError(f"{relative} is a folder at commit {self.sha[:12]}, not a file")
        return self._objects.data(sha, "blob", relative)

    def read_many(self, paths: Iterable[str], max_bytes: int | None = None) -> list[bytes]:
        """The bytes of each of ``paths`` (listed files), read in one pass over git's objects;
        a blob over ``max_bytes`` is an ``Oversized``, never read, and a file listed under
        an escaped name a ``Misnamed``."""
        paths = list(paths)
        items, misnamed = [], []
        for index, path in enumerate(paths):
            if path in self._misnamed:
                misnamed.append(index)
                continue
            relative = check_relative(path)
            entry = self._entry(relative)
            if entry is None:
                raise MonopsError(f"{path}: no such file at commit {self.sha[:12]}")
            mode, sha = entry
            refuse_special(relative, mode)
            if mode & TYPE_MASK != FILE:
                raise MonopsError(f"{relative} is a folder at commit {self.sha[:12]}, not a file")
            items.append((sha, relative))
        found = self._objects.blobs(items, max_bytes)
        for index in misnamed:
            found.insert(index, Misnamed())
        return found

    def close(self) -> None:
        """End the git helper processes; the tree cannot be read afterwards."""
        self._repo.close()

    def __enter__(self) -> GitTree:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def _entry(self, relative: str) -> Entry | None:
        folder, _, name = relative.rpartition("/")
        tree = self._objects.subtree(self._top, folder) if self._top is not None else None
        return None if tree is None else self._objects.entries(tree, folder).get(name)

    def _collect(self, tree: str, base: str, found: set[str], budget: list[int]) -> None:
        stack = [(tree, base)]
        while stack:
            tree, base = stack.pop()
            for name, (mode, sha) in self._objects.entries(tree, base).items():
                budget[0] -= 1
                if budget[0] < 0:
                    raise MonopsError(f"more than {MAX_TREE_ENTRIES} entries under the catalog "
                                      f"paths at commit {self.sha[:12]}; refusing to walk them")
                path = f"{base}/{name}" if base else name
                refuse_special(shown_path(path), mode)
                if mode & TYPE_MASK == TREE:
                    stack.append((sha, path))
                elif name.endswith(SUFFIXES):
                    self._found(path, found)

    def _found(self, path: str, found: set[str]) -> None:
        """Add a listed file to ``found``, under its escaped name when that is not UTF-8."""
        shown = shown_path(path)
        if shown != path:
            # Shown with escapes, the name could be a real file's too (one named
            # `\xff.yaml`): under that name neither is read, and both are a finding.
            self._misnamed.add(shown)
        found.add(shown)
