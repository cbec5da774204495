"""Which catalog files differ between two commits, or between a commit and the working tree.

Between two commits, trees are compared object by object. Against the
working tree, no `git diff` or `git status` runs: they would run the
repository's ``core.fsmonitor`` hook and its ``clean`` filters, commands a
planted ``.git/config`` or ``.gitattributes`` chooses. Instead each file is
hashed here as git hashes a blob (its bytes, no filter) and compared with
the base commit's tree; git is asked only for lists of names (``git
ls-files``, which reads the index and the ignore rules and runs nothing,
with the fsmonitor hook turned off as on every git call monops makes).
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import TYPE_CHECKING

from monops_lint.errors import MonopsError
from monops_lint.source.gitrev.objects import (
    FILE,
    FULL_SHA,
    GITLINK,
    LINK,
    MAX_TREE_ENTRIES,
    TREE,
    TYPE_MASK,
    Entry,
    GitObjects,
)
from monops_lint.source.gitrev.repo import catalog_prefix, repository, require_git
from monops_lint.source.revisions import show_text
from monops_lint.source.unread import shown_path

if TYPE_CHECKING:
    import git

_REGULAR = 0o100644
"""Every regular file's mode here: monops reads content, so the executable bit is no change."""


def changed_files(repo_root: Path, base_sha: str, head_sha: str | None,
                  catalog_root: Path) -> set[str]:
    """Catalog-root-relative paths that differ between two commits.

    ``head_sha`` None compares with the working tree, counting uncommitted,
    staged and untracked (not ignored) files. A renamed file counts as both
    its old and its new path. Every path that changed is returned, not only
    ``.yaml`` files: callers pick what concerns them. A name that is not
    UTF-8 is written with escapes, as the sources list it.
    """
    for sha in (base_sha, head_sha):
        if sha is not None and not FULL_SHA.fullmatch(sha):
            raise MonopsError(f"{show_text(sha)} is not a full commit SHA "
                              "(resolve the revision with resolve_revision first)")
    with repository(repo_root) as repo:
        objects = GitObjects(repo)
        prefix = catalog_prefix(repo, catalog_root)
        for sha in (base_sha, head_sha):
            if sha is not None and objects.kind(sha) != "commit":
                raise MonopsError(f"commit {sha[:12]}: no such commit in the repository")
        trees = [objects.subtree(objects.commit_tree(sha, f"commit {sha[:12]}"), prefix)
                 if sha is not None else None for sha in (base_sha, head_sha)]
        if head_sha is None:
            changed = _worktree_changes(repo, objects, trees[0], prefix)
        else:
            changed = _tree_changes(objects, trees[0], trees[1])
    return {shown_path(path) for path in changed}


def _tree_changes(objects: GitObjects, old: str | None, new: str | None) -> set[str]:
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
            subtrees = [entry[1] if entry and entry[0] & TYPE_MASK == TREE else None
                        for entry in (a, b)]
            if any(entry and entry[0] & TYPE_MASK != TREE for entry in (a, b)):
                changed.add(path)
            if subtrees[0] or subtrees[1]:
                stack.append((subtrees[0], subtrees[1], path))
    return changed


def _worktree_changes(repo: git.Repo, objects: GitObjects, base: str | None,
                      prefix: str) -> set[str]:
    """Catalog-relative paths where the working tree differs from the tree ``base``, as
    `git diff BASE` and `git ls-files --others` see them: each file the index tracks,
    compared by content with the base's entry, every untracked file that is not ignored,
    and every file of the base that is neither (git counts it deleted)."""
    if repo.working_tree_dir is None:
        raise MonopsError("the repository is bare: there is no working tree to compare")
    before = _tree_files(objects, base)
    tracked, untracked = _listed(repo, prefix)
    disk = _WorkingFiles(Path(repo.working_tree_dir), prefix)
    changed = set(untracked)
    for path in before.keys() | tracked.keys():
        index = tracked.get(path)
        if index is None:
            now: Entry | None = None
        elif index[2] or index[0] == GITLINK:
            # Marked skip-worktree or assume-unchanged, or a submodule: git takes the
            # index's entry for the file, and so does monops.
            now = index[:2]
        else:
            now = disk.entry(path)
        if now != before.get(path):
            changed.add(path)
    return changed


