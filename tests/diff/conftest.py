"""Real git repositories holding the example catalog, and the CLI run against them.

The example catalog (catalog/, pricing/, scenarios/, rules/, monops.yaml) is
copied into a repository and committed once per test session; each test
gets its own copy of that repository (``.git`` included) in ``tmp_path``,
makes its change, and runs ``python -m monops_lint`` as a subprocess, as a
CI job would (the modules that do are marked ``e2e``). Every run checks that
monops left the working tree, the index and ``git status`` exactly as they
were.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
TODAY = "2026-11-25"
EXAMPLE = ("catalog", "pricing", "scenarios", "rules", "monops.yaml")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test", "GIT_AUTHOR_EMAIL": "test@example.com",
    "GIT_COMMITTER_NAME": "Test", "GIT_COMMITTER_EMAIL": "test@example.com",
    "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_TERMINAL_PROMPT": "0",
}
# Commands whose result depends on the date take --today (SPEC section 5).
DATED = {"diff", "lint"}


def clean_env(cache: Path) -> dict[str, str]:
    """The environment every git and monops process here runs in."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("GIT_", "GITHUB_", "MONOPS_")) and k != "NO_COLOR"}
    return {**env, **GIT_ENV, "MONOPS_CACHE_DIR": str(cache), "NO_COLOR": "1",
            "PYTHONDONTWRITEBYTECODE": "1"}


def run_git(cwd: Path, env: dict[str, str], *args: str, strip: bool = True) -> str:
    """Run git with fixed arguments in ``cwd``; its stdout (stripped unless told)."""
    done = subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True,
                          text=True)
    return done.stdout.strip() if strip else done.stdout


@dataclass(frozen=True)
class Run:
    """One finished monops process."""

    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        """Standard output read as JSON."""
        return json.loads(self.stdout)

    def __str__(self) -> str:  # shown by pytest when an assertion on a Run fails
        return (f"monops {' '.join(self.args)} -> {self.returncode}\n--- stdout\n"
                f"{self.stdout[-4000:]}\n--- stderr\n{self.stderr[-4000:]}")


@dataclass(frozen=True)
class Reports:
    """The md, json and (unless skipped) html reports of one ``monops diff``, and its exit
    code and standard error (the same for every format)."""

    md: str
    data: dict[str, Any]
    html: str
    returncode: int
    stderr: str

    def invoice(self, scenario: str) -> dict[str, Any]:
        """The json report's entry for ``scenario``."""
        matches: list[dict[str, Any]] = [i for i in self.data["invoices"]
                                          if i["scenario"] == scenario]
        assert len(matches) == 1, scenario
        return matches[0]

    def totals(self) -> dict[str, tuple[str | None, str | None]]:
        """scenario -> (total before, total after), from the json report."""
        return {i["scenario"]: ((i["before"] or {}).get("total"), (i["after"] or {}).get("total"))
                for i in self.data["invoices"]}

    def introduced(self) -> list[tuple[str, str, int, int]]:
        """(rule, path, line, column) of each finding the change introduces."""
        return [(f["rule"], f["path"], f["line"], f["column"])
                for f in self.data["findings"]["introduced"]]


