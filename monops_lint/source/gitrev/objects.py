"""Reading git objects by SHA: typed, cached, and every failure a one-line ``MonopsError``.

Objects are read through GitPython's long-running ``git cat-file`` processes,
or one pipelined ``git cat-file --batch`` for many blobs; git is only ever
given full SHAs taken from tree and commit objects, on standard input.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

from monops_lint.errors import MonopsError
from monops_lint.source.unread import Oversized

if TYPE_CHECKING:
    import git

# A tree can name one subtree many times over, so a few KiB of objects can
# describe billions of paths: walking stops here instead of hanging CI.
MAX_TREE_ENTRIES = 1_000_000

FULL_SHA = re.compile(r"[0-9a-f]{40}")
TYPE_MASK, TREE, LINK, GITLINK, FILE = 0o170000, 0o040000, 0o120000, 0o160000, 0o100000

Entry = tuple[int, str]
"""A tree entry: (mode, SHA)."""


class MissingObject(Exception):
    """An object known by SHA that this repository does not hold."""

    def __init__(self, sha: str) -> None:
        super().__init__(sha)
        self.sha = sha


def refuse_special(path: str, mode: int) -> None:
    """Refuse a symlink or a submodule met in a tree, naming its path: neither is followed."""
    if mode & TYPE_MASK == LINK:
        raise MonopsError(f"{path} is a symlink in the revision's tree; monops does not follow "
                          "symlinks (commit the file itself instead)")
    if mode & TYPE_MASK == GITLINK:
        raise MonopsError(f"{path} is a submodule in the revision's tree; monops does not read "
                          "submodules (commit the catalog files into this repository)")


class KnownObjects:
    """Trees and blobs of one repository already read, by SHA. The two sides of a diff share
    nearly all of them (a change touches a few files): handed from one side's ``GitObjects``
    to the other's, the second side reads from git only what the change made. What a SHA
    names never changes, so nothing here goes stale; it is dropped with the review."""

    def __init__(self) -> None:
        self.trees: dict[str, dict[str, Entry]] = {}
        self.blobs: dict[str, bytes] = {}


class GitObjects:
    """Typed, cached access to one repository's objects; every failure is a MonopsError.
    With ``known``, the trees and blobs read are kept there (and those it holds are not read
    again); without, only trees are kept, for as long as this object lives."""

    def __init__(self, repo: git.Repo, known: KnownObjects | None = None) -> None:
        self.repo = repo
        self._trees = known.trees if known is not None else {}
        self._blobs = known.blobs if known is not None else None

    def kind(self, sha: str) -> str | None:
        """``commit``, ``tree``, ``blob`` or ``tag``; None when the object is not here."""
        try:
            return str(self.repo.odb.info(bytes.fromhex(sha)).type.decode("ascii"))
        except ValueError as exc:
            self._refused(exc)
            return None
        except OSError as exc:
            raise MonopsError(f"git cannot read object {sha}: {exc}") from exc

    def data(self, sha: str, expected: str, where: str) -> bytes:
        """The content of object ``sha``, which must be a ``expected`` (commit, tree...)."""
        try:
            stream = self.repo.odb.stream(bytes.fromhex(sha))
        except ValueError as exc:
            self._refused(exc)
            raise MonopsError(f"{where}: object {sha} is missing from the repository "
                              "(an incomplete clone?)") from exc
        except OSError as exc:
            raise MonopsError(f"{where}: git cannot read object {sha}: {exc}") from exc
        if stream.type.decode("ascii") != expected:
            raise MonopsError(f"{where}: object {sha} is a {stream.type.decode('ascii')}, "
                              f"not a {expected}")
        return bytes(stream.read())

    def blobs(self, items: list[tuple[str, str]], max_bytes: int | None = None) -> list[bytes]:
        """The bytes of many blobs, (SHA, path shown in errors) each, in one pipelined
        ``git cat-file --batch``: one process and no round trip per file.

        With ``max_bytes``, a blob larger than that is an ``Oversized`` (its size only):
        sizes come first from ``git cat-file --batch-check``, so neither git nor monops
        reads such a blob. Blobs ``known`` holds are not read again.
        """
        found: list[bytes] = [b""] * len(items)
        blobs = self._blobs if self._blobs is not None else {}
        wanted = []
        for index, (sha, _) in enumerate(items):
            held = blobs.get(sha)
            if held is None:
                wanted.append(index)
            elif max_bytes is not None and len(held) > max_bytes:  # (the other side's limit
                found[index] = Oversized(len(held))                # may have been higher)
            else:
                found[index] = held
        if max_bytes is not None and wanted:
            sizes = self._sizes([items[index] for index in wanted])
            small = []
            for index, size in zip(wanted, sizes, strict=True):
                if size > max_bytes:
                    found[index] = Oversized(size)
                else:
                    small.append(index)
            wanted = small
        with self._batch("--batch", [items[index][0] for index in wanted]) as stdout:
            for index in wanted:
                sha, where = items[index]
                size = self._header(stdout.readline(), sha, where)
                data = stdout.read(size + 1)
                if len(data) != size + 1:
                    raise MonopsError(f"{where}: git ended while reading object {sha}")
                found[index] = blobs[sha] = data[:size]
        return found

    def _sizes(self, items: list[tuple[str, str]]) -> list[int]:
        """The size of each blob of ``items``, from the object headers only."""
        with self._batch("--batch-check", [sha for sha, _ in items]) as stdout:
            return [self._header(stdout.readline(), sha, where) for sha, where in items]

    @staticmethod
    def _header(line: bytes, sha: str, where: str) -> int:
        """The size in a ``cat-file`` reply's header for blob ``sha``; anything else raises."""
        header = line.split()
        if len(header) != 3 or header[0].decode("ascii", "replace") != sha:
            raise MonopsError(f"{where}: object {sha} is missing from the repository "
                              "(an incomplete clone?)")
        if header[1] != b"blob":
            raise MonopsError(f"{where}: object {sha} is a "
                              f"{header[1].decode('ascii', 'replace')}, not a blob")
        return int(header[2])

    @contextmanager
    def _batch(self, option: str, shas: list[str]) -> Iterator[IO[bytes]]:
        """``git cat-file OPTION``, fed ``shas`` by a thread while the caller reads the
        replies from the standard output given; the process ends with the block."""
        import subprocess
        import threading

        if not shas:
            yield io.BytesIO()
            return
        try:
            process = self.repo.git.cat_file(option, as_process=True, istream=subprocess.PIPE)
        except OSError as exc:
            raise MonopsError(f"git cannot read objects: {exc}") from exc
        stdin, stdout = process.proc.stdin, process.proc.stdout
        assert stdin is not None and stdout is not None

        def feed() -> None:
            try:
                for sha in shas:  # full SHAs from tree objects, nothing else
                    stdin.write(sha.encode("ascii") + b"\n")
                stdin.close()
            except OSError:
                pass  # git ended early; reading reports it

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        try:
            yield stdout
        finally:
            process.proc.kill()  # done, or stopped early: either way the writer ends too
            process.proc.wait()
            writer.join()

    def _refused(self, exc: ValueError) -> None:
        if "dubious ownership" in str(exc):
            top = self.repo.working_tree_dir or self.repo.git_dir
            raise MonopsError(f"git refuses to read {top} (owned by another user); if you trust "
                              f"it, run `git config --global --add safe.directory {top}`") from exc

    def peel(self, sha: str, where: str) -> str:
        """The commit that ``sha`` names, through annotated tags; missing objects raise
        MissingObject."""
        for _ in range(16):
            kind = self.kind(sha)
            if kind is None:
                raise MissingObject(sha)
            if kind == "commit":
                return sha
            if kind != "tag":
                raise MonopsError(f"{where} names a {kind}, not a commit")
            header = self.data(sha, "tag", where).split(b"\n", 1)[0]
            if not header.startswith(b"object ") or not FULL_SHA.fullmatch(header[7:].decode()):
                raise MonopsError(f"{where}: tag object {sha} is malformed")
            sha = header[7:].decode()
        raise MonopsError(f"{where}: too many nested tags")

    def parents(self, sha: str, where: str) -> list[str]:
        """The SHAs of a commit's parents, in order."""
        parents = []
        for line in self.data(sha, "commit", where).split(b"\n\n", 1)[0].split(b"\n"):
            if line.startswith(b"parent "):
                parents.append(line[7:].decode("ascii"))
        return parents

    def commit_tree(self, sha: str, where: str) -> str:
        """The SHA of a commit's top tree."""
        header = self.data(sha, "commit", where).split(b"\n", 1)[0]
        if not header.startswith(b"tree "):
            raise MonopsError(f"{where}: commit object {sha} is malformed")
        return header[5:].decode("ascii")

    def entries(self, sha: str, where: str) -> dict[str, Entry]:
        """A tree's entries: name -> (mode, SHA)."""
        if sha not in self._trees:
            from git.objects.fun import tree_entries_from_data

            try:
                raw = tree_entries_from_data(self.data(sha, "tree", where or "."))
            except ValueError as exc:  # GitPython refuses '..', '.git', '/' in names
                raise MonopsError(f"{where or '.'}: malformed tree object {sha}: {exc}") from exc
            self._trees[sha] = {name: (mode, binsha.hex()) for binsha, mode, name in raw}
        return self._trees[sha]

    def subtree(self, tree: str, path: str) -> str | None:
        """The tree at ``path`` below ``tree`` (None when absent); symlinks, submodules refused."""
        walked = ""
        for part in path.split("/") if path else ():
            walked = f"{walked}/{part}" if walked else part
            entry = self.entries(tree, walked.rpartition("/")[0]).get(part)
            if entry is None:
                return None
            refuse_special(walked, entry[0])
            if entry[0] & TYPE_MASK != TREE:
                return None
            tree = entry[1]
        return tree
