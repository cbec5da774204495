"""Issue 20, item 7: pre-commit with the catalog in a subfolder.

pre-commit runs hooks from the repository's top and passes the staged files that match
the hook's `files:`; monops finds the catalog root from those files (the nearest
monops.yaml above them) and ignores files outside it.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from tests.conftest import REPO, write_catalog
from tests.test_cli_habits import TODAY, monops

GOOD = "kind: product\nid: storage\nname: Storage\nstatus: draft\n"
TYPO = GOOD + "nmae: typo\n"


def _repository(tmp_path: Path) -> Path:
    top = tmp_path / "repo"
    write_catalog(top / "billing", {"catalog/p.yaml": TYPO, "catalog/ok.yaml":
                                    GOOD.replace("storage", "ok")})
    (top / ".github" / "workflows").mkdir(parents=True)
    (top / ".github" / "workflows" / "ci.yml").write_text("on: push\n")
    (top / "docker-compose.yaml").write_text("services: {}\n")
    return top


def test_the_hook_finds_the_catalog_from_the_files_it_is_given(tmp_path: Path) -> None:
    top = _repository(tmp_path)
    run = monops("lint", "--today", TODAY, "billing/catalog/p.yaml", ".github/workflows/ci.yml",
                 "docker-compose.yaml", cwd=top)
    assert run.returncode == 1, run.stderr
    assert run.stdout.startswith("catalog/p.yaml:5:1: error schema ")
    assert "Found 1 error in 2 files." in run.stdout


def test_a_clean_file_in_the_subfolder_passes(tmp_path: Path) -> None:
    top = _repository(tmp_path)
    run = monops("lint", "--today", TODAY, "billing/catalog/ok.yaml", cwd=top)
    assert run.returncode == 0, run.stdout + run.stderr


def test_no_catalog_file_among_them_is_nothing_to_lint(tmp_path: Path) -> None:
    top = _repository(tmp_path)
    run = monops("lint", ".github/workflows/ci.yml", "docker-compose.yaml", cwd=top)
    assert run.returncode == 0 and run.stdout == ""
    assert "nothing to lint" in run.stderr


def test_files_of_two_catalogs_are_one_clear_error(tmp_path: Path) -> None:
    top = _repository(tmp_path)
    write_catalog(top / "other", {"catalog/x.yaml": GOOD})
    run = monops("lint", "billing/catalog/p.yaml", "other/catalog/x.yaml", cwd=top)
    assert run.returncode == 2 and "several catalogs" in run.stderr
    assert len(run.stderr.splitlines()) == 1


def test_the_hook_definition_and_its_documentation() -> None:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "monops-lint" and hook["entry"].startswith("monops lint")
    pattern = re.compile(hook["files"])
    assert pattern.search("billing/catalog/p.yaml") and pattern.search("p.yml")
    readme = (REPO / "README.md").read_text()
    assert "files: ^billing/" in readme
