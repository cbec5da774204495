"""Catalog files at a git revision, read straight from git objects.

A revision given on the command line (``diff BASE HEAD``, ``--changed-since``,
``--rev``) is untrusted text. It is checked against a small grammar *before*
git is touched, then resolved to a full commit SHA:

* accepted: a full or abbreviated (7+ hex digits) commit SHA, a branch or tag
  name (``main``, ``v1.2``, ``feature/x``, ``origin/main``), a full ref under
  ``refs/`` (``refs/heads/main``, ``refs/pull/7/merge``), ``HEAD`` and the
  other ``*_HEAD`` pseudo-refs (``FETCH_HEAD``, ``ORIG_HEAD``), each followed
  by any number of ``~N`` / ``^N`` ancestry steps (``HEAD~1``, ``main^2``,
  ``v1^0``). Annotated tags are peeled to their commit.
* refused: empty text, anything starting with ``-``, whitespace and control
  characters, ranges (``a..b``, ``a...b``), ``@`` in any form (``@{-1}``,
  ``x@{upstream}``), ``:`` paths (``HEAD:file``, ``:/message``), ``^{...}``,
  ``.``-led or ``.lock`` components, ``//``, and characters outside
  ``[A-Za-z0-9._+/-]`` - name such a branch by its commit SHA instead.

No user text is ever placed on a git command line: names are looked up by
GitPython in ``.git/refs`` and ``packed-refs`` (pure Python), objects are read
through GitPython's long-running ``git cat-file --batch`` processes, which are
only ever given full SHAs (or a hex-only abbreviation) on standard input, and
the only commands run here have fixed arguments plus SHAs this module
produced. Trees are walked entry by entry, so a symlink or a submodule in the
catalog is refused by its mode before anything it points to is read.
"""

from __future__ import annotations

import re
import shlex
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from monops_lint.config import CONFIG_NAME
from monops_lint.errors import MonopsError
from monops_lint.source.revisions import Revision, parse_revision, show_text
from monops_lint.source.tree import SUFFIXES, check_relative

__all__ = ["GitTree", "Revision", "changed_files", "find_repository", "parse_revision",
           "resolve_revision"]

if TYPE_CHECKING:
    import git

# A tree can name one subtree many times over, so a few KiB of objects can
# describe billions of paths: walking stops here instead of hanging CI.
MAX_TREE_ENTRIES = 1_000_000

_FULL_SHA = re.compile(r"[0-9a-f]{40}")
# At least 7 digits: git lists every candidate of an ambiguous prefix on the
# stderr of GitPython's long-running cat-file, a pipe nobody reads.
_SHORT_SHA = re.compile(r"[0-9a-fA-F]{7,40}")
_PSEUDO_REF = re.compile(r"HEAD|[A-Z]+(?:_[A-Z]+)*_HEAD")
_TYPE_MASK, _TREE, _LINK, _GITLINK, _FILE = 0o170000, 0o040000, 0o120000, 0o160000, 0o100000


def _require_git() -> None:
    """Import GitPython on first use: importing it runs `git version`, and fails without git."""
    try:
        import git  # noqa: F401
    except ImportError as exc:
        raise MonopsError(f"cannot use git: {str(exc).splitlines()[0]} "
                          "(install git, or set GIT_PYTHON_GIT_EXECUTABLE)") from exc


def _open_repo(path: Path) -> git.Repo:
    _require_git()
    import git

    try:
        repo = git.Repo(path, search_parent_directories=True)
    except git.exc.NoSuchPathError as exc:
        raise MonopsError(f"{path}: no such folder") from exc
    except git.exc.InvalidGitRepositoryError as exc:
        raise MonopsError(f"{path} is not inside a git repository "
                          "(revisions need the catalog to be in git)") from exc
    except (git.exc.GitError, OSError, ValueError) as exc:
        raise MonopsError(f"cannot open the git repository at {path}: {exc}") from exc
    # An object read by SHA must be exactly that object (no refs/replace), and
    # `git diff` must not rewrite the index that another process may hold.
    repo.git.update_environment(GIT_NO_REPLACE_OBJECTS="1", GIT_OPTIONAL_LOCKS="0")
    return repo


@contextmanager
def _repository(path: Path) -> Iterator[git.Repo]:
    repo = _open_repo(path)
    try:
        yield repo
    finally:
        repo.close()  # ends the `git cat-file` processes


