"""``monops diff``: the two sides of a change (git revisions read from objects, or the
working tree) and their review."""

from __future__ import annotations

import datetime as dt
from contextlib import closing

from monops_lint.app.workspace import Workspace
from monops_lint.diff.review import CatalogRevision, Review, review
from monops_lint.runtime.parsing import SharedFiles
from monops_lint.source.gitrev.objects import KnownObjects


def load_side(workspace: Workspace, rev: str | None, shared: SharedFiles,
              known: KnownObjects | None = None) -> CatalogRevision:
    """The catalog and config at ``rev`` (None: the working tree, uncommitted changes too),
    sharing with ``shared`` what the other side of the diff already loaded (and with
    ``known`` the git objects it read)."""
    if rev is None:
        source, config = workspace.source(None)
        return CatalogRevision("working tree", None,
                               workspace.catalog(source, config, shared), config)
    from monops_lint.source.gitrev import GitTree

    tree, config = workspace.source(rev, known)
    assert isinstance(tree, GitTree)
    with closing(tree):
        return CatalogRevision(rev, tree.sha, workspace.catalog(tree, config, shared), config)


def review_revisions(workspace: Workspace, base: str, head: str | None,
                     today: dt.date) -> Review:
    """``monops diff BASE [HEAD]``: the review of HEAD (default: the working tree) against BASE."""
    shared = SharedFiles()
    known = KnownObjects()  # both revisions are in one repository: most objects are shared
    before = load_side(workspace, base, shared, known)
    after = load_side(workspace, head, shared, known)
    del known  # the blobs: the catalogs are built
    large = max(len(before.catalog.files), len(after.catalog.files))
    sides = ((before.catalog, before.config), (after.catalog, after.config))
    cached = workspace.cached_findings(sides, today)
    done = review(before, after, today, lambda message: workspace.progress_on(large, message),
                  (cached[0], cached[1]), workspace.check)
    workspace.keep_findings(sides, today, cached, done.checked)  # for a later lint or diff
    return done
