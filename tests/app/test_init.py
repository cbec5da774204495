"""`monops init`: a new catalog that lints clean and renders; the workflows it ships."""

from __future__ import annotations

from pathlib import Path

import yaml

from monops_lint.app.init import render_file, template_files
from tests.cli_runner import Result, run_cli
from tests.conftest import REPO


def run(*args: str, cwd: Path = REPO) -> Result:
    return run_cli(*args, cwd=cwd)


def test_init_writes_a_catalog_that_lints_clean_and_renders(tmp_path: Path) -> None:
    target = tmp_path / "acme"
    assert run("init", str(target)).returncode == 0
    for name in ("monops.yaml", ".github/workflows/monops-pr.yml",
                 ".github/workflows/monops-comment.yml", ".pre-commit-config.yaml"):
        assert (target / name).is_file(), name
    lint = run("lint", "--today", "2026-11-25", cwd=target)
    assert lint.returncode == 0, lint.stdout
    rendered = run("render", "--format", "json", cwd=target)
    # 12 seats on Business, graduated, tier 1 (up to 50) at 15.00: 12 × 15.00 = 180.00;
    # tax 8.25 %: 180.00 × 0.0825 = 14.85; total 194.85
    assert '"total": "194.85"' in rendered.stdout and '"tax": "14.85"' in rendered.stdout


def test_init_refuses_a_folder_that_is_not_empty(tmp_path: Path) -> None:
    (tmp_path / "keep.yaml").write_text("kind: product\n")
    result = run("init", str(tmp_path))
    assert result.returncode == 2 and "not an empty folder" in result.stderr
    assert (tmp_path / "keep.yaml").read_text() == "kind: product\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.yaml"]


def test_this_repositorys_workflows_are_the_init_template_installing_from_the_checkout() -> None:
    files = template_files(install="python3 -m pip install .")
    for name in ("monops-pr.yml", "monops-comment.yml"):
        target = f".github/workflows/{name}"
        assert (REPO / target).read_text(encoding="utf-8") == files[target], name


def test_pr_workflow_follows_the_secure_pattern() -> None:
    pr = yaml.safe_load(template_files()[".github/workflows/monops-pr.yml"])
    comment = yaml.safe_load(template_files()[".github/workflows/monops-comment.yml"])
    # PyYAML (YAML 1.1) reads the key `on` as True.
    assert set(pr[True]) == {"pull_request"}
    assert pr["permissions"] == {"contents": "read"}
    review_steps = pr["jobs"]["review"]["steps"]
    assert review_steps[0]["with"]["fetch-depth"] == 0
    assert not any("pull-requests" in str(job.get("permissions")) for job in pr["jobs"].values())
    assert "pull_request_target" not in str(pr)
    assert set(comment[True]) == {"workflow_run"}
    job = comment["jobs"]["comment"]
    assert job["permissions"] == {"actions": "read", "pull-requests": "write"}
    assert not any("checkout" in str(step.get("uses", "")) for step in job["steps"])
    # what it posts is checked by running its scripts: tests/hardening/test_workflows.py


def test_install_placeholder_is_filled() -> None:
    assert "{install}" not in template_files()[".github/workflows/monops-pr.yml"]
    assert render_file("github/monops-pr.yml", "run: {install}", "pip install x") == \
        "run: pip install x"