def find_repository(path: Path) -> Path:
    """The top folder of the git repository holding ``path`` (a catalog root or a folder in it)."""
    with _repository(path) as repo:
        if repo.working_tree_dir is None:
            raise MonopsError(f"{path} is in a bare git repository; monops needs a checkout")
        return Path(repo.working_tree_dir).resolve()


def _catalog_prefix(repo: git.Repo, catalog_root: Path | None) -> str:
    """The catalog root relative to the repository top, ``/``-separated (``""`` at the top)."""
    if catalog_root is None:
        return ""
    if repo.working_tree_dir is None:
        raise MonopsError(f"{catalog_root} is in a bare git repository; monops needs a checkout")
    top = Path(repo.working_tree_dir).resolve()
    try:
        relative = catalog_root.resolve().relative_to(top).as_posix()
    except ValueError as exc:
        raise MonopsError(f"{catalog_root} is not inside the git repository at {top}") from exc
    return "" if relative == "." else relative


class _Objects:
    """Typed, cached access to one repository's objects; every failure is a MonopsError."""

    def __init__(self, repo: git.Repo) -> None:
        self.repo = repo
        self._trees: dict[str, dict[str, tuple[int, str]]] = {}

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

    def blobs(self, items: list[tuple[str, str]]) -> list[bytes]:
        """The bytes of many blobs, (SHA, path shown in errors) each, in one pipelined
        ``git cat-file --batch``: one process and no round trip per file."""
        import subprocess
        import threading

        if not items:
            return []
        try:
            process = self.repo.git.cat_file("--batch", as_process=True, istream=subprocess.PIPE)
        except OSError as exc:
            raise MonopsError(f"git cannot read objects: {exc}") from exc
        stdin, stdout = process.proc.stdin, process.proc.stdout
        assert stdin is not None and stdout is not None

        def feed() -> None:
            try:
                for sha, _ in items:  # full SHAs from tree objects, nothing else
                    stdin.write(sha.encode("ascii") + b"\n")
                stdin.close()
            except OSError:
                pass  # git ended early; reading below reports it

        writer = threading.Thread(target=feed, daemon=True)
        writer.start()
        found: list[bytes] = []
        try:
            for sha, where in items:
                header = stdout.readline().split()
                if len(header) != 3 or header[0].decode("ascii", "replace") != sha:
                    raise MonopsError(f"{where}: object {sha} is missing from the repository "
                                      "(an incomplete clone?)")
                if header[1] != b"blob":
                    raise MonopsError(f"{where}: object {sha} is a "
                                      f"{header[1].decode('ascii', 'replace')}, not a blob")
                size = int(header[2])
                data = stdout.read(size + 1)
                if len(data) != size + 1:
                    raise MonopsError(f"{where}: git ended while reading object {sha}")
                found.append(data[:size])
        finally:
            process.proc.kill()  # done, or stopped early: either way the writer ends too
            process.proc.wait()
            writer.join()
        return found

    def _refused(self, exc: ValueError) -> None:
        if "dubious ownership" in str(exc):
            top = self.repo.working_tree_dir or self.repo.git_dir
            raise MonopsError(f"git refuses to read {top} (owned by another user); if you trust "
                              f"it, run `git config --global --add safe.directory {top}`") from exc

    def peel(self, sha: str, where: str) -> str:
        """The commit that ``sha`` names, through annotated tags; missing objects raise _Missing."""
        for _ in range(16):
            kind = self.kind(sha)
            if kind is None:
                raise _Missing(sha)
            if kind == "commit":
                return sha
            if kind != "tag":
                raise MonopsError(f"{where} names a {kind}, not a commit")
            header = self.data(sha, "tag", where).split(b"\n", 1)[0]
            if not header.startswith(b"object ") or not _FULL_SHA.fullmatch(header[7:].decode()):
                raise MonopsError(f"{where}: tag object {sha} is malformed")
            sha = header[7:].decode()
        raise MonopsError(f"{where}: too many nested tags")

    def parents(self, sha: str, where: str) -> list[str]:
        parents = []
        for line in self.data(sha, "commit", where).split(b"\n\n", 1)[0].split(b"\n"):
            if line.startswith(b"parent "):
                parents.append(line[7:].decode("ascii"))
        return parents

    def commit_tree(self, sha: str, where: str) -> str:
        header = self.data(sha, "commit", where).split(b"\n", 1)[0]
        if not header.startswith(b"tree "):
            raise MonopsError(f"{where}: commit object {sha} is malformed")
        return header[5:].decode("ascii")

    def entries(self, sha: str, where: str) -> dict[str, tuple[int, str]]:
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
            _refuse_special(walked, entry[0])
            if entry[0] & _TYPE_MASK != _TREE:
                return None
            tree = entry[1]
        return tree


