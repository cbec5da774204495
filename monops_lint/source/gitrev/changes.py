"""Which catalog files differ between two commits, or between a commit and the working tree."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from monops_lint.errors import MonopsError
from monops_lint.source.gitrev.objects import (
    FULL_SHA,
    MAX_TREE_ENTRIES,
    TREE,
    TYPE_MASK,
    GitObjects,
)
from monops_lint.source.gitrev.repo import catalog_prefix, repository, require_git
from monops_lint.source.revisions import show_text

if TYPE_CHECKING:
    import git


def changed_files(repo_root: Path, base_sha: str, head_sha: str | None,
                  catalog_root: Path) -> set[str]:
    """Catalog-root-relative paths that differ between two commits.

    ``head_sha`` None compares with the working tree, counting uncommitted,
    staged and untracked (not ignored) files. A renamed file counts as both
    its old and its new path. Every path that changed is returned, not only
    ``.yaml`` files: callers pick what concerns them.
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
        if head_sha is None:
            changed = _worktree_changes(repo, base_sha)
            lead = f"{prefix}/" if prefix else ""
            return {path[len(lead):] for path in changed if path.startswith(lead)}
        trees = [objects.subtree(objects.commit_tree(sha, f"commit {sha[:12]}"), prefix)
                 for sha in (base_sha, head_sha)]
        return _tree_changes(objects, trees[0], trees[1])


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


def _worktree_changes(repo: git.Repo, base_sha: str) -> set[str]:
    """Repository-relative paths where the working tree differs from ``base_sha``."""
    require_git()
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
