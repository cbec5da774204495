"""Issue 20, item 10: the habits of other linters' command lines.

`lint -` with `--stdin-filename`, `-q`/`-v`, NO_COLOR only when non-empty and `--color`,
shell completion of rule, plan and scenario ids, and a `version` in every JSON output.
"""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, write_catalog

lint_command = importlib.import_module("monops_lint.cli.commands.lint")  # the module
TODAY = "2026-11-25"
PRODUCT = "kind: product\nid: storage\nname: Storage\nstatus: draft\n"


def monops(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None,
           stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("GITHUB_ACTIONS", "NO_COLOR") and not k.startswith("_MONOPS")}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "monops_lint", *args], cwd=cwd or REPO,
                          capture_output=True, text=True, env=environment, check=False,
                          input=stdin if stdin is not None else "")


def _catalog(tmp_path: Path) -> Path:
    return write_catalog(tmp_path / "c", {"catalog/p.yaml": PRODUCT,
                                          "catalog/q.yaml": PRODUCT.replace("storage", "q")
                                          + "nmae: typo\n"})


# --- lint - ----------------------------------------------------------------------------


def test_lint_stdin_checks_the_buffer_in_place_of_the_file(tmp_path: Path) -> None:
    root = _catalog(tmp_path)
    # The buffer duplicates p's id: the finding needs the rest of the catalog; q's own
    # schema finding is not reported (only the buffer's file is).
    run = monops("lint", "-", "--stdin-filename", "catalog/z.yaml", "--format", "json",
                 "--today", TODAY, cwd=root, stdin=PRODUCT)
    assert run.returncode == 1, run.stderr
    findings = json.loads(run.stdout)["findings"]
    assert [(f["rule"], f["path"], f["line"]) for f in findings] == \
        [("duplicate-id", "catalog/z.yaml", 2)]  # the second use
    assert not (root / "catalog/z.yaml").exists()  # nothing written


def test_lint_stdin_replaces_the_file_on_disk(tmp_path: Path) -> None:
    root = _catalog(tmp_path)
    fixed = PRODUCT.replace("storage", "q")
    run = monops("lint", "-", "--stdin-filename", str(root / "catalog/q.yaml"),
                 "--format", "json", "--today", TODAY, cwd=tmp_path, stdin=fixed)
    assert run.returncode == 0, run.stdout + run.stderr
    assert json.loads(run.stdout)["findings"] == []
    # without the buffer, the file on disk has its typo
    on_disk = monops("lint", "catalog/q.yaml", "--format", "json", "--today", TODAY, cwd=root)
    assert [f["rule"] for f in json.loads(on_disk.stdout)["findings"]] == ["schema"]


@pytest.mark.parametrize("args, fragment", [
    (["-"], "give --stdin-filename PATH"),
    (["-", "catalog/p.yaml", "--stdin-filename", "catalog/p.yaml"], "no other PATHS"),
    (["--stdin-filename", "catalog/p.yaml"], "goes with `-`"),
    (["-", "--stdin-filename", "notes/p.yaml"], "not under the catalog's paths"),
    (["-", "--stdin-filename", "catalog/p.txt"], "ends in .yaml or .yml"),
    (["-", "--stdin-filename", "../elsewhere.yaml"], "outside the catalog root"),
])
def test_lint_stdin_misuse_is_one_line(tmp_path: Path, args: list[str], fragment: str) -> None:
    run = monops("lint", *args, cwd=_catalog(tmp_path), stdin=PRODUCT)
    assert run.returncode == 2 and fragment in run.stderr, run.stderr
    assert len(run.stderr.splitlines()) == 1


# --- -q / -v ---------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["group", "command"])
def test_quiet_says_nothing_but_the_report(tmp_path: Path, where: str) -> None:
    root = _catalog(tmp_path)
    out = tmp_path / "report.json"
    flag = ["-q", "lint"] if where == "group" else ["lint", "-q"]
    run = monops(*flag, "--format", "json", "--output", str(out), "--today", TODAY, cwd=root)
    assert run.returncode == 1 and run.stderr == "" and out.is_file()
    loud = monops("lint", "--format", "json", "--output", str(out), "--today", TODAY, cwd=root)
    assert loud.stderr == f"monops: wrote {out}\n"


def test_verbose_says_what_it_read(tmp_path: Path) -> None:
    root = _catalog(tmp_path)
    run = monops("lint", "-v", "--today", TODAY, "--no-cache", cwd=root)
    assert f"monops: catalog root {root.resolve()} (paths: catalog, pricing, scenarios, " \
        "rules)" in run.stderr
    assert "monops: cache not used (--no-cache)" in run.stderr
    assert monops("lint", "--today", TODAY, cwd=root).stderr == ""


# --- colour ----------------------------------------------------------------------------


class _Terminal:
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize("no_color, expected", [(None, True), ("", True), ("1", False),
                                                 ("0", False)])
def test_no_color_counts_only_when_non_empty(monkeypatch: pytest.MonkeyPatch,
                                             no_color: str | None, expected: bool) -> None:
    monkeypatch.setattr(sys, "stdout", _Terminal())
    if no_color is None:
        monkeypatch.delenv("NO_COLOR", raising=False)
    else:
        monkeypatch.setenv("NO_COLOR", no_color)
    assert lint_command._colored("auto", None) is expected
    assert lint_command._colored("auto", Path("report.txt")) is False  # a file: no colour


def test_color_always_and_never_win(tmp_path: Path) -> None:
    root = _catalog(tmp_path)
    always = monops("lint", "--color", "always", "--today", TODAY, cwd=root,
                    env={"NO_COLOR": "1"})
    assert "\x1b[31merror" in always.stdout
    never = monops("lint", "--color", "never", "--today", TODAY, cwd=root)
    assert "\x1b[" not in never.stdout and "error" in never.stdout


# --- completion ------------------------------------------------------------------------


def _complete(words: str, cwd: Path = REPO) -> list[str]:
    env = {"_MONOPS_COMPLETE": "bash_complete", "COMP_WORDS": words,
           "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1))}
    run = monops(cwd=cwd, env=env)
    assert run.returncode == 0, run.stderr
    return [line.split(",", 1)[1] for line in run.stdout.splitlines() if line]


def test_completion_of_rules_plans_scenarios_and_kinds() -> None:
    assert _complete("monops explain money-") == ["money-precision"]
    assert _complete("monops quote storage-") == ["storage-free", "storage-plus"]
    assert "us-web-drive-shop" in _complete("monops render --scenario us-")
    assert _complete("monops schema pl") == ["plan"]


def test_completion_outside_a_catalog_offers_nothing(tmp_path: Path) -> None:
    assert _complete("monops quote s", cwd=tmp_path) == []


# --- JSON versions ---------------------------------------------------------------------


def test_every_json_output_has_a_version(tmp_path: Path) -> None:
    rules = json.loads(monops("rules", "--json").stdout)
    assert rules["version"] == 1 and rules["rules"][0]["id"]
    quote = json.loads(monops("quote", "storage-plus", "--json", "--today", TODAY).stdout)
    assert list(quote)[:2] == ["version", "plan"] and quote["version"] == 1
    lint = json.loads(monops("lint", "--format", "json", "--today", TODAY).stdout)
    assert lint["version"] == 1
    render = json.loads(monops("render", "--format", "json").stdout)
    assert "version" in render


def test_the_changelog_and_the_version_policy_are_written_down() -> None:
    changelog = (REPO / "CHANGELOG.md").read_text()
    assert changelog.startswith("# Changelog") and "## Unreleased" in changelog
    readme = (REPO / "README.md").read_text()
    assert "### JSON output and its version" in readme