class _Missing(Exception):
    """An object known by SHA that this repository does not hold."""

    def __init__(self, sha: str) -> None:
        super().__init__(sha)
        self.sha = sha


def _refuse_special(path: str, mode: int) -> None:
    if mode & _TYPE_MASK == _LINK:
        raise MonopsError(f"{path} is a symlink in the revision's tree; monops does not follow "
                          "symlinks (commit the file itself instead)")
    if mode & _TYPE_MASK == _GITLINK:
        raise MonopsError(f"{path} is a submodule in the revision's tree; monops does not read "
                          "submodules (commit the catalog files into this repository)")


def resolve_revision(repo_root: Path, rev: str) -> str:
    """The full 40-hex commit SHA that ``rev`` names in the repository at ``repo_root``.

    ``rev`` is checked by ``parse_revision`` before git is touched. A name or
    commit that is not here is a ``MonopsError``; when a fetch would bring it
    (a shallow clone, a remote branch never fetched), the message holds the
    exact `git fetch` command.
    """
    revision = parse_revision(rev)
    with _repository(repo_root) as repo:
        objects = _Objects(repo)
        where = f"revision {show_text(rev)}"
        try:
            sha = objects.peel(_name_to_sha(repo, revision), where)
        except _Missing as missing:
            raise _not_found(repo, revision, missing.sha, revision.hops + 1) from None
        walked = 0
        for op, count in revision.steps:
            index, times = (0, count) if op == "~" else (count - 1, min(count, 1))
            for _ in range(times):
                parents = objects.parents(sha, where)
                if index >= len(parents):
                    have = "no parent" if not parents else f"only {len(parents)} parents"
                    raise MonopsError(f"{where}: commit {sha[:12]} has {have}")
                sha, walked = parents[index], walked + 1
                if objects.kind(sha) is None:
                    raise _not_found(repo, revision, sha, revision.hops - walked + 1)
        return sha


def _name_to_sha(repo: git.Repo, revision: Revision) -> str:
    """The object SHA a revision's name stands for, in git's order of precedence."""
    name = revision.name
    if len(name) == 40 and _SHORT_SHA.fullmatch(name):
        return name.lower()
    from git.refs.symbolic import SymbolicReference

    candidates = [name] if name.startswith("refs/") or _PSEUDO_REF.fullmatch(name) else []
    candidates += [f"refs/{name}", f"refs/tags/{name}", f"refs/heads/{name}",
                   f"refs/remotes/{name}", f"refs/remotes/{name}/HEAD"]
    for candidate in candidates:
        try:
            return str(SymbolicReference.dereference_recursive(repo, candidate))
        except (ValueError, OSError):
            continue
    if _SHORT_SHA.fullmatch(name):
        from git.exc import BadObject

        try:
            # Hex digits only, on cat-file's standard input: never an option or a path.
            return str(repo.odb.partial_to_complete_sha_hex(name.lower()).hex())
        except BadObject as exc:
            if "ambiguous" in str(exc.__cause__):
                raise MonopsError(f"revision {show_text(name)} is ambiguous: more than one object "
                                  "starts with it; give more digits of the SHA") from exc
    raise _not_found(repo, revision, None, revision.hops + 1)


