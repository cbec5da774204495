"""A team's first steps with monops: `git init` then `monops init .`, the files init writes,
and adopting monops in CI with a baseline (issue 15, items 7, 9 and 10)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO, write_catalog


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "monops_lint", *args], cwd=cwd,
                          capture_output=True, text=True, check=False)


def test_init_into_a_folder_that_only_holds_git(tmp_path: Path) -> None:
    # The README's order (and init's own hint) works both ways: `git init` first is fine.
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = run("init", str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "monops.yaml").is_file()
    assert (tmp_path / ".git" / "HEAD").is_file()  # git's own files left as they were


def test_init_still_refuses_git_plus_anything_else(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    (tmp_path / "README.md").write_text("ours\n")
    result = run("init", str(tmp_path))
    assert result.returncode == 2 and "not an empty folder" in result.stderr
    assert not (tmp_path / "monops.yaml").exists()


def test_init_does_not_ignore_a_cache_folder_monops_never_writes(tmp_path: Path) -> None:
    # The cache lives in ~/.cache/monops (or $MONOPS_CACHE_DIR), never in the catalog.
    assert run("init", str(tmp_path / "acme")).returncode == 0
    ignored = (tmp_path / "acme" / ".gitignore").read_text(encoding="utf-8").split()
    assert ".monops-cache/" not in ignored
    assert "out/" in ignored  # where the README's render and diff commands write


DRIFTING = {
    "catalog/p.yaml": """\
        kind: product
        id: storage
        name: Storage
        status: active
        """,
}


def test_writing_a_baseline_is_a_success(tmp_path: Path) -> None:
    # The product is active without a plan, channel, tax code or description: npi-incomplete
    # errors. Recording them is adopting monops: exit 0, and later runs report only new ones.
    root = write_catalog(tmp_path / "cat", DRIFTING)
    plain = run("lint", "--today", "2026-11-25", "--format", "json", cwd=root)
    assert plain.returncode == 1
    errors = [f for f in json.loads(plain.stdout)["findings"] if f["severity"] == "error"]
    assert errors
    written = run("lint", "--today", "2026-11-25", "--write-baseline", "base.json", cwd=root)
    assert written.returncode == 0, written.stderr
    recorded = json.loads((root / "base.json").read_text(encoding="utf-8"))["findings"]
    assert len(recorded) == len(json.loads(plain.stdout)["findings"])
    again = run("lint", "--today", "2026-11-25", "--baseline", "base.json", cwd=root)
    assert again.returncode == 0, again.stdout
