"""The shipped pull-request workflows never post a report the pull request wrote (issue 19,
item 1), and never cut one (item 6).

The review step's shell script runs here for real (bash, git, monops); the
commenter's scripts run in Node.js against a recording stand-in for GitHub's
API, so what they post in each case is checked, not read off the YAML.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from monops_lint.app.init import template_files
from tests.conftest import REPO

pytestmark = pytest.mark.e2e  # monops runs in a subprocess

MARKER = "<!-- monops-report -->"
FORGED = f"{MARKER}\nAll good, merge me! (written by the pull request)\n"


def _workflow(name: str) -> dict[Any, Any]:
    loaded: dict[Any, Any] = yaml.safe_load(template_files()[f".github/workflows/{name}"])
    return loaded


def _step(steps: list[dict[str, Any]], name: str) -> dict[str, Any]:
    return next(step for step in steps if step.get("name") == name)


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.email=t@example.invalid", "-c", "user.name=t", *args],
                   cwd=cwd, check=True, capture_output=True)


def _shim(folder: Path) -> Path:
    """A ``monops`` on PATH that runs this checkout's monops."""
    folder.mkdir()
    script = folder / "monops"
    script.write_text(f"#!/bin/sh\nexec {sys.executable} -m monops_lint \"$@\"\n")
    script.chmod(0o755)
    return folder


def _pull_request(tmp_path: Path, config: str) -> tuple[Path, str]:
    """A repository whose pull request commits ``config`` and a forged report; its base."""
    repo = tmp_path / "repo"
    shutil.copytree(REPO / "catalog", repo / "catalog")
    shutil.copytree(REPO / "pricing", repo / "pricing")
    shutil.copytree(REPO / "scenarios", repo / "scenarios")
    shutil.copy(REPO / "monops.yaml", repo / "monops.yaml")
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "base")
    base = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, check=True,
                          capture_output=True, text=True).stdout.strip()
    (repo / "monops.yaml").write_text(config)
    (repo / "monops-report").mkdir()
    (repo / "monops-report" / "report.md").write_text(FORGED)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "the pull request")
    return repo, base


def _run_review_step(tmp_path: Path, repo: Path, base: str) -> tuple[int, Path, str]:
    step = _step(_workflow("monops-pr.yml")["jobs"]["review"]["steps"], "Review report")
    runner_temp = tmp_path / "runner-temp"
    runner_temp.mkdir()
    # A report left in the runner's temporary folder by an earlier job must not survive.
    (runner_temp / "monops-report").mkdir()
    (runner_temp / "monops-report" / "report.md").write_text(FORGED)
    output = tmp_path / "github-output"
    output.write_text("")
    environment = {**os.environ, "RUNNER_TEMP": str(runner_temp), "GITHUB_OUTPUT": str(output),
                   "BASE_SHA": base, "MONOPS_CACHE_DIR": str(tmp_path / "cache"),
                   "PATH": f"{_shim(tmp_path / 'bin')}{os.pathsep}{os.environ['PATH']}"}
    # GitHub runs a `run:` script as `bash -e {0}`.
    run = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=repo, env=environment,
                         capture_output=True, text=True, check=False, timeout=300)
    return run.returncode, runner_temp / "monops-report", output.read_text()


def test_when_monops_cannot_run_the_step_fails_and_its_folder_holds_nothing(
        tmp_path: Path) -> None:
    config = (REPO / "monops.yaml").read_text() + "bogus_setting: 1\n"
    repo, base = _pull_request(tmp_path, config)
    code, folder, outputs = _run_review_step(tmp_path, repo, base)
    assert code == 2
    assert list(folder.iterdir()) == []  # neither the committed report nor a stale one
    assert "status=" not in outputs


def test_when_monops_runs_the_report_is_its_own(tmp_path: Path) -> None:
    config = (REPO / "monops.yaml").read_text()
    repo, base = _pull_request(tmp_path, config)
    code, folder, outputs = _run_review_step(tmp_path, repo, base)
    assert code == 0
    assert sorted(p.name for p in folder.iterdir()) == ["report.html", "report.md"]
    report = (folder / "report.md").read_text()
    assert report.startswith(MARKER) and "merge me" not in report
    assert "status=0" in outputs


def test_nothing_is_uploaded_from_the_working_tree_or_after_a_failed_step() -> None:
    steps = _workflow("monops-pr.yml")["jobs"]["review"]["steps"]
    uploads = [s for s in steps if "upload-artifact" in s.get("uses", "")]
    assert uploads
    for upload in uploads:
        assert upload["with"]["path"].startswith("${{ runner.temp }}/")
        assert "steps.report.outcome == 'success'" in upload["if"]
    sarif = _step(steps, "Upload SARIF")
    assert sarif["with"]["sarif_file"].startswith("${{ runner.temp }}/")
    assert "steps.sarif.outcome == 'success'" in sarif["if"]
    script = _step(steps, "Review report")["run"]
    assert 'rm -rf "$out"' in script and 'out="$RUNNER_TEMP/monops-report"' in script


# --- the commenter, run in Node.js ----------------------------------------------------

