"""A revision from the command line, resolved to the full SHA of the commit it names.

The text is checked by ``parse_revision`` (``source/revisions.py``) before
git is touched. Names are looked up by GitPython in ``.git/refs`` and
``packed-refs`` (pure Python); an abbreviated SHA is completed on the
standard input of ``git cat-file``, never on a command line. A revision
that is not here is one error line holding the exact ``git fetch`` that
would bring it (a shallow clone, a remote branch never fetched).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from monops_lint.errors import MonopsError
from monops_lint.source.gitrev.objects import GitObjects, MissingObject
from monops_lint.source.gitrev.repo import repository
from monops_lint.source.revisions import RevisionSpec, parse_revision, show_text

if TYPE_CHECKING:
    import git

# At least 7 digits: git lists every candidate of an ambiguous prefix on the
# stderr of GitPython's long-running cat-file, a pipe nobody reads.
_SHORT_SHA = re.compile(r"[0-9a-fA-F]{7,40}")
_PSEUDO_REF = re.compile(r"HEAD|[A-Z]+(?:_[A-Z]+)*_HEAD")


def resolve_revision(repo_root: Path, rev: str) -> str:
    """The full 40-hex commit SHA that ``rev`` names in the repository at ``repo_root``.

    ``rev`` is checked by ``parse_revision`` before git is touched. A name or
    commit that is not here is a ``MonopsError``; when a fetch would bring it
    (a shallow clone, a remote branch never fetched), the message holds the
    exact `git fetch` command.
    """
    revision = parse_revision(rev)
    with repository(repo_root) as repo:
        objects = GitObjects(repo)
        where = f"revision {show_text(rev)}"
        try:
            sha = objects.peel(_name_to_sha(repo, revision), where)
        except MissingObject as missing:
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


def _name_to_sha(repo: git.Repo, revision: RevisionSpec) -> str:
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


def _not_found(repo: git.Repo, revision: RevisionSpec, sha: str | None,
               depth: int) -> MonopsError:
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
