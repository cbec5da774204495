"""Where catalog files come from: the working tree (here) or a git revision (``gitrev``).

Both answer the same two questions - which catalog files are there, and
what bytes does one hold - so everything after them is the same code.
Nothing here follows a symlink or reads outside the catalog root.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from monops_lint.errors import MonopsError

SUFFIXES = (".yaml", ".yml")


class FileSource(Protocol):
    """A set of catalog files, addressed by ``/``-separated paths relative to the root."""

    def list_files(self, folders: Iterable[str]) -> list[str]:
        """Every ``.yaml``/``.yml`` file under ``folders``, sorted."""
        ...

    def read(self, path: str) -> bytes:
        """The bytes of one listed file."""
        ...

    def read_optional(self, path: str) -> bytes | None:
        """The bytes of a file that may be absent (a template, the config)."""
        ...

    def read_many(self, paths: Iterable[str]) -> list[bytes]:
        """The bytes of each of ``paths`` (listed files), in order."""
        ...


def check_relative(path: str) -> str:
    """Refuse a configured or given path that would leave the catalog root."""
    if path and path[0] != "/" and "\\" not in path and "//" not in path and \
            not any(part in (".", "..") for part in path.split("/")):
        return path.rstrip("/") or path  # already a plain relative path (every listed file)
    parts = Path(path).parts
    if Path(path).is_absolute() or ".." in parts:
        raise MonopsError(f"path {path!r} leaves the catalog root; use a path inside it")
    return Path(path).as_posix()


class WorkingTree:
    """Catalog files on disk under ``root``; symlinks are refused, never followed."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._checked: set[str] = {""}  # folders (root-relative) known not to be symlinks

    def list_files(self, folders: Iterable[str]) -> list[str]:
        """Every catalog file under ``folders`` (missing folders are skipped)."""
        found: set[str] = set()
        for folder in folders:
            relative = check_relative(folder)
            start = self.root / relative
            try:
                info = start.lstat()
            except FileNotFoundError:
                continue
            except OSError as exc:
                raise MonopsError(f"cannot read {relative}: {exc.strerror or exc}") from exc
            self._refuse_link(relative, info)
            if stat.S_ISREG(info.st_mode):
                if relative.endswith(SUFFIXES):
                    found.add(relative)
                continue
            self._checked.add(relative)
            for directory, subdirs, files in os.walk(start, onerror=self._walk_error):
                rel_dir = Path(directory).relative_to(self.root).as_posix()
                for name in subdirs:
                    self._refuse_link(f"{rel_dir}/{name}", os.lstat(os.path.join(directory, name)))
                    self._checked.add(f"{rel_dir}/{name}")
                subdirs.sort()
                for name in files:
                    if name.endswith(SUFFIXES):
                        rel = f"{rel_dir}/{name}"
                        self._refuse_link(rel, os.lstat(os.path.join(directory, name)))
                        found.add(rel)
        return sorted(found)

    def read_many(self, paths: Iterable[str]) -> list[bytes]:
        """The bytes of each of ``paths``, in order."""
        return [self.read(path) for path in paths]

    def read(self, path: str) -> bytes:
        """The bytes of ``path``: a regular file, reached and opened without following a
        symlink (non-blocking, so that a pipe named like a catalog file cannot hang us)."""
        relative = check_relative(path)
        if relative.rpartition("/")[0] not in self._checked:
            self._refuse_linked_folders(relative)
        full = os.path.join(self.root, relative)
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        try:
            fd = os.open(full, flags)
        except OSError as exc:
            if os.path.islink(full):
                raise MonopsError(f"{path} is a symlink; monops does not follow symlinks "
                                  "(copy the file into the catalog instead)") from exc
            raise MonopsError(f"cannot read {path}: {exc.strerror or exc}") from exc
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise MonopsError(f"{path} is not a regular file (a folder, pipe or device); "
                              "monops reads only regular files")
        with os.fdopen(fd, "rb") as handle:
            try:
                return handle.read()
            except OSError as exc:
                raise MonopsError(f"cannot read {path}: {exc.strerror or exc}") from exc

    def read_optional(self, path: str) -> bytes | None:
        """The bytes of ``path``, or None when there is no such file."""
        full = self.root / check_relative(path)
        if not os.path.lexists(full):
            return None
        return self.read(path)

    def _refuse_linked_folders(self, relative: str) -> None:
        """O_NOFOLLOW guards only the last part of a path: check the folders above it."""
        folder = self.root
        for part in Path(relative).parts[:-1]:
            folder = folder / part
            try:
                info = folder.lstat()
            except OSError:
                return  # opening the file will say what is missing
            self._refuse_link(folder.relative_to(self.root).as_posix(), info)

    @staticmethod
    def _refuse_link(path: str, info: os.stat_result) -> None:
        if stat.S_ISLNK(info.st_mode):
            raise MonopsError(f"{path} is a symlink; monops does not follow symlinks "
                              "(copy the file into the catalog instead)")

    @staticmethod
    def _walk_error(error: OSError) -> None:
        raise MonopsError(f"cannot read {error.filename}: {error.strerror or error}")
