"""Rule findings are kept per catalog: the review of a pull request (``lint --changed-since``,
``lint``, then ``diff`` twice, as the shipped workflow runs them) checks each side once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from monops_lint import lint
from monops_lint.app.lint import lint_working_tree
from monops_lint.app.review import review_revisions
from monops_lint.app.workspace import Workspace
from monops_lint.catalog import Catalog
from monops_lint.config import Config
from monops_lint.findings import Finding
from monops_lint.rules import Rule
from tests.cli_runner import run_cli
from tests.diff.conftest import TODAY, CatalogRepo

DAY = dt.date.fromisoformat(TODAY)


@pytest.fixture
def runs(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[tuple[str, ...]]:
    """The rule phases run during the test, in order (with a cache of the test's own)."""
    monkeypatch.setenv("MONOPS_CACHE_DIR", str(tmp_path / "cache"))
    seen: list[tuple[str, ...]] = []
    real = lint.check_with

    def spy(rules: list[Rule], catalog: Catalog, config: Config, today: dt.date,
            base: Any = None, prices: Any = None) -> list[Finding]:
        seen.append(tuple(sorted({rule.phase for rule in rules})))  # once per catalog checked
        return real(rules, catalog, config, today, base, prices)

    monkeypatch.setattr(lint, "check_with", spy)
    return seen


CHECK, DIFF = ("catalog", "load"), ("diff",)


def test_each_side_is_checked_once(example: CatalogRepo, runs: list[tuple[str, ...]]) -> None:
    # fiber-500-monthly's version in effect edited in place (history-rewrite), uncommitted:
    # the head is the working tree.
    example.replace("pricing/fiber.yaml", "amount: {USD: 49.99, EUR: 45.99, JPY: 7480}",
                    "amount: {USD: 52.99, EUR: 45.99, JPY: 7480}")
    lint_working_tree(Workspace.open(example.path), DAY)
    assert runs == [CHECK]                      # the head, checked and kept
    runs.clear()
    first = review_revisions(Workspace.open(example.path), "HEAD", None, DAY)
    assert runs == [CHECK, DIFF]                # the base only, then the diff rules
    assert [f.rule for f in first.introduced] == ["history-rewrite"]
    runs.clear()
    again = review_revisions(Workspace.open(example.path), "HEAD", None, DAY)
    assert runs == [DIFF]                       # both sides known
    assert (again.introduced, again.fixed) == (first.introduced, first.fixed)
    runs.clear()
    lint_working_tree(Workspace.open(example.path, use_cache=False), DAY)
    assert runs == [CHECK]                      # --no-cache: nothing reused


def test_another_day_or_an_edit_is_checked_again(example: CatalogRepo,
                                                 runs: list[tuple[str, ...]]) -> None:
    review_revisions(Workspace.open(example.path), "HEAD", None, DAY)
    assert runs == [CHECK, CHECK, DIFF]         # nothing known yet: both sides
    runs.clear()
    # Findings depend on the day (versions in effect, notice periods): not reused.
    review_revisions(Workspace.open(example.path), "HEAD", None, DAY + dt.timedelta(days=1))
    assert runs == [CHECK, CHECK, DIFF]
    runs.clear()
    # An edit makes the working tree another catalog; the base is still known.
    example.replace("pricing/fiber.yaml", "amount: {USD: 49.99, EUR: 45.99, JPY: 7480}",
                    "amount: {USD: 52.99, EUR: 45.99, JPY: 7480}")
    edited = review_revisions(Workspace.open(example.path), "HEAD", None, DAY)
    assert runs == [CHECK, DIFF]
    assert [f.rule for f in edited.introduced] == ["history-rewrite"]


def test_the_workflow_s_commands_check_each_side_once(example: CatalogRepo,
                                                      runs: list[tuple[str, ...]]) -> None:
    """The shipped pull-request job, from the command line: ``lint --changed-since``, the
    SARIF lint, then the review in two formats."""
    example.replace("pricing/fiber.yaml", "amount: {USD: 49.99, EUR: 45.99, JPY: 7480}",
                    "amount: {USD: 52.99, EUR: 45.99, JPY: 7480}")
    base = example.sha()
    example.commit("fiber 500 costs more")
    day = ["--today", TODAY]
    run = run_cli("lint", *day, "--format", "github", "--changed-since", base, cwd=example.path)
    assert (run.returncode, runs) == (1, [CHECK, CHECK, DIFF]), run   # history-rewrite: exit 1
    assert "history-rewrite" in run.stdout
    runs.clear()
    run = run_cli("lint", *day, "--format", "sarif", cwd=example.path)
    assert (run.returncode, runs) == (0, []), run    # the head's findings, kept: no rule runs
    for fmt in ("html", "md"):
        run = run_cli("diff", base, "HEAD", *day, "--format", fmt, cwd=example.path)
        assert run.returncode == 1 and "history-rewrite" in run.stdout, run
    assert runs == [DIFF, DIFF]                 # only the rules that compare the two sides
