"""Issue 19 items 8 and 10: a file's name is data, never an option or a broken URI.

8. pre-commit appends the staged file names to the hook's entry: a file named
   ``--output=.pre-commit-config.yaml`` made ``monops lint`` overwrite that file.
10. SARIF's ``artifactLocation.uri`` is a URI reference: ``#``, ``?``, ``%`` and spaces in a
   name must be percent-encoded, or a viewer cuts the path at ``#`` or ``?``.
"""

from __future__ import annotations

import json
import shlex
import urllib.parse
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO, write_catalog
from tests.hardening.conftest import assert_clean_exit, dated, monops

pytestmark = pytest.mark.e2e  # monops runs in a subprocess

HOSTILE = "--output=.pre-commit-config.yaml"
PRODUCT = "kind: product\nid: b\nname: B\nstatus: draft\n"
DUPLICATE = "kind: product\nid: a\nname: A\nstatus: draft\nstatus: draft\n"


def hook_entry() -> list[str]:
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    words: list[str] = shlex.split(hook["entry"])
    return words


def test_the_hook_ends_its_options_before_the_file_names() -> None:
    assert hook_entry()[:2] == ["monops", "lint"] and hook_entry()[-1] == "--"


def test_a_file_named_like_an_option_is_never_obeyed(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", {"catalog/b.yaml": PRODUCT}, "paths: [catalog]\n")
    config = root / ".pre-commit-config.yaml"
    config.write_text("repos: []\n")
    (root / HOSTILE).write_text(DUPLICATE)  # staged at the root, outside the catalog's paths
    # as pre-commit runs the hook: the entry, then the staged file names, from the root
    run = monops(*hook_entry()[1:], HOSTILE, ".pre-commit-config.yaml", cwd=root)
    assert_clean_exit(run)
    assert config.read_text() == "repos: []\n"  # not overwritten
    assert run.returncode == 0 and "wrote" not in run.stderr, run.stderr


def test_a_catalog_file_named_like_an_option_is_linted(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", {"catalog/b.yaml": PRODUCT, f"catalog/{HOSTILE}":
                                          DUPLICATE}, "paths: [catalog]\n")
    run = monops(*hook_entry()[1:], HOSTILE, cwd=root / "catalog")
    assert_clean_exit(run)
    assert run.returncode == 1, run.stderr
    assert run.stdout.startswith(f"catalog/{HOSTILE}:5:1: error yaml-trap"), run.stdout
    assert not (root / "catalog" / ".pre-commit-config.yaml").exists()


@pytest.mark.parametrize("name", ["a b#c%41?.yaml", "naïve & co.yaml", "50%.yaml"])
def test_sarif_uris_are_percent_encoded(tmp_path: Path, name: str) -> None:
    root = write_catalog(tmp_path / "c", {f"catalog/{name}": DUPLICATE}, "paths: [catalog]\n")
    run = monops(*dated("lint"), "--root", str(root), "--format", "sarif")
    assert_clean_exit(run)
    [result] = json.loads(run.stdout)["runs"][0]["results"]
    uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    # by hand: space %20, # %23, % %25, ? %3F, ï (UTF-8 C3 AF) %C3%AF, & %26
    expected = {"a b#c%41?.yaml": "catalog/a%20b%23c%2541%3F.yaml",
                "naïve & co.yaml": "catalog/na%C3%AFve%20%26%20co.yaml",
                "50%.yaml": "catalog/50%25.yaml"}[name]
    assert uri == expected
    assert urllib.parse.unquote(uri) == f"catalog/{name}"
