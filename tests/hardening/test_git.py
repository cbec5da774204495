"""Git (issue 7): hostile revisions are refused before any git call, for ``diff``,
``render --rev`` and ``lint --changed-since``; a missing base; a submodule and a symlink
in the tree at a revision.

A wrapper named ``git`` first on PATH logs every git process monops starts, so "before
any git call" is checked on the real CLI. See also tests/source/test_gitrev.py (the resolver:
every refused form, shallow clones) and tests/diff/test_diff_e2e.py.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.conftest import write_catalog
from tests.hardening.conftest import (
    TODAY,
    assert_clean_exit,
    assert_one_line_error,
    dated,
    monops,
)

pytestmark = pytest.mark.e2e  # monops runs in a subprocess

CATALOG = {"catalog/a.yaml": "kind: product\nid: a\nname: A\nstatus: draft\n"}
CONFIG = "paths: [catalog]\n"
IDENTITY = ["-c", "user.name=t", "-c", "user.email=t@example.com"]


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", *IDENTITY, *args], cwd=root, check=True, text=True,
                          capture_output=True).stdout.strip()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = write_catalog(tmp_path / "repo", CATALOG, CONFIG)
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-qm", "base")
    return root


@pytest.fixture
def git_log(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """An environment whose `git` logs its arguments, then runs the real git."""
    real = shutil.which("git")
    assert real is not None
    folder = tmp_path / "bin"
    folder.mkdir()
    log = tmp_path / "git-calls.log"
    wrapper = folder / "git"
    wrapper.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\nexec "{real}" "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    env = {"PATH": f"{folder}{os.pathsep}{os.environ.get('PATH', '')}",
           "GIT_PYTHON_GIT_EXECUTABLE": str(wrapper)}
    return env, log


def commands(rev: str, root: Path) -> list[list[str]]:
    """Each command that takes a revision, given ``rev``. `--` and `--opt=REV` make click
    hand a revision such as `--output=x` to monops (without them click refuses it as an
    unknown option, also before any git call)."""
    where = ["--root", str(root)]
    return [["diff", *where, "--today", TODAY, "--", rev],
            ["diff", *where, "--today", TODAY, "--", "HEAD", rev],
            ["render", *where, f"--rev={rev}"],
            ["lint", *where, "--today", TODAY, f"--changed-since={rev}"]]


@pytest.mark.parametrize(("rev", "reason"), [
    ("--output=/tmp/x", "starts with '-'"),
    ("-ofoo", "starts with '-'"),
    ("a..b", "'..' is not accepted"),
    ("a...b", "'..' is not accepted"),
    ("x@{{y}}", "'@' and reflog syntax (@{...}) are not accepted"),
    ("../../etc/passwd", "'..' is not accepted"),
    ("HEAD:monops.yaml", "':'"),
])
def test_hostile_revisions_are_refused_before_any_git_call(
        repo: Path, tmp_path: Path, git_log: tuple[dict[str, str], Path], rev: str,
        reason: str) -> None:
    env, log = git_log
    rev = rev.format()
    before = Path("/tmp/x").stat().st_mtime_ns if Path("/tmp/x").exists() else None
    for command in commands(rev, repo):
        if command[-2:] == ["HEAD", rev]:
            continue  # `diff HEAD REV` resolves HEAD with git first: checked below
        run = monops(*command, cwd=repo, env=env)
        assert_one_line_error(run, f"revision {rev!r}", reason)
        assert run.stdout == ""
    # No git process saw the revision; the only ones started are GitPython's own
    # `git version`, which it runs when it is imported, before monops looks at anything.
    calls = log.read_text().splitlines() if log.exists() else []
    assert set(calls) <= {"version"}, calls
    after = Path("/tmp/x").stat().st_mtime_ns if Path("/tmp/x").exists() else None
    assert before == after  # nothing wrote /tmp/x
    # as HEAD of a diff: refused too, git having seen only the base (by its SHA, on stdin)
    run = monops("diff", "--root", str(repo), "--today", TODAY, "--", "HEAD", rev, env=env)
    assert_one_line_error(run, f"revision {rev!r}", reason)
    assert rev not in log.read_text()
    # the wrapper does log when git is really called
    assert_clean_exit(monops("render", "--rev", "HEAD", "--root", str(repo), env=env))
    assert "cat-file --batch" in log.read_text()


@pytest.mark.parametrize("rev", ["no-such-branch", "0123456789abcdef0123456789abcdef01234567",
                                 "HEAD~5"])
def test_a_missing_base(repo: Path, rev: str) -> None:
    for command in commands(rev, repo):
        run = monops(*command, cwd=repo)
        assert_one_line_error(run, f"revision {rev!r}")
        assert run.stdout == ""


def test_a_missing_base_in_a_shallow_clone_names_the_fetch(repo: Path, tmp_path: Path) -> None:
    base = git(repo, "rev-parse", "HEAD")
    (repo / "catalog" / "b.yaml").write_text("kind: product\nid: b\nname: B\nstatus: draft\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "second")
    clone = tmp_path / "shallow"
    git(tmp_path, "clone", "-q", "--depth=1", repo.as_uri(), str(clone))
    for command in commands(base, clone):
        line = assert_one_line_error(monops(*command, cwd=clone))
        assert f"is not in this shallow clone; fetch it with `git fetch --no-tags --depth=1 "\
               f"origin {base}`" in line, line


def test_not_a_git_repository(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "plain", CATALOG, CONFIG)
    for command in commands("HEAD", root):
        assert_one_line_error(monops(*command, cwd=root), "is not inside a git repository")


def test_a_symlink_in_the_tree_is_refused(repo: Path) -> None:
    base = git(repo, "rev-parse", "HEAD")
    (repo / "catalog" / "evil.yaml").symlink_to("/etc/passwd")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "link")
    message = "catalog/evil.yaml is a symlink in the revision's tree; monops does not " \
              "follow symlinks"
    for command in (["diff", base, "HEAD"], ["render", "--rev", "HEAD"]):
        run = monops(*command, "--root", str(repo), cwd=repo)
        assert_one_line_error(run, message)
        assert "root:" not in run.stdout + run.stderr
    # the working tree holds it too: refused there as well
    assert_one_line_error(monops("lint", "--changed-since", base, "--root", str(repo)),
                          "catalog/evil.yaml is a symlink")
    (repo / "catalog" / "evil.yaml").unlink()  # gone from the tree, still at HEAD
    assert_one_line_error(monops("lint", "--changed-since", "HEAD", "--root", str(repo)),
                          message)


def test_a_submodule_in_the_tree_is_refused(repo: Path) -> None:
    base = git(repo, "rev-parse", "HEAD")
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{base},catalog/sub")
    git(repo, "commit", "-qm", "submodule")
    message = "catalog/sub is a submodule in the revision's tree; monops does not read " \
              "submodules"
    for command in (["diff", base, "HEAD"], ["render", "--rev", "HEAD"],
                    ["lint", "--changed-since", "HEAD"]):
        assert_one_line_error(monops(*dated(*command), "--root", str(repo), cwd=repo), message)