def _not_found(repo: git.Repo, revision: Revision, sha: str | None, depth: int) -> MonopsError:
    """The one-line error for a revision that is not here, with the fetch that brings it."""
    shallow = (Path(repo.common_dir) / "shallow").exists()
    remotes = [str(remote.name) for remote in repo.remotes]
    name, shown = revision.name, show_text(revision.text)
    where = " in this shallow clone" if shallow else ""
    remote = "origin" if "origin" in remotes else (remotes[0] if remotes else "")
    tracking = None
    if name.startswith("refs/remotes/") or not name.startswith("refs/"):
        owner, _, branch = name.removeprefix("refs/remotes/").partition("/")
        if branch and owner in remotes:
            remote, tracking = owner, f"refs/heads/{branch}:refs/remotes/{owner}/{branch}"
    if sha is not None:
        reason = f"revision {shown}: commit {sha} is not{where or ' in this repository'}"
        lead, target = "fetch it with", sha
    elif _PSEUDO_REF.fullmatch(name):
        return MonopsError(f"revision {shown}: {name} names no commit here (no commits yet?)")
    else:
        reason = f"revision {shown}: no branch, tag or commit by that name{where}"
        if tracking is not None:
            lead, target = "fetch it with", tracking
        elif name.startswith("refs/"):
            lead, target = "fetch it with", f"{name}:{name}"
        elif _SHORT_SHA.fullmatch(name) and remote and shallow:
            fix = shlex.join(["git", "fetch", "--unshallow", remote])
            return MonopsError(f"{reason}; give the full commit SHA, or fetch all history "
                               f"with `{fix}`")
        elif _SHORT_SHA.fullmatch(name):
            return MonopsError(f"{reason} (to fetch a commit, give its full SHA)")
        else:
            lead = f"if it is a branch on {remote}, fetch it with"
            target = f"refs/heads/{name}:refs/heads/{name}"
    if not remote:
        return MonopsError(f"{reason} (and the repository has no remote to fetch it from)")
    depth_option = [f"--depth={depth}"] if shallow else []
    command = shlex.join(["git", "fetch", "--no-tags", *depth_option, remote, target])
    return MonopsError(f"{reason}; {lead} `{command}`")


class GitTree:
    """Catalog files in one commit's tree, read from git objects only.

    Nothing is checked out and neither the working tree nor the index is
    touched. Paths are relative to the catalog root, which may be a folder
    below the repository top. Symlinks and submodules under the catalog
    paths are refused (``MonopsError`` naming the path), never followed.
    Use it as a context manager, or ``close()`` it, to end git's helpers.
    """

    def __init__(self, repo_root: Path, sha: str, catalog_root: Path | None = None) -> None:
        if not _FULL_SHA.fullmatch(sha):
            raise MonopsError(f"{show_text(sha)} is not a full commit SHA "
                              "(resolve the revision with resolve_revision first)")
        self.sha = sha
        self._repo = _open_repo(repo_root)
        try:
            self._objects = _Objects(self._repo)
            self.prefix = _catalog_prefix(self._repo, catalog_root)
            where = f"commit {sha[:12]}"
            if self._objects.kind(sha) != "commit":
                raise MonopsError(f"{where}: no such commit in the repository")
            tree = self._objects.commit_tree(sha, where)
            self._top = self._objects.subtree(tree, self.prefix)
        except BaseException:
            self._repo.close()
            raise

    @classmethod
    def at(cls, catalog_root: Path, rev: str) -> GitTree:
        """The catalog at ``catalog_root`` as it is at revision ``rev``."""
        top = find_repository(catalog_root)
        return cls(top, resolve_revision(top, rev), catalog_root)

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
            _refuse_special(relative, mode)
            if mode & _TYPE_MASK == _TREE:
                self._collect(sha, relative, found, budget)
            elif relative.endswith(SUFFIXES):
                found.add(relative)
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
        _refuse_special(relative, mode)
        if mode & _TYPE_MASK != _FILE:
            raise MonopsError(f"{relative} is a folder at commit {self.sha[:12]}, not a file")
        return self._objects.data(sha, "blob", relative)

    def read_many(self, paths: Iterable[str]) -> list[bytes]:
        """The bytes of each of ``paths`` (listed files), read in one pass over git's objects."""
        items = []
        for path in paths:
            relative = check_relative(path)
            entry = self._entry(relative)
            if entry is None:
                raise MonopsError(f"{path}: no such file at commit {self.sha[:12]}")
            mode, sha = entry
            _refuse_special(relative, mode)
            if mode & _TYPE_MASK != _FILE:
                raise MonopsError(f"{relative} is a folder at commit {self.sha[:12]}, not a file")
            items.append((sha, relative))
        return self._objects.blobs(items)

    def read_config(self) -> bytes | None:
        """The catalog's ``monops.yaml`` at this commit, or None when it has none."""
        return self.read_optional(CONFIG_NAME)

    def close(self) -> None:
        """End the git helper processes; the tree cannot be read afterwards."""
        self._repo.close()

    def __enter__(self) -> GitTree:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def _entry(self, relative: str) -> tuple[int, str] | None:
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
                _refuse_special(path, mode)
                if mode & _TYPE_MASK == _TREE:
                    stack.append((sha, path))
                elif name.endswith(SUFFIXES):
                    found.add(path)


