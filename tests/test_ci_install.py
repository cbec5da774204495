"""Issue 20, items 1, 2, 5 and 9: the CI monops ships installs what it pins.

The GitHub Action installs this commit with hash-checked dependencies; the workflows
`monops init` writes use it pinned by full commit SHA; every `uses:` anywhere is pinned by
SHA with its version in a comment; the release publishes with trusted publishing; the GitLab
pipeline and the Dockerfile install the same way. `.ci/run` runs actionlint on the workflows
and the action's install script for real.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml

from monops_lint.app import init as init_module
from monops_lint.app.init import PLACEHOLDER_REF, action_pin, template_files
from monops_lint.errors import MonopsError
from tests.conftest import REPO

REQUIREMENTS = REPO / "monops_lint/init_template/ci/requirements.txt"
SHA = "0123456789abcdef0123456789abcdef01234567"
PINNED_USES = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*$")


def _pins(text: str) -> dict[str, str]:
    """Distribution (normalised) -> pinned version, from a pip requirements file."""
    return {re.sub(r"[-_.]+", "-", m[1]).lower(): m[2]
            for m in re.finditer(r"^([A-Za-z0-9._-]+)==([^\s;\\]+)", text, re.M)}


def _release(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", version))


def test_the_ci_requirements_pin_every_dependency_by_hash_within_its_range() -> None:
    text = REQUIREMENTS.read_text()
    pins = _pins(text)
    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    for requirement in declared:
        name, _, floor = requirement.partition(">=")
        key = re.sub(r"[-_.]+", "-", name).lower()
        assert key in pins, f"{name} is not pinned in {REQUIREMENTS.name}"
        assert _release(pins[key]) >= _release(floor), (name, pins[key], floor)
    assert "setuptools" in pins  # monops is built without build isolation
    # Every pinned requirement carries at least one hash (pip's --require-hashes needs it).
    entries = re.split(r"\n(?=[A-Za-z])", text[text.index("\n", text.rindex("\n#", 0, 600)):])
    for entry in entries:
        if "==" in entry:
            assert "--hash=sha256:" in entry, entry.splitlines()[0]


def _uses(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["uses"]] if isinstance(node.get("uses"), str) else []
        return found + [u for value in node.values() for u in _uses(value)]
    if isinstance(node, list):
        return [u for item in node for u in _uses(item)]
    return []


def _uses_lines(text: str) -> list[str]:
    return [line.split("uses:", 1)[1].strip() for line in text.splitlines()
            if re.match(r"^\s*(- )?uses:", line)]


def _workflow_texts() -> dict[str, str]:
    texts = {str(p.relative_to(REPO)): p.read_text() for p in
             sorted((REPO / ".github/workflows").glob("*.yml"))}
    texts["action.yml"] = (REPO / "action.yml").read_text()
    for name, text in template_files(action_ref=SHA).items():
        if name.startswith(".github/"):
            texts[f"init:{name}"] = text
    return texts


def test_every_uses_is_pinned_by_full_sha_with_its_version_in_a_comment() -> None:
    for name, text in _workflow_texts().items():
        loaded = _uses(yaml.safe_load(text))
        lines = _uses_lines(text)
        assert len(loaded) == len(lines), name
        for line in lines:
            if line == "./":
                continue  # this repository's own action, at the commit being tested
            if line.startswith("monops/monops@"):
                assert re.fullmatch(r"monops/monops@[0-9a-f]{40} # .+", line), (name, line)
                continue
            assert PINNED_USES.match(line), (name, line)


def test_init_pins_the_action_by_commit() -> None:
    files = template_files(action_ref=SHA)
    steps = yaml.safe_load(files[".github/workflows/monops-pr.yml"])["jobs"]["review"]["steps"]
    install = [s for s in steps if "monops/monops@" in s.get("uses", "")]
    assert [s["uses"] for s in install] == [f"monops/monops@{SHA}"]
    assert "pip install" not in files[".github/workflows/monops-pr.yml"]
    # Nothing installs monops by name from a package index any more.
    assert not any("monops==" in text for text in files.values())


def test_the_default_pin_is_the_release_commit_else_a_placeholder(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    unreleased = action_pin()
    assert unreleased.ref == PLACEHOLDER_REF and unreleased.is_placeholder
    released = tmp_path / "template"
    (released / "ci").mkdir(parents=True)
    (released / "ci" / "action-ref").write_text(SHA + "\n")
    monkeypatch.setattr(init_module, "_template_root", lambda: released)
    pin = action_pin()
    assert pin.ref == SHA and pin.comment == "v0.1.0" and not pin.is_placeholder


@pytest.mark.parametrize("ref", ["v0.1.0", "main", SHA[:12], SHA.upper(), SHA + "0",
                                 f"{SHA[:-1]}g", "-" + SHA[1:]])
def test_action_ref_must_be_a_full_commit_sha(ref: str) -> None:
    with pytest.raises(MonopsError, match="full 40-character commit SHA"):
        action_pin(ref)


def _action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((REPO / "action.yml").read_text())
    return loaded


def test_the_action_installs_this_commit_with_hash_checked_dependencies() -> None:
    action = _action()
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    install = next(s for s in steps if s.get("name", "").startswith("Install monops"))
    script = install["run"]
    assert "--require-hashes --no-deps -r " \
        '"$GITHUB_ACTION_PATH/monops_lint/init_template/ci/requirements.txt"' in script
    assert '--no-deps --no-build-isolation --no-index "$GITHUB_ACTION_PATH"' in script
    for step in steps:
        assert "shell" in step or "uses" in step  # composite run steps need a shell
        assert "${{" not in step.get("run", ""), "inputs reach scripts through env only"
    assert set(action["inputs"]) == {"args", "python-version"}


def test_the_release_publishes_with_trusted_publishing_only() -> None:
    release = yaml.safe_load((REPO / ".github/workflows/release.yml").read_text())
    assert release["permissions"] == {"contents": "read"}
    assert set(release[True]) == {"push"} and release[True]["push"]["tags"] == ["v*"]
    build, publish = release["jobs"]["build"], release["jobs"]["publish"]
    assert "permissions" not in build
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["needs"] == "build" and publish["environment"]["name"] == "pypi"
    assert any("pypa/gh-action-pypi-publish@" in s.get("uses", "") for s in publish["steps"])
    assert not any("password" in str(s.get("with", {})) for s in publish["steps"])
    scripts = "\n".join(s.get("run", "") for s in build["steps"])
    assert "monops_lint/init_template/ci/action-ref" in scripts and "$GITHUB_SHA" in scripts
    assert "--require-hashes" in scripts and "-m build --no-isolation" in scripts
    assert _pins((REPO / ".github/release-requirements.txt").read_text()).keys() >= \
        {"build", "setuptools"}


def test_code_scanning_has_a_base_on_the_default_branch() -> None:
    scan = yaml.safe_load(template_files(action_ref=SHA)[".github/workflows/monops-scan.yml"])
    assert "push" in scan[True]
    job = scan["jobs"]["scan"]
    assert job["if"] == "github.ref_name == github.event.repository.default_branch"
    upload = next(s for s in job["steps"] if "upload-sarif" in s.get("uses", ""))
    pr = yaml.safe_load(template_files(action_ref=SHA)[".github/workflows/monops-pr.yml"])
    pr_upload = next(s for s in pr["jobs"]["review"]["steps"]
                     if "upload-sarif" in s.get("uses", ""))
    assert upload["with"]["category"] == pr_upload["with"]["category"] == "monops"
    ci = yaml.safe_load((REPO / ".github/workflows/ci.yml").read_text())
    assert ci[True]["push"] == {"branches": ["main"]}
    assert any(s.get("uses") == "./" for s in ci["jobs"]["catalog"]["steps"])


def test_ci_runs_the_suite_at_the_lowest_allowed_versions() -> None:
    ci = yaml.safe_load((REPO / ".github/workflows/ci.yml").read_text())
    script = "\n".join(s.get("run", "") for s in ci["jobs"]["lowest"]["steps"])
    assert ".ci/lowest_constraints.py" in script and "-c " in script
    assert "lowest_constraints.py --check" in script and "pytest" in script


def test_gitlab_pipeline_installs_the_pinned_commit_with_hashed_dependencies() -> None:
    files = template_files(action_ref=SHA, ci="gitlab")
    assert ".github/workflows/monops-pr.yml" not in files
    assert files[".monops/requirements.txt"] == REQUIREMENTS.read_text()
    pipeline = yaml.safe_load(files[".gitlab-ci.yml"])
    base = pipeline[".monops"]
    assert base["variables"]["MONOPS_COMMIT"] == SHA and base["variables"]["GIT_DEPTH"] == "0"
    install = "\n".join(base["before_script"])
    assert "--require-hashes --no-deps -r .monops/requirements.txt" in install
    assert "git+https://github.com/monops/monops@$MONOPS_COMMIT" in install
    lint = pipeline["monops-lint"]
    assert "--format gitlab --output gl-code-quality-report.json" in lint["script"][0]
    assert lint["artifacts"]["reports"]["codequality"] == "gl-code-quality-report.json"
    review = pipeline["monops-review"]
    assert '"$CI_MERGE_REQUEST_DIFF_BASE_SHA" HEAD' in review["script"][0]
    assert review["rules"] == [{"if": '$CI_PIPELINE_SOURCE == "merge_request_event"'}]


def test_the_dockerfile_installs_this_checkout_hash_checked_and_runs_unprivileged() -> None:
    text = (REPO / "Dockerfile").read_text()
    assert re.search(r"^FROM python:3\.11", text, re.M)
    assert "--require-hashes --no-deps -r /tmp/monops-src/monops_lint/init_template/ci/" \
        "requirements.txt" in text
    assert "--no-deps --no-build-isolation --no-index /tmp/monops-src" in text
    assert re.search(r"^USER monops$", text, re.M)
    assert 'ENTRYPOINT ["monops"]' in text
    ignored = (REPO / ".dockerignore").read_text().split()
    assert {".venv", ".git"} <= set(ignored)


def test_init_says_when_it_wrote_the_placeholder(tmp_path: Path) -> None:
    from tests.test_cli_habits import monops

    unreleased = monops("init", str(tmp_path / "a"))
    assert unreleased.returncode == 0
    assert "monops: warning: this monops is not a release" in unreleased.stderr
    assert f"monops/monops@{PLACEHOLDER_REF}" in (
        tmp_path / "a/.github/workflows/monops-pr.yml").read_text()
    pinned = monops("init", str(tmp_path / "b"), "--action-ref", SHA)
    assert pinned.returncode == 0 and "warning" not in pinned.stderr
    assert f"monops/monops@{SHA} # pinned with monops init --action-ref" in (
        tmp_path / "b/.github/workflows/monops-scan.yml").read_text()
    gitlab = monops("init", str(tmp_path / "c"), "--ci", "gitlab", "--action-ref", SHA)
    assert gitlab.returncode == 0
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == [
        ".gitignore", ".gitlab-ci.yml", ".monops", ".pre-commit-config.yaml", ".vscode",
        "catalog", "monops.yaml", "pricing", "rules", "scenarios", "schemas"]
    bad = monops("init", str(tmp_path / "d"), "--action-ref", "v0.1.0")
    assert bad.returncode == 2 and "full 40-character commit SHA" in bad.stderr
    assert not (tmp_path / "d").exists()
