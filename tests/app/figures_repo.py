"""The hand-worked base of tests/app/figures_base as a git repository of its own, committed
once: a test then changes the working tree and compares it with HEAD."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

FIXTURE = Path(__file__).parent / "figures_base"
GIT_ENV = {"GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
           "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
RAISE_BASIC_USD = ("amount: {USD: 10.00, EUR: 8.00}", "amount: {USD: 12.00, EUR: 8.00}")
"""The change the impact tests make: basic in USD from 10.00 to 12.00 (EUR unchanged)."""


def figures_repo(path: Path) -> Path:
    """A copy of the fixture at ``path``, committed; the base stays outside git's view of
    the catalog (``base/``, as a real base would be elsewhere)."""
    shutil.copytree(FIXTURE, path)
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *args], cwd=path, check=True, capture_output=True, env=env)
    return path


def raise_basic(root: Path) -> None:
    """Apply RAISE_BASIC_USD to the working tree."""
    plans = root / "pricing" / "plans.yaml"
    before, after = RAISE_BASIC_USD
    text = plans.read_text(encoding="utf-8")
    assert before in text
    plans.write_text(text.replace(before, after), encoding="utf-8")
