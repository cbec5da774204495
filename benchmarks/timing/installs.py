"""Which monops is measured (this venv's, or a commit installed into a venv of its own),
and check-jsonschema for row g."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

from benchmarks.timing.commands import BenchmarkError, git, tail

REPO = Path(__file__).resolve().parents[2]
"""The monops checkout the harness belongs to."""


def monops_command() -> list[str]:
    """``monops`` of the virtualenv running this script (else ``python -m monops_lint``)."""
    beside = Path(sys.executable).parent / "monops"
    if beside.is_file() and os.access(beside, os.X_OK):
        return [str(beside)]
    return [sys.executable, "-m", "monops_lint"]


def working_tree_source() -> str:
    """The monops checkout this script belongs to: its commit, and whether code is edited."""
    try:
        commit = git(REPO, "rev-parse", "--short", "HEAD")
        edited = git(REPO, "status", "--porcelain", "--", "monops_lint", "schemas",
                     "pyproject.toml")
    except BenchmarkError:
        return "the current virtualenv (commit unknown)"
    state = f" plus uncommitted changes to {len(edited.splitlines())} file(s)" if edited else ""
    return f"working tree of {REPO} at {commit}{state}"


def install_snapshot(rev: str, work: Path) -> tuple[list[str], str]:
    """monops as committed at ``rev``, installed into a venv of its own (immune to edits
    made in the working tree while the benchmark runs), with the current venv's versions
    of its dependencies. Editable, from the exported tree, as the dev venv installs it
    (before 5466d62, pyproject.toml listed only the top-level packages, and a regular
    install of those commits lacks the subpackages).
    """
    if rev.startswith("-"):
        raise BenchmarkError(f"--monops-rev {rev!r}: not a revision")
    sha = git(REPO, "rev-parse", "--verify", f"{rev}^{{commit}}")
    source, venv = work / "monops-src", work / "monops-venv"
    shutil.rmtree(source, ignore_errors=True)
    source.mkdir(parents=True)
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", sha],
                             capture_output=True)
    if archive.returncode:
        raise BenchmarkError(f"git archive {sha} failed: {archive.stderr.decode()[-500:]}")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(source, filter="data")
    frozen = subprocess.run([sys.executable, "-m", "pip", "freeze", "--exclude-editable"],
                            capture_output=True, text=True).stdout
    constraints = work / "constraints.txt"
    constraints.write_text("".join(line + "\n" for line in frozen.splitlines() if "==" in line))
    for cmd in ([sys.executable, "-m", "venv", str(venv)],
                [str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                 "-c", str(constraints), "--editable", str(source)]):
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode:
            raise BenchmarkError(f"installing monops {sha[:12]} failed: {' '.join(cmd)}\n"
                                 f"{tail(done.stderr, 15)}")
    return [str(venv / "bin" / "monops")], f"commit {sha[:12]} ({rev}), installed from git " \
        "objects into a separate venv"


def install_check_jsonschema(work: Path) -> tuple[list[str] | None, str]:
    """check-jsonschema in a venv of its own, or None and why it could not be installed."""
    venv = work / "check-jsonschema-venv"
    try:
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True,
                       capture_output=True, text=True, timeout=300)
        subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-"
                        "version-check", "check-jsonschema"], check=True, capture_output=True,
                       text=True, timeout=900)
        version = subprocess.run([str(venv / "bin" / "check-jsonschema"), "--version"],
                                 check=True, capture_output=True, text=True).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        detail = getattr(exc, "stderr", "") or str(exc)
        return None, f"could not install check-jsonschema: {tail(str(detail), 5)}"
    return [str(venv / "bin" / "check-jsonschema")], version

