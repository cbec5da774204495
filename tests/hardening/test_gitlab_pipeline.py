"""The GitLab pipeline `monops init --ci gitlab` writes: its scripts run here for real (bash,
git, this checkout's monops), as tests/hardening/test_workflows.py runs GitHub's."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import yaml

from monops_lint.app.init import template_files
from tests.conftest import REPO
from tests.hardening.test_workflows import FORGED, MARKER, _pull_request, _shim


def _pipeline() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(
        template_files(action_ref="a" * 40, ci="gitlab")[".gitlab-ci.yml"])
    return loaded


def _run(tmp_path: Path, job: str, repo: Path, base: str) -> int:
    script = "\n".join(_pipeline()[job]["script"])
    environment = {**os.environ, "CI_PROJECT_DIR": str(repo),
                   "CI_MERGE_REQUEST_DIFF_BASE_SHA": base,
                   "MONOPS_CACHE_DIR": str(tmp_path / "cache"),
                   "PATH": f"{_shim(tmp_path / 'bin')}{os.pathsep}{os.environ['PATH']}"}
    # GitLab runs a job's script lines in one shell that stops at the first failing line.
    run = subprocess.run(["bash", "-e", "-c", script], cwd=repo, env=environment,
                         capture_output=True, text=True, check=False, timeout=300)
    return run.returncode


def test_the_review_job_writes_its_own_report(tmp_path: Path) -> None:
    repo, base = _pull_request(tmp_path, (REPO / "monops.yaml").read_text())
    assert _run(tmp_path, "monops-review", repo, base) == 0
    folder = repo / "monops-report"
    assert sorted(p.name for p in folder.iterdir()) == ["report.html", "report.md"]
    report = (folder / "report.md").read_text()
    assert report.startswith(MARKER) and report != FORGED  # the committed one is replaced


def test_when_monops_cannot_run_no_report_is_left(tmp_path: Path) -> None:
    config = (REPO / "monops.yaml").read_text() + "bogus_setting: 1\n"
    repo, base = _pull_request(tmp_path, config)
    assert _run(tmp_path, "monops-review", repo, base) == 2
    assert not (repo / "monops-report").exists()  # not even the report the change committed


def test_the_lint_job_writes_code_quality(tmp_path: Path) -> None:
    repo, base = _pull_request(tmp_path, (REPO / "monops.yaml").read_text())
    assert _run(tmp_path, "monops-lint", repo, base) == 0
    assert json.loads((repo / "gl-code-quality-report.json").read_text()) == []
