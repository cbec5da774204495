"""``monops lint``: the working tree's findings, from the cache when nothing changed; with
``--changed-since``, the findings of a change; baselines."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from monops_lint.app.files import write_atomic
from monops_lint.app.workspace import Workspace, file_digests, fingerprint
from monops_lint.baseline import filter_baseline, load_baseline, write_baseline
from monops_lint.lint import LintResult, lint_catalog, lint_changes
from monops_lint.runtime.parsing import SharedFiles


def lint_working_tree(workspace: Workspace, today: dt.date,
                      paths: Sequence[str] = ()) -> LintResult:
    """``monops lint`` of the working tree: from the cache when nothing changed, else
    parsing only the files whose content the cache has not seen."""
    cache = workspace.open_cache() if workspace.use_cache else None
    snapshot = workspace.snapshot()
    digests = file_digests(snapshot)  # hashed once: for the catalog's key and each file's
    files_key = fingerprint(snapshot, digests)
    key = f"{files_key}|{today.isoformat()}|{','.join(paths)}"
    if cache is not None:
        stored = cache.get_result(key)
        if isinstance(stored, LintResult):
            return stored
    catalog = workspace.load(snapshot, digests, workspace.config, None, files_key)
    files = len(snapshot)
    del snapshot  # the files' bytes are not needed past here
    sides = [(catalog, workspace.config)]
    cached = workspace.cached_findings(sides, today)[0]
    if cached is None:
        workspace.progress_on(files, f"running the rules over {files:,} files")
    checked = cached if cached is not None else tuple(workspace.check(sides, today)[0])
    result = lint_catalog(catalog, workspace.config, today, paths, checked=checked)
    workspace.keep_findings(sides, today, [cached], [result.checked])
    if cache is not None:
        cache.put_result(key, dataclasses.replace(result, checked=()))
    return result


def lint_changed_since(workspace: Workspace, rev: str, today: dt.date,
                       paths: Sequence[str] = ()) -> LintResult:
    """``monops lint --changed-since REV``: the whole working tree is linted, the report keeps
    the findings in files changed since ``rev`` and those the change introduced elsewhere."""
    # Imported here: a plain `monops lint` needs neither git nor the review machinery.
    from monops_lint.app.review import load_side
    from monops_lint.source.gitrev import changed_files, find_repository

    shared = SharedFiles()
    base = load_side(workspace, rev, shared)
    catalog = workspace.catalog(shared=shared)
    assert base.sha is not None
    changed = changed_files(find_repository(workspace.root), base.sha, None, workspace.root)
    sides = ((base.catalog, base.config), (catalog, workspace.config))
    cached = workspace.cached_findings(sides, today)
    result, before = lint_changes(catalog, base.catalog, base.config, workspace.config, today,
                                  sorted(changed), paths, (cached[0], cached[1]),
                                  workspace.check)
    # what the review's `monops diff` of the same two sides reuses
    workspace.keep_findings(sides, today, cached, (before.checked, result.checked))
    return result


def record_baseline(result: LintResult, path: Path) -> None:
    """Write every finding of ``result`` to the baseline file ``path`` (atomically)."""
    write_atomic(path, write_baseline(result.findings))


def without_baselined(result: LintResult, path: Path) -> LintResult:
    """``result`` without the findings the baseline file ``path`` records."""
    kept, count = filter_baseline(result.findings, load_baseline(path))
    return dataclasses.replace(result, findings=tuple(kept), baselined=count)
