"""Where catalog files come from: the working tree (here) or a git revision (``gitrev``).

Both answer the same two questions - which catalog files are there, and
what bytes does one hold - so everything after them is the same code.
Nothing here follows a symlink or a hard link, or reads outside the catalog
root. A file over the size limit, or whose name is not UTF-8, is not read:
its bytes are an ``Unread`` (``source/unread.py``) that says why.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import NoReturn, Protocol

from monops_lint.errors import MonopsError
from monops_lint.source.unread import Misnamed, Oversized, shown_path

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

    def read_many(self, paths: Iterable[str], max_bytes: int | None = None) -> list[bytes]:
        """The bytes of each of ``paths`` (listed files), in order: an ``Oversized`` for a
        file over ``max_bytes`` (never read), a ``Misnamed`` for a name that is not UTF-8."""
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
    """Catalog files on disk under ``root``; symlinks and hard-linked files are refused,
    never followed."""

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self._checked: set[str] = {""}  # folders (root-relative) known not to be symlinks
        self._misnamed: set[str] = set()  # listed paths shown with escapes: never read

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
                    self._found(relative, found)
                continue
            self._checked.add(relative)
            for directory, subdirs, files in os.walk(start, onerror=self._walk_error):
                # the root itself (`paths: [.]`) is "", never ".": one name per file
                rel_dir = Path(directory).relative_to(self.root).as_posix()
                prefix = "" if rel_dir == "." else f"{rel_dir}/"
                for name in subdirs:
                    self._refuse_link(f"{prefix}{name}", os.lstat(os.path.join(directory, name)))
                    self._checked.add(f"{prefix}{name}")
                subdirs.sort()
                for name in files:
                    if name.endswith(SUFFIXES):
                        rel = f"{prefix}{name}"
                        self._refuse_link(rel, os.lstat(os.path.join(directory, name)))
                        self._found(rel, found)
        return sorted(found)

    def _found(self, relative: str, found: set[str]) -> None:
        """Add a listed file to ``found``, under its escaped name when that is not UTF-8."""
        shown = shown_path(relative)
        if shown != relative:
            # Shown with escapes, the name could be a real file's too (one named
            # `\xff.yaml`): under that name neither is read, and both are a finding.
            self._misnamed.add(shown)
        found.add(shown)

    def read_many(self, paths: Iterable[str], max_bytes: int | None = None) -> list[bytes]:
        """The bytes of each of ``paths``, in order: an ``Oversized`` for a file over
        ``max_bytes`` (its size from ``fstat``, its bytes never read), a ``Misnamed`` for a
        file listed under an escaped name."""
        return [Misnamed() if path in self._misnamed else self._read(path, max_bytes)
                for path in paths]

    def read(self, path: str) -> bytes:
        """The bytes of ``path``: a regular file with no other name (no hard link), reached
        and opened without following a symlink (non-blocking, so that a pipe named like a
        catalog file cannot hang us)."""
        return self._read(path, None)

    def _read(self, path: str, max_bytes: int | None) -> bytes:
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
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            os.close(fd)
            raise MonopsError(f"{path} is not a regular file (a folder, pipe or device); "
                              "monops reads only regular files")
        if info.st_nlink > 1:
            os.close(fd)
            _refuse_hard_link(path, info)
        try:
            if max_bytes is not None and info.st_size > max_bytes:
                return Oversized(info.st_size)
            data = _read_to_end(fd, info.st_size, max_bytes)
            if max_bytes is not None and len(data) > max_bytes:
                return Oversized(max(len(data), os.fstat(fd).st_size))
        except OSError as exc:
            raise MonopsError(f"cannot read {path}: {exc.strerror or exc}") from exc
        finally:
            os.close(fd)
        return data

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
            raise MonopsError(f"{shown_path(path)} is a symlink; monops does not follow "
                              "symlinks (copy the file into the catalog instead)")
        if stat.S_ISREG(info.st_mode) and info.st_nlink > 1:
            _refuse_hard_link(path, info)

    @staticmethod
    def _walk_error(error: OSError) -> None:
        raise MonopsError(f"cannot read {shown_path(str(error.filename))}: "
                          f"{error.strerror or error}")


def _refuse_hard_link(path: str, info: os.stat_result) -> NoReturn:
    """A file with more than one name may be a file anywhere on the disk (hard links leave no
    trace of which name came first), so it is refused as a symlink is; git cannot hold hard
    links, so a revision's files never meet this."""
    raise MonopsError(f"{shown_path(path)} has {info.st_nlink} hard links; monops does not read "
                      "hard-linked files, which may be files from outside the catalog (copy the "
                      "file instead of linking it)")


def _read_to_end(fd: int, size: int, max_bytes: int | None) -> bytes:
    """The bytes of the open file ``fd``, which ``fstat`` said has ``size`` bytes (it may
    have grown since), up to ``max_bytes + 1`` of them. Asking for ``max_bytes + 1`` at once
    would allocate that much for every file: ask for the size given and one more byte, then
    read on until the end (or the limit)."""
    limit = None if max_bytes is None else max_bytes + 1
    parts: list[bytes] = []
    got, want = 0, size + 1
    while limit is None or got < limit:
        chunk = os.read(fd, want if limit is None else min(want, limit - got))
        if not chunk:
            break
        parts.append(chunk)
        got += len(chunk)
        want = 1 << 16
    return parts[0] if len(parts) == 1 else b"".join(parts)
