"""`monops rollout` and `monops diff --period` on the example catalog and its shipped sample
base: the staged rise of payments-standard (5 %, 30 %, 100 % from 2027-05-01), committed as
a change against a base revision without it."""

from __future__ import annotations

import os
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from tests.cli_runner import run_cli
from tests.conftest import REPO

EXAMPLE = ("monops.yaml", "catalog", "pricing", "scenarios", "rules", "customers")
GIT_ENV = {"GIT_AUTHOR_NAME": "T", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "T", "GIT_COMMITTER_EMAIL": "t@example.com",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example, committed without the staged version; the working tree has it."""
    root = tmp_path_factory.mktemp("example")
    for name in EXAMPLE:
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, root / name)
    payments = root / "pricing" / "payments.yaml"
    text = payments.read_text(encoding="utf-8")
    payments.write_text(text[:text.index("  # A staged price rise")], encoding="utf-8")
    assert "2027-05-01" not in payments.read_text(encoding="utf-8")  # the plan's last version
    env = {**os.environ, **GIT_ENV}
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *args], cwd=root, check=True, capture_output=True, env=env)
    payments.write_text(text, encoding="utf-8")
    return root


def test_rollout_of_the_staged_rise(example: Path) -> None:
    done = run_cli("rollout", "HEAD", "--root", str(example), "--format", "json")
    assert done.returncode == 0, done.stderr
    document = done.json()
    [version] = document["versions"]
    assert (version["plan"], version["effective_from"]) == ("payments-standard", "2027-05-01")
    assert [w["share"] for w in version["waves"]] == ["5", "30", "100"]
    days = version["days"]
    assert days and {d["wave"] for d in days} == {1, 2, 3}
    assert all(d["date"] >= "2027-05-01" for d in days)
    # Wave 1 moves on or after May 1, wave 2 on or after May 15, wave 3 after June 1.
    assert all(d["date"] >= {1: "2027-05-01", 2: "2027-05-15", 3: "2027-06-01"}[d["wave"]]
               for d in days)
    assert version["customers_moved"] + version["new_subscriptions"] > 0
    # 2.9 % -> 3.1 % of the same transactions: the list price rises or stays (min and max).
    assert sum(Decimal(d["change"]) for d in days) > 0
    assert "invoice_days" in document and "max" in document["invoice_days"]
    for fmt in ("text", "md", "html", "csv"):
        shown = run_cli("rollout", "HEAD", "--root", str(example), "--format", fmt)
        assert shown.returncode == 0 and "payments-standard" in shown.stdout, shown.stderr


def test_diff_with_the_base_shows_impact_schedule_and_rule(example: Path) -> None:
    done = run_cli("diff", "HEAD", "--root", str(example), "--period", "2027-05",
                   "--today", "2027-03-01")
    assert done.returncode in (0, 1), done.stderr
    assert "### Impact on" in done.stdout and "### Rollout schedule" in done.stdout
    assert "C00" not in done.stdout  # the sample's customer ids never reach the comment