class CatalogRepo:
    """A git repository holding a catalog, with the edits and runs the tests need."""

    def __init__(self, path: Path, env: dict[str, str]) -> None:
        self.path = path
        self.env = env

    # --- git and files ----------------------------------------------------------------

    def git(self, *args: str, strip: bool = True) -> str:
        return run_git(self.path, self.env, *args, strip=strip)

    def read(self, name: str) -> str:
        return (self.path / name).read_text(encoding="utf-8")

    def write(self, name: str, text: str) -> None:
        target = self.path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")

    def replace(self, name: str, old: str, new: str) -> None:
        """Replace the one occurrence of ``old`` in ``name`` (fails unless there is exactly one)."""
        text = self.read(name)
        assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {name}"
        self.write(name, text.replace(old, new))

    def append_version(self, name: str, plan: str, version: str) -> None:
        """Add ``version`` (YAML text of one list item) at the end of ``plan``'s versions.

        Every plan of the example catalog ends with its ``versions:`` list, so
        the version goes at the end of that plan's document.
        """
        docs = self.read(name).split("\n---\n")
        hits = [i for i, doc in enumerate(docs) if f"\nid: {plan}\n" in f"\n{doc}"]
        assert len(hits) == 1, f"plan {plan} not found once in {name}"
        doc = docs[hits[0]]
        docs[hits[0]] = doc.rstrip("\n") + "\n" + version.rstrip("\n") + "\n"
        self.write(name, "\n---\n".join(docs))

    def commit(self, message: str = "change") -> str:
        """Stage everything in this (test) repository, commit, return the new SHA."""
        self.git("add", "-A")
        self.git("commit", "-q", "--allow-empty", "-m", message)
        return self.sha()

    def sha(self, rev: str = "HEAD") -> str:
        return self.git("rev-parse", "--verify", f"{rev}^{{commit}}")

    def status(self) -> str:
        """``git status --porcelain`` (without taking the index lock, which would change it)."""
        return self.git("--no-optional-locks", "status", "--porcelain=v1",
                        "--untracked-files=all", strip=False)

    def snapshot(self) -> tuple[str, str, bytes, dict[str, bytes]]:
        """What monops must never change: git status, HEAD, the index, every working file."""
        status = self.status()
        head = self.git("rev-parse", "HEAD")
        files = {p.relative_to(self.path).as_posix(): p.read_bytes()
                 for p in sorted(self.path.rglob("*"))
                 if p.is_file() and ".git" not in p.relative_to(self.path).parts}
        return status, head, (self.path / ".git" / "index").read_bytes(), files

    # --- monops -----------------------------------------------------------------------

    def monops(self, *args: str, today: bool = True, timeout: float = 120) -> Run:
        """Run ``python -m monops_lint ARGS`` here; assert the repository is left untouched.

        ``--today 2026-11-25`` goes right after the command name of a dated
        command, so that it is read as an option even when the arguments
        hold ``--`` (which ends the options).
        """
        argv = list(args)
        if today and argv and argv[0] in DATED:
            argv[1:1] = ["--today", TODAY]
        before = self.snapshot()
        done = subprocess.run([sys.executable, "-m", "monops_lint", *argv], cwd=self.path,
                              env=self.env, capture_output=True, text=True, timeout=timeout,
                              check=False)
        run = Run(tuple(argv), done.returncode, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr, run
        assert self.snapshot() == before, f"monops changed the repository\n{run}"
        return run

    def reports(self, *revs: str, options: tuple[str, ...] = (), html: bool = True) -> Reports:
        """``monops diff REVS OPTIONS`` in md, json and html: one exit code and stderr."""
        formats = ("md", "json", "html") if html else ("md", "json")
        runs = {fmt: self.monops("diff", *revs, "--format", fmt, *options) for fmt in formats}
        assert len({(r.returncode, r.stderr) for r in runs.values()}) == 1, \
            "\n".join(str(r) for r in runs.values())
        md = runs["md"]
        assert md.returncode in (0, 1), md
        return Reports(md.stdout, runs["json"].json(), runs["html"].stdout if html else "",
                       md.returncode, md.stderr)


@pytest.fixture(scope="session")
def git_env(monops_cache_dir: Path) -> dict[str, str]:
    """The environment of the git and monops processes: the test run's cache
    (tests/conftest.py), nothing of the user's git or monops settings."""
    return clean_env(monops_cache_dir)


@pytest.fixture(scope="session")
def example_template(tmp_path_factory: pytest.TempPathFactory, git_env: dict[str, str]) -> Path:
    """The example catalog committed once as ``main`` in a repository (copied per test)."""
    path = tmp_path_factory.mktemp("template") / "repo"
    path.mkdir()
    for name in EXAMPLE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, path / name)
    run_git(path, git_env, "init", "-q", "-b", "main")
    run_git(path, git_env, "add", "-A")
    run_git(path, git_env, "commit", "-q", "-m", "example catalog")
    return path


@pytest.fixture
def example(tmp_path: Path, example_template: Path, git_env: dict[str, str]
            ) -> Iterator[CatalogRepo]:
    """A fresh copy of the example repository: branch ``main``, one commit, a clean tree."""
    path = tmp_path / "repo"
    shutil.copytree(example_template, path, symlinks=True)
    yield CatalogRepo(path, git_env)
