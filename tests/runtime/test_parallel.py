"""The forked paths (rules split over two processes) report exactly what the one-process
path reports, and forks stay within the memory budget.

Large catalogs take these paths (``RULE_WORKER_MIN_FILES``); here the threshold
is lowered so that the example catalog and its broken twin take them too. The
twin has every rule's mutation applied, so it has findings of nearly every rule
to compare; the example catalog is its base for the diff rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from monops_lint import lint
from monops_lint.app.workspace import Workspace
from monops_lint.findings import Finding
from monops_lint.rules import all_rules
from monops_lint.runtime import checking, fork
from monops_lint.runtime.checking import check_catalogs_forked
from tests.rules.example_twin import EXAMPLE, TODAY, build_twin
from tests.rules.example_twin import EXAMPLE_CASES as MUTATIONS

DAY = dt.date.fromisoformat(TODAY)

def _shown(findings: tuple[Finding, ...] | list[Finding]) -> list[str]:
    return [f"{f.location} {f.rule} {f.severity} {f.message}" for f in findings]


def test_forked_paths_report_what_one_process_reports(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    twin = Workspace.open(build_twin(tmp_path / "twin", MUTATIONS), use_cache=False)
    example = Workspace.open(EXAMPLE, use_cache=False)
    head, base = twin.catalog(), example.catalog()

    alone = lint.lint_catalog(head, twin.config, DAY)
    before, after = lint.lint_sides(base, example.config, head, twin.config, DAY)

    monkeypatch.setattr(checking, "RULE_WORKER_MIN_FILES", 1)
    forks: list[int] = []
    real = fork.run_alongside

    def counted(*tasks: Any) -> Any:
        forks.append(1)
        return real(*tasks)

    monkeypatch.setattr(checking, "run_alongside", counted)
    checked = check_catalogs_forked([(head, twin.config)], DAY)
    forked = lint.lint_catalog(head, twin.config, DAY, checked=checked[0])
    forked_before, forked_after = lint.lint_sides(base, example.config, head, twin.config, DAY,
                                                  check=check_catalogs_forked)
    assert len(forks) == 2  # the lint, and both sides of the diff together

    pricing = {rule.id for rule in all_rules().values() if rule.cost == "prices"}
    assert len({f.rule for f in alone.findings}) > 20  # most rules fire on the twin
    assert any(f.rule in pricing for f in alone.findings)  # forked rules too
    assert _shown(forked.findings) == _shown(alone.findings)
    assert before.findings == ()  # the example catalog lints clean
    assert _shown(forked_before.findings) == _shown(before.findings)
    assert _shown(forked_after.findings) == _shown(after.findings)
    assert forked_after.suppressed == after.suppressed


def test_no_worker_past_the_memory_budget(monkeypatch: pytest.MonkeyPatch) -> None:
    assert fork.resident_bytes() > 0  # Linux: /proc/self/statm
    assert fork.can_fork(10, min_files=1)
    assert not fork.can_fork(10, min_files=11)
    # A parent this size would double past the budget with a worker: one process.
    monkeypatch.setattr(fork, "MEMORY_BUDGET", fork.resident_bytes())
    assert not fork.can_fork(10, min_files=1)


def test_known_rule_findings_stand_for_running_the_rules(tmp_path: Path) -> None:
    """A side whose ``checked`` findings the cache kept is not checked again: the report is
    the same either way, suppressions of the diff rules included."""
    root = build_twin(tmp_path / "twin", MUTATIONS)
    fiber = root / "pricing/fiber.yaml"
    text = fiber.read_text()
    old = "amount: {USD: 49.99, EUR: 45.99, JPY: 7480}"
    assert text.count(old) == 1
    # An in-place edit of a version in effect (history-rewrite), suppressed on its line: the
    # suppression is used only by a diff rule, which runs even when the rest is known.
    fiber.write_text(text.replace(old, "amount: {USD: 52.99, EUR: 45.99, JPY: 7480}"
                                  "  # monops: disable=history-rewrite -- agreed"))
    twin, example = Workspace.open(root, use_cache=False), Workspace.open(EXAMPLE, use_cache=False)
    head, base = twin.catalog(), example.catalog()
    before, after = lint.lint_sides(base, example.config, head, twin.config, DAY)
    assert after.suppressed >= 1 and before.checked == () and len(after.checked) > 20
    assert not any(f.rule == "unused-suppression" and f.location.path == "pricing/fiber.yaml"
                   for f in after.findings)
    for known in ((before.checked, after.checked), (None, after.checked),
                  (before.checked, None)):
        again = lint.lint_sides(base, example.config, head, twin.config, DAY, known=known)
        assert _shown(again[0].findings) == _shown(before.findings)
        assert _shown(again[1].findings) == _shown(after.findings)
        assert again[1].suppressed == after.suppressed
        assert again[1].checked == after.checked


def test_free_memory_is_handed_back_before_the_budget_check() -> None:
    import platform

    from monops_lint.runtime.fork import release_free_memory, resident_bytes

    glibc = platform.libc_ver()[0] == "glibc"  # elsewhere there is nothing to hand back
    # 200 MB of 2 KB objects (below glibc's mmap threshold: the heap keeps them), all but
    # one in 64 freed: the heap's top stays in use, so glibc keeps the free pages below it
    # (as after loading a catalog) until they are handed back.
    chunks = [bytes(2048) + i.to_bytes(4, "little") for i in range(100_000)]
    kept = chunks[::64]
    held = resident_bytes()
    del chunks
    release_free_memory()
    if glibc:
        assert resident_bytes() < held - (100 << 20)
    assert len(kept) == 1563


def test_the_worker_takes_the_shared_tasks_left_once_its_own_is_done() -> None:
    """``run_alongside``: the parent starts on the shared tasks at once; the worker, its own
    task done, takes those not yet started; each result comes back in its task's place,
    whoever ran it. (The tasks take a while so that both surely get some, on any machine.)"""
    import os
    import time

    parent = os.getpid()

    def task(number: int) -> Callable[[], tuple[int, int]]:
        def run() -> tuple[int, int]:
            time.sleep(0.15)
            return number, os.getpid()
        return run

    own, shared = fork.run_alongside(lambda: os.getpid(), [task(n) for n in range(8)])
    assert own != parent  # the worker's own task ran in the worker
    assert [number for number, _ in shared] == list(range(8))
    ran_by = {pid for _, pid in shared}
    assert ran_by == {parent, own}
