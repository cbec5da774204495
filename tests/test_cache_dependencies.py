"""Issue 20, item 4: upgrading a library whose behaviour reaches a finding or an invoice
(iso4217, babel, Jinja2...) never reuses what the cache kept under the old version."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from monops_lint import load
from monops_lint.app.lint import lint_working_tree
from monops_lint.app.workspace import Workspace
from monops_lint.runtime import cache as cache_module
from tests.conftest import TODAY, write_catalog

PRODUCT = "kind: product\nid: storage\nname: Storage\nstatus: draft\n"


def _upgrade(monkeypatch: pytest.MonkeyPatch, folder: Path, distribution: str) -> None:
    """Make ``distribution`` look installed at another version, first on sys.path."""
    (folder / f"{distribution}-999.0.dist-info").mkdir(parents=True)
    monkeypatch.setattr(sys, "path", [str(folder), *sys.path])
    cache_module.code_fingerprint.cache_clear()


@pytest.mark.parametrize("distribution", ["iso4217", "babel", "Jinja2", "PyYAML"])
def test_an_upgraded_dependency_is_a_new_cache_key(monkeypatch: pytest.MonkeyPatch,
                                                   tmp_path: Path, distribution: str) -> None:
    before = cache_module.code_fingerprint()
    _upgrade(monkeypatch, tmp_path / "site", distribution)
    try:
        assert f"{distribution}=999.0" in cache_module.dependency_versions()
        assert cache_module.code_fingerprint() != before
    finally:
        cache_module.code_fingerprint.cache_clear()


def test_after_an_upgrade_the_files_are_parsed_again(monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    monkeypatch.setenv("MONOPS_CACHE_DIR", str(tmp_path / "cache"))
    parsed: list[str] = []
    real = load.load_file

    def spy(path: str, data: bytes, max_bytes: int = 1 << 20) -> load.FileResult:
        parsed.append(path)
        return real(path, data, max_bytes)

    monkeypatch.setattr(load, "load_file", spy)
    root = write_catalog(tmp_path / "c", {"catalog/a.yaml": PRODUCT})
    lint_working_tree(Workspace.open(root), TODAY)
    lint_working_tree(Workspace.open(root), TODAY)
    assert parsed == ["catalog/a.yaml"]  # the second run came from the cache
    _upgrade(monkeypatch, tmp_path / "site", "iso4217")
    try:
        lint_working_tree(Workspace.open(root), TODAY)
    finally:
        cache_module.code_fingerprint.cache_clear()
    assert parsed == ["catalog/a.yaml", "catalog/a.yaml"]


def test_every_result_dependency_is_a_declared_dependency() -> None:
    import tomllib

    from tests.conftest import REPO

    declared = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {cache_module._normalized(d.split(">=")[0]) for d in declared}
    # MarkupSafe comes with Jinja2 and escapes what templates print.
    assert {cache_module._normalized(d) for d in cache_module.RESULT_DEPENDENCIES} - names == \
        {"markupsafe"}
    # The command line, the customer base's engine and the Kill Bill XML reader: none of them
    # reaches a cached lint result.
    assert names - {cache_module._normalized(d) for d in cache_module.RESULT_DEPENDENCIES} == \
        {"click", "duckdb", "defusedxml"}
