"""Progress of long work: the core names each step; the CLI shows it on a terminal only."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from monops_lint.app import workspace as workspace_module
from monops_lint.app.lint import lint_working_tree
from monops_lint.app.review import review_revisions
from monops_lint.app.workspace import Workspace
from monops_lint.cli import StatusLine
from tests.diff.conftest import GIT_ENV, TODAY, CatalogRepo

DAY = dt.date.fromisoformat(TODAY)


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_status_line_writes_to_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TERM", "xterm")
    terminal = Terminal()
    status = StatusLine(terminal)
    status("parsing 10,000 files")
    status("running the rules")
    status.clear()
    status.clear()  # a second clear writes nothing more
    # each message overwrites the line ("\r" + erase to the end), the clear erases it
    assert terminal.getvalue() == ("\r\x1b[Kmonops: parsing 10,000 files..."
                                   "\r\x1b[Kmonops: running the rules...\r\x1b[K")
    piped = io.StringIO()  # a pipe or a CI log: nothing at all
    StatusLine(piped)("parsing")
    StatusLine(piped).clear()
    assert piped.getvalue() == ""
    monkeypatch.setenv("TERM", "dumb")
    dumb = Terminal()
    StatusLine(dumb)("parsing")
    assert dumb.getvalue() == ""


def test_lint_and_diff_name_their_steps_on_large_catalogs(
        example: CatalogRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    for key, value in GIT_ENV.items():
        monkeypatch.setenv(key, value)
    example.replace("pricing/fiber.yaml", "amount: {USD: 49.99, EUR: 45.99, JPY: 7480}",
                    "amount: {USD: 54.99, EUR: 45.99, JPY: 7480}")
    files = len(Workspace.open(example.path, use_cache=False).snapshot())
    messages: list[str] = []

    # The example catalog is small: no progress (it would flash and vanish).
    quiet = Workspace.open(example.path, use_cache=False, progress=messages.append)
    lint_working_tree(quiet, DAY)
    assert messages == []

    monkeypatch.setattr(workspace_module, "PROGRESS_MIN_FILES", 1)
    loud = Workspace.open(example.path, use_cache=False, progress=messages.append)
    lint_working_tree(loud, DAY)
    assert messages == [f"reading {files} files", f"parsing and checking {files} files",
                        f"running the rules over {files} files"]

    messages.clear()
    head = example.sha()
    review_revisions(loud, "HEAD", None, DAY)
    assert messages == [f"reading {files} files at {head[:12]}",
                        f"parsing and checking {files} files",
                        f"reading {files} files", f"parsing and checking {files} files",
                        "comparing the catalogs", "pricing 11 scenarios on both sides",
                        "running the rules on both sides"]
