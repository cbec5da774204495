"""Loading the two sides of a diff: git revisions read from objects, or the working tree."""

from __future__ import annotations

import datetime as dt
from contextlib import closing

from monops_lint.diff.review import Review, Revision, review
from monops_lint.load import Memo
from monops_lint.workspace import Workspace


def load_revision(workspace: Workspace, rev: str | None, memo: Memo) -> Revision:
    """The catalog and config at ``rev`` (None: the working tree, uncommitted changes too)."""
    if rev is None:
        source, config = workspace.source(None)
        return Revision("working tree", None, workspace.catalog(source, config, memo), config)
    from monops_lint.source.gitrev import GitTree

    tree, config = workspace.source(rev)
    assert isinstance(tree, GitTree)
    with closing(tree):
        return Revision(rev, tree.sha, workspace.catalog(tree, config, memo), config)


def review_revisions(workspace: Workspace, base: str, head: str | None,
                     today: dt.date) -> Review:
    """``monops diff BASE [HEAD]``: the review of HEAD (default: the working tree) against BASE."""
    memo = Memo()
    before = load_revision(workspace, base, memo)
    after = load_revision(workspace, head, memo)
    large = max(len(before.catalog.files), len(after.catalog.files))
    sides = ((before.catalog, before.config), (after.catalog, after.config))
    known = workspace.known(sides, today)
    done = review(before, after, today, lambda message: workspace.say(large, message),
                  (known[0], known[1]))
    workspace.remember(sides, today, known, done.checked)  # for a later lint or diff
    return done
