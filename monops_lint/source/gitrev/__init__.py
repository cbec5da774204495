"""Catalog files at a git revision, read straight from git objects.

A revision given on the command line (``diff BASE HEAD``, ``--changed-since``,
``--rev``) is untrusted text. It is checked against a small grammar
(``source/revisions.py``) *before* git is touched, then resolved to a full
commit SHA (``resolve``). No user text is ever placed on a git command line:
names are looked up by GitPython in ``.git/refs`` and ``packed-refs`` (pure
Python), objects are read through ``git cat-file`` processes that are only
ever given full SHAs (or a hex-only abbreviation) on standard input
(``objects``), and the only other commands run (``git ls-files``) have fixed
arguments plus the catalog folder, after ``--`` and read literally. No git
command that runs the repository's own hooks, filters or diff drivers is
used: the working tree is compared with a commit by hashing its files here
(``changes``). Trees are walked entry by entry (``tree``), so a symlink or a
submodule in the catalog is refused by its mode before anything it points
to is read.

The modules: ``repo`` (opening and finding the repository), ``objects``
(reading objects by SHA), ``resolve`` (revision text to a commit), ``tree``
(``GitTree``: the catalog files of one commit) and ``changes`` (which files
differ between two commits, or a commit and the working tree).
"""

from __future__ import annotations

from monops_lint.source.gitrev.changes import changed_files
from monops_lint.source.gitrev.objects import MAX_TREE_ENTRIES
from monops_lint.source.gitrev.repo import find_repository
from monops_lint.source.gitrev.resolve import resolve_revision
from monops_lint.source.gitrev.tree import GitTree
from monops_lint.source.revisions import RevisionSpec, parse_revision

__all__ = ["MAX_TREE_ENTRIES", "GitTree", "RevisionSpec", "changed_files", "find_repository",
           "parse_revision", "resolve_revision"]
