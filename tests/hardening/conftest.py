"""Helpers for the hardening suite: the real CLI in a subprocess, and exact finding checks.

The modules that run it so are marked ``e2e``: hostile input must not take the test
process down with it (a crash, a hang cut by a timeout, a memory limit in the child).

Every test here feeds monops input that is hostile or mistaken and checks one of two
outcomes: the exact findings (rule, line, column, message fragment), or exit 2 with one
line on stderr starting ``monops: error:``. Never a traceback, never an internal error.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.conftest import REPO

TODAY = "2026-11-25"


def monops(*args: str, cwd: Path | None = None, env: Mapping[str, str] | None = None,
           timeout: float = 120, preexec_fn: Callable[[], None] | None = None
           ) -> subprocess.CompletedProcess[str]:
    """``python -m monops_lint ARGS`` as CI runs it (no GITHUB_ACTIONS; the cache of the test
    run, tests/conftest.py's ``monops_cache_dir``, unless ``env`` names another)."""
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "monops_lint", *args], cwd=cwd or REPO,
                          capture_output=True, text=True, encoding="utf-8", errors="replace",
                          env=environment, check=False, timeout=timeout,
                          preexec_fn=preexec_fn)


def dated(*command: str) -> list[str]:
    """``command`` with ``--today`` for the commands that take it (lint, quote, diff)."""
    return [*command, "--today", TODAY] if command[0] in ("lint", "quote", "diff") \
        else list(command)


def assert_clean_exit(run: subprocess.CompletedProcess[str]) -> None:
    """No traceback and no internal error, whatever the exit code."""
    assert "Traceback" not in run.stdout + run.stderr, run.stderr
    assert "internal error" not in run.stderr, run.stderr


def assert_one_line_error(run: subprocess.CompletedProcess[str], *fragments: str) -> str:
    """Exit 2 with exactly one line on stderr, ``monops: error: ...`` holding ``fragments``."""
    assert_clean_exit(run)
    assert run.returncode == 2, (run.returncode, run.stdout[-2000:], run.stderr)
    lines = run.stderr.splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("monops: error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], (fragment, lines[0])
    return lines[0]


@dataclass(frozen=True)
class Expect:
    """One expected finding: rule, line, column and a fragment of its message (or hint)."""

    rule: str
    line: int
    column: int
    message: str = ""
    hint: str = ""


def lint_json(root: Path, *extra: str) -> tuple[subprocess.CompletedProcess[str], list[Any]]:
    """``monops lint --format json`` of ``root``: the run and its findings."""
    run = monops("lint", "--root", str(root), "--format", "json", "--today", TODAY, *extra)
    assert_clean_exit(run)
    assert run.returncode in (0, 1), run.stderr
    return run, json.loads(run.stdout)["findings"]


def assert_findings(findings: Iterable[Mapping[str, Any]], path: str,
                    expected: Iterable[Expect]) -> None:
    """The findings at ``path`` are exactly ``expected`` (order aside)."""
    here = [f for f in findings if f["path"] == path]
    want = list(expected)
    got = sorted((f["rule"], f["line"], f["column"]) for f in here)
    assert got == sorted((e.rule, e.line, e.column) for e in want), \
        "\n".join(f"{f['rule']} {f['line']}:{f['column']} {f['message']}" for f in here)
    for expect in want:
        matching = [f for f in here if (f["rule"], f["line"], f["column"])
                    == (expect.rule, expect.line, expect.column)]
        assert any(expect.message in f["message"] and expect.hint in (f["hint"] or "")
                   for f in matching), (expect, matching)