def _tree_files(objects: GitObjects, tree: str | None) -> dict[str, Entry]:
    """Every entry below ``tree`` that is not a tree, by path: (mode, SHA)."""
    found: dict[str, Entry] = {}
    stack = [(tree, "")] if tree is not None else []
    budget = MAX_TREE_ENTRIES
    while stack:
        tree, base = stack.pop()
        assert tree is not None
        for name, (mode, sha) in objects.entries(tree, base).items():
            budget -= 1
            if budget < 0:
                raise MonopsError(f"more than {MAX_TREE_ENTRIES} entries under the catalog "
                                  "root at the base commit; refusing to walk them")
            path = f"{base}/{name}" if base else name
            if mode & TYPE_MASK == TREE:
                stack.append((sha, path))
            else:
                found[path] = (_REGULAR if mode & TYPE_MASK == FILE else mode, sha)
    return found


def _listed(repo: git.Repo, prefix: str) -> tuple[dict[str, tuple[int, str, bool]], set[str]]:
    """The index's entries under ``prefix`` (mode, SHA, and whether git trusts the entry
    over the file), and the untracked files there that are not ignored."""
    require_git()
    import git

    # Fixed arguments and the catalog folder, after `--` and read literally.
    where = ["--", prefix] if prefix else []
    env = {"GIT_LITERAL_PATHSPECS": "1"}
    try:
        staged = repo.git.ls_files("--stage", "-v", "-z", *where, env=env,
                                   stdout_as_string=False)
        others = repo.git.ls_files("--others", "--exclude-standard", "-z", *where, env=env,
                                   stdout_as_string=False)
    except git.exc.GitCommandError as exc:
        detail = (exc.stderr or "").strip().splitlines()
        raise MonopsError(f"git could not list the working tree's files: "
                          f"{detail[-1] if detail else exc}") from exc
    lead = len(prefix) + 1 if prefix else 0
    tracked = {}
    for record in bytes(staged).split(b"\0"):
        if record:  # "T MODE SHA STAGE\tPATH"; T: H cached, S skip-worktree, lower case assumed
            info, _, name = record.partition(b"\t")
            tag, mode, sha, _stage = info.decode("ascii").split(" ")
            entry_mode = int(mode, 8)
            if entry_mode & TYPE_MASK == FILE:
                entry_mode = _REGULAR
            tracked[name.decode("utf-8", "surrogateescape")[lead:]] = (
                entry_mode, sha, tag == "S" or tag.islower())
    untracked = {name.decode("utf-8", "surrogateescape")[lead:]
                 for name in bytes(others).split(b"\0") if name}
    return tracked, untracked


class _WorkingFiles:
    """Entries of the working tree as git would record them: (mode, blob SHA)."""

    def __init__(self, top: Path, prefix: str) -> None:
        self.base = top / prefix if prefix else top
        self._plain_folders: dict[str, bool] = {"": True}

    def entry(self, path: str) -> Entry | None:
        """The file at ``path`` (catalog-relative) as a tree entry; None when there is none,
        or when a folder on its way is a symlink (git does not look past one either)."""
        if not self._plain_folder(path.rpartition("/")[0]):
            return None
        full = os.path.join(self.base, path)
        try:
            info = os.lstat(full)
            if stat.S_ISLNK(info.st_mode):
                return LINK, _blob_sha(os.fsencode(os.readlink(full)))
            if not stat.S_ISREG(info.st_mode):
                return None
            return _REGULAR, _file_sha(full)
        except OSError:
            return None  # gone meanwhile, or unreadable: not the base's file

    def _plain_folder(self, folder: str) -> bool:
        known = self._plain_folders.get(folder)
        if known is None:
            parent = folder.rpartition("/")[0]
            try:
                info = os.lstat(os.path.join(self.base, folder))
                known = self._plain_folder(parent) and stat.S_ISDIR(info.st_mode)
            except OSError:
                known = False
            self._plain_folders[folder] = known
        return known


def _blob_sha(data: bytes) -> str:
    """The SHA git gives a blob holding ``data``."""
    return hashlib.sha1(b"blob %d\0" % len(data) + data, usedforsecurity=False).hexdigest()


def _file_sha(path: str) -> str:
    """The blob SHA of a regular file's bytes, read in pieces (no filter runs)."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    fd = os.open(path, flags)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{path} is not a regular file")
        digest = hashlib.sha1(b"blob %d\0" % info.st_size, usedforsecurity=False)
        read = 0
        while piece := os.read(fd, 1 << 20):
            digest.update(piece)
            read += len(piece)
    finally:
        os.close(fd)
    if read != info.st_size:
        return "changing"  # written to while read: no blob has this SHA
    return digest.hexdigest()
