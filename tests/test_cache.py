"""The content cache never serves a stale result, and never trusts a pack it did not sign."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

import pytest

from monops_lint import cache as cache_module
from monops_lint import load
from monops_lint.lint import LintResult
from monops_lint.workspace import Workspace
from tests.conftest import TODAY, write_catalog

PRODUCT = "kind: product\nid: storage\nname: Storage\nstatus: draft\n"
TWICE = "kind: product\nid: storage\nname: Storage\nname: Again\nstatus: draft\n"


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[str]:
    """The paths parsed (not served from the cache) during the test."""
    monkeypatch.setenv("MONOPS_CACHE_DIR", str(tmp_path / "cache"))
    parsed: list[str] = []
    real = load.load_file

    def spy(path: str, data: bytes, max_bytes: int = 1 << 20) -> load.FileResult:
        parsed.append(path)
        return real(path, data, max_bytes)

    monkeypatch.setattr(load, "load_file", spy)
    return parsed


def lint(root: Path) -> LintResult:
    return Workspace.open(root).lint(TODAY)


def rules_found(result: LintResult) -> list[str]:
    return sorted(f.rule for f in result.findings)


def test_warm_run_parses_nothing_and_matches_the_cold_one(counted: list[str],
                                                          tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", {"catalog/a.yaml": TWICE, "catalog/b.yaml": PRODUCT
                                          .replace("storage", "backup")})
    cold = lint(root)
    assert sorted(counted) == ["catalog/a.yaml", "catalog/b.yaml"]
    counted.clear()
    warm = lint(root)
    assert counted == [] and warm == cold
    assert rules_found(warm) == ["yaml-trap"]


def test_an_edit_reparses_only_that_file_and_a_revert_is_right(counted: list[str],
                                                              tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", {"catalog/a.yaml": PRODUCT, "catalog/b.yaml": PRODUCT
                                          .replace("storage", "backup")})
    assert rules_found(lint(root)) == []
    counted.clear()
    (root / "catalog/a.yaml").write_text(TWICE)
    assert rules_found(lint(root)) == ["yaml-trap"]      # the edit is seen
    assert counted == ["catalog/a.yaml"]                 # and only it was parsed
    counted.clear()
    (root / "catalog/a.yaml").write_text(PRODUCT)
    assert rules_found(lint(root)) == []                 # the revert is seen too
    assert counted == []                                 # from the entry of that content


def test_a_config_change_is_never_served_from_the_cache(counted: list[str],
                                                        tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", {"catalog/a.yaml": TWICE})
    first = lint(root)
    assert [str(f.severity) for f in first.findings] == ["error"]
    (root / "monops.yaml").write_text("rules:\n  yaml-trap: warning\n")
    second = lint(root)
    assert [str(f.severity) for f in second.findings] == ["warning"]


def test_a_monops_upgrade_starts_a_new_cache(counted: list[str], tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_catalog(tmp_path / "c", {"catalog/a.yaml": PRODUCT})
    lint(root)
    counted.clear()
    lint(root)
    assert counted == []
    cache_module.code_fingerprint.cache_clear()
    monkeypatch.setattr(cache_module, "__version__", "99.0.0")
    lint(root)
    assert counted == ["catalog/a.yaml"]
    cache_module.code_fingerprint.cache_clear()


class _Plant:
    def __reduce__(self) -> tuple[Any, ...]:
        return (os.system, ("touch planted",))


def test_a_pack_not_signed_with_our_key_is_never_unpickled(counted: list[str], tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch
                                                           ) -> None:
    root = write_catalog(tmp_path / "c", {"catalog/a.yaml": PRODUCT})
    lint(root)
    packs = sorted((tmp_path / "cache").glob("*/*.*"))
    # the file results, the lint result and the validated config
    assert sorted(p.suffix for p in packs) == [".files", ".result", ".result"]
    monkeypatch.chdir(tmp_path)
    body = pickle.dumps(_Plant())
    for pack in packs:
        pack.write_bytes(b"monops-cache-1\n" + b"\0" * 32 + body)  # a forged signature
    counted.clear()
    assert rules_found(lint(root)) == []
    assert counted == ["catalog/a.yaml"]          # the forged pack was ignored
    assert not (tmp_path / "planted").exists()    # and never unpickled


def test_an_unusable_cache_directory_means_no_cache_not_an_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("MONOPS_CACHE_DIR", str(blocker / "cache"))
    root = write_catalog(tmp_path / "c", {"catalog/a.yaml": TWICE})
    assert rules_found(lint(root)) == ["yaml-trap"]