def changed_files(repo_root: Path, base_sha: str, head_sha: str | None,
                  catalog_root: Path) -> set[str]:
    """Catalog-root-relative paths that differ between two commits.

    ``head_sha`` None compares with the working tree, counting uncommitted,
    staged and untracked (not ignored) files. A renamed file counts as both
    its old and its new path. Every path that changed is returned, not only
    ``.yaml`` files: callers pick what concerns them.
    """
    for sha in (base_sha, head_sha):
        if sha is not None and not _FULL_SHA.fullmatch(sha):
            raise MonopsError(f"{show_text(sha)} is not a full commit SHA "
                              "(resolve the revision with resolve_revision first)")
    with _repository(repo_root) as repo:
        objects = _Objects(repo)
        prefix = _catalog_prefix(repo, catalog_root)
        for sha in (base_sha, head_sha):
            if sha is not None and objects.kind(sha) != "commit":
                raise MonopsError(f"commit {sha[:12]}: no such commit in the repository")
        if head_sha is None:
            changed = _worktree_changes(repo, base_sha)
            lead = f"{prefix}/" if prefix else ""
            return {path[len(lead):] for path in changed if path.startswith(lead)}
        trees = [objects.subtree(objects.commit_tree(sha, f"commit {sha[:12]}"), prefix)
                 for sha in (base_sha, head_sha)]
        return _tree_changes(objects, trees[0], trees[1])


def _tree_changes(objects: _Objects, old: str | None, new: str | None) -> set[str]:
    """Paths whose entry differs between two trees; equal subtrees are skipped unread."""
    changed: set[str] = set()
    stack = [(old, new, "")]
    budget = MAX_TREE_ENTRIES
    while stack:
        old, new, base = stack.pop()
        if old == new:
            continue
        before = objects.entries(old, base) if old else {}
        after = objects.entries(new, base) if new else {}
        for name in before.keys() | after.keys():
            budget -= 1
            if budget < 0:
                raise MonopsError(f"more than {MAX_TREE_ENTRIES} changed entries; "
                                  "refusing to walk them")
            a, b = before.get(name), after.get(name)
            if a == b:
                continue
            path = f"{base}/{name}" if base else name
            subtrees = [entry[1] if entry and entry[0] & _TYPE_MASK == _TREE else None
                        for entry in (a, b)]
            if any(entry and entry[0] & _TYPE_MASK != _TREE for entry in (a, b)):
                changed.add(path)
            if subtrees[0] or subtrees[1]:
                stack.append((subtrees[0], subtrees[1], path))
    return changed


def _worktree_changes(repo: git.Repo, base_sha: str) -> set[str]:
    """Repository-relative paths where the working tree differs from ``base_sha``."""
    _require_git()
    import git

    if repo.working_tree_dir is None:
        raise MonopsError("the repository is bare: there is no working tree to compare")
    with tempfile.TemporaryDirectory(prefix="monops-index-") as scratch:
        # `git diff` refreshes the index it reads whenever stat data is stale (a fresh
        # checkout, a copy, a `touch`), and GIT_OPTIONAL_LOCKS does not stop it: it reads
        # a private copy instead, so the repository's own index is never written.
        index, copy = Path(repo.git_dir) / "index", Path(scratch) / "index"
        if index.is_file():
            shutil.copyfile(index, copy)
        env = {"GIT_INDEX_FILE": str(copy)}
        try:
            # Fixed arguments and a SHA this module checked; -z keeps names verbatim.
            tracked = repo.git.diff("--no-ext-diff", "--no-textconv", "--no-renames",
                                    "--name-only", "-z", base_sha, "--", env=env,
                                    stdout_as_string=False)
            untracked = repo.git.ls_files("--others", "--exclude-standard", "-z", env=env,
                                          stdout_as_string=False)
        except git.exc.GitCommandError as exc:
            detail = (exc.stderr or "").strip().splitlines()
            raise MonopsError(f"git could not compare the working tree with {base_sha[:12]}: "
                              f"{detail[-1] if detail else exc}") from exc
    names = bytes(tracked).split(b"\0") + bytes(untracked).split(b"\0")
    return {name.decode("utf-8", "surrogateescape") for name in names if name}