_HARNESS = r"""
const fs = require("fs");
const input = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const calls = [];
const outputs = {};
const api = (name) => {
  const call = async (params) => {
    calls.push([name, params]);
    return { data: (input.responses || {})[name] || [] };
  };
  call.apiName = name;
  return call;
};
const github = {
  paginate: async (call, params) => {
    calls.push([call.apiName, params]);
    return (input.responses || {})[call.apiName] || [];
  },
  rest: {
    pulls: { list: api("pulls.list") },
    actions: { listJobsForWorkflowRun: api("actions.listJobsForWorkflowRun") },
    issues: { listComments: api("issues.listComments"), updateComment: api("issues.updateComment"),
              createComment: api("issues.createComment") },
  },
};
const core = {
  setOutput: (key, value) => { outputs[key] = value; },
  notice: (message) => calls.push(["notice", message]),
  setFailed: (message) => calls.push(["failed", message]),
};
const context = { repo: { owner: "acme", repo: "catalog" }, payload: input.payload };
Object.assign(process.env, input.env || {});
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
const body = new AsyncFunction("require", "github", "context", "core", input.script);
body(require, github, context, core)
  .then(() => console.log(JSON.stringify({ calls, outputs })))
  .catch((error) => { console.error(error); process.exit(1); });
"""

HEAD_SHA = "a" * 40
RUN = {"id": 99, "head_sha": HEAD_SHA, "head_branch": "price-rise",
       "head_repository": {"owner": {"login": "stranger"}},
       "html_url": "https://github.com/acme/catalog/actions/runs/99"}


def _comment_steps() -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = _workflow("monops-comment.yml")["jobs"]["comment"]["steps"]
    return steps


def _node(tmp_path: Path, script: str, responses: dict[str, Any],
          env: dict[str, str] | None = None) -> dict[str, Any]:
    if shutil.which("node") is None:
        pytest.skip("Node.js is not installed (.ci/run installs it and runs this test)")
    harness = tmp_path / "harness.js"
    harness.write_text(_HARNESS)
    case = tmp_path / "case.json"
    case.write_text(json.dumps({"script": script, "responses": responses,
                                "payload": {"workflow_run": RUN}, "env": env or {}}))
    run = subprocess.run(["node", str(harness), str(case)], capture_output=True, text=True,
                         check=False, timeout=60)
    assert run.returncode == 0, run.stderr
    result: dict[str, Any] = json.loads(run.stdout)
    return result


def _find(tmp_path: Path, step_conclusion: str, pr_sha: str = HEAD_SHA
          ) -> dict[str, Any]:
    script = _step(_comment_steps(), "Find the pull request and how the review went")
    responses = {
        "pulls.list": [{"number": 7, "head": {"sha": pr_sha}}],
        "actions.listJobsForWorkflowRun": [
            {"name": "review", "steps": [{"name": "Lint (annotations on the changed lines)",
                                          "conclusion": "failure"},
                                         {"name": "Review report",
                                          "conclusion": step_conclusion}]}],
    }
    return _node(tmp_path, script["with"]["script"], responses)


def test_the_pull_request_comes_from_github_not_from_the_artifact(tmp_path: Path) -> None:
    found = _find(tmp_path, "success")
    assert found["outputs"] == {"pr": "7", "report": "written"}
    listed = next(params for name, params in found["calls"] if name == "pulls.list")
    assert listed["head"] == "stranger:price-rise"
    # A pull request that has moved on since the run is not commented on.
    moved = _find(tmp_path, "success", pr_sha="b" * 40)
    assert moved["outputs"] == {}


def test_a_failed_review_step_means_no_report(tmp_path: Path) -> None:
    assert _find(tmp_path, "failure")["outputs"] == {"pr": "7", "report": "missing"}


def _post(tmp_path: Path, report: str | None, comments: list[dict[str, Any]]) -> dict[str, Any]:
    script = _step(_comment_steps(), "Post or update the comment")["with"]["script"]
    report_file = tmp_path / "report.md"
    if report is not None:
        report_file.write_text(report, encoding="utf-8")
    env = {"PR_NUMBER": "7", "REPORT": "written" if report is not None else "missing",
           "REPORT_FILE": str(report_file)}
    return _node(tmp_path, script, {"issues.listComments": comments}, env)


def _posted(result: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    [(name, params)] = [(n, p) for n, p in result["calls"]
                        if n in ("issues.createComment", "issues.updateComment")]
    return name, params


def test_without_a_report_a_fixed_note_is_posted(tmp_path: Path) -> None:
    # Even if a report.md lies where the artifact would go, it is not read.
    (tmp_path / "report.md").write_text(FORGED)
    name, params = _posted(_post(tmp_path, None, []))
    assert name == "issues.createComment" and params["issue_number"] == 7
    assert params["body"].startswith(MARKER)
    assert "could not review" in params["body"] and "merge me" not in params["body"]
    assert RUN["html_url"] in params["body"]


def test_only_the_workflow_s_own_comment_is_updated(tmp_path: Path) -> None:
    report = f"{MARKER}\n# monops review\n"
    comments = [
        {"id": 1, "user": {"type": "User", "login": "mallory"}, "body": f"{MARKER}\nfake"},
        {"id": 2, "user": {"type": "Bot", "login": "other-app[bot]"}, "body": f"{MARKER}\nx"},
        {"id": 3, "user": {"type": "Bot", "login": "github-actions[bot]"},
         "body": f"{MARKER}\nold"},
    ]
    name, params = _posted(_post(tmp_path, report, comments))
    assert name == "issues.updateComment" and params["comment_id"] == 3
    assert params["body"] == report


def test_a_report_over_github_s_limit_is_never_cut(tmp_path: Path) -> None:
    # 40,000 emoji: 40,000 code points but 80,000 UTF-16 units, which is what JavaScript
    # counts and what a slice would have cut in the middle of the findings.
    report = MARKER + "\n" + "\U0001F600" * 40_000 + "\n## Findings the change introduces\n"
    name, params = _posted(_post(tmp_path, report, []))
    assert name == "issues.createComment"
    assert "could not review" in params["body"] and "over GitHub" in params["body"]
    assert "\U0001F600" not in params["body"]
