"""The content cache never serves a stale result, and never trusts a pack it did not sign."""

from __future__ import annotations

import os
import pickle
from pathlib import Path
from typing import Any

import pytest

from monops_lint import load
from monops_lint.app.lint import lint_working_tree
from monops_lint.app.workspace import Workspace
from monops_lint.lint import LintResult
from monops_lint.runtime import cache as cache_module
from monops_lint.runtime import parsing
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
    return lint_working_tree(Workspace.open(root), TODAY)


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
    # the rules' findings, the file results, the lint result and the validated config
    assert sorted(p.suffix for p in packs) == [".checked", ".files", ".result", ".result"]
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


def _packs(tmp_path: Path, suffix: str) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in (tmp_path / "cache").glob(f"*/*.{suffix}")}


def test_a_small_change_writes_a_delta_and_leaves_the_main_pack_alone(
        counted: list[str], tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", {f"catalog/p{i}.yaml": PRODUCT.replace("storage", f"p{i}")
                                          for i in range(5)})
    lint(root)
    main = _packs(tmp_path, "files")
    assert len(main) == 1 and not _packs(tmp_path, "delta")
    (root / "catalog/p0.yaml").write_text(TWICE.replace("storage", "p0"))
    counted.clear()
    assert rules_found(lint(root)) == ["yaml-trap"]
    assert counted == ["catalog/p0.yaml"]
    assert _packs(tmp_path, "files") == main          # not rewritten for one new entry
    assert len(_packs(tmp_path, "delta")) == 1        # the new entry went here
    for result in _packs(tmp_path, "result"):
        result.unlink()                               # no whole-catalog shortcut this time
    counted.clear()
    assert rules_found(lint(root)) == ["yaml-trap"]
    assert counted == []                              # served from main pack + delta


def test_a_delta_that_outgrows_the_main_pack_is_merged_into_it(
        counted: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache_module, "DELTA_MIN_ENTRIES", 0)
    root = write_catalog(tmp_path / "c", {"catalog/a.yaml": PRODUCT})
    lint(root)
    main = _packs(tmp_path, "files")
    (root / "catalog/a.yaml").write_text(TWICE)
    lint(root)                                        # 1 new entry > max(0, 1 // 8): merge
    assert not _packs(tmp_path, "delta") and _packs(tmp_path, "files") != main
    (root / "catalog/a.yaml").write_text(PRODUCT)     # the revert: its entry was kept
    for result in _packs(tmp_path, "result"):
        result.unlink()
    counted.clear()
    assert rules_found(lint(root)) == [] and counted == []


def test_a_diff_keeps_both_sides_cached(counted: list[str], tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Files the two sides share come from one side's memo: they must stay in the cache
    (a bug once shrank the pack to the changed files, and every later diff re-parsed all)."""
    import subprocess

    monkeypatch.setattr(cache_module, "DELTA_MIN_ENTRIES", 0)  # merge on every save
    monkeypatch.setattr(cache_module, "KEEP_EXTRA", 0)         # keep only what was used

    from monops_lint.app.review import review_revisions

    root = write_catalog(tmp_path / "c", {f"catalog/p{i}.yaml": PRODUCT.replace("storage", f"p{i}")
                                          for i in range(4)})
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}

    def git(*args: str) -> None:
        subprocess.run(["git", *args], cwd=root, env=env, check=True, capture_output=True)

    git("init", "-q")
    git("add", "-A")
    git("commit", "-q", "-m", "base")
    (root / "catalog/p1.yaml").write_text(TWICE.replace("storage", "p1"))
    git("commit", "-q", "-am", "head")
    workspace = Workspace.open(root)
    first = review_revisions(workspace, "HEAD~1", "HEAD", TODAY)
    assert sorted(counted) == sorted([*(f"catalog/p{i}.yaml" for i in range(4)), "catalog/p1.yaml"])
    counted.clear()
    again = review_revisions(Workspace.open(root), "HEAD~1", "HEAD", TODAY)
    assert counted == []                              # both sides from the cache
    assert again.introduced == first.introduced
    assert [f.rule for f in first.introduced] == ["yaml-trap"]


def test_a_cold_parallel_load_stores_the_workers_bytes_as_they_are(
        counted: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cold run pickles its results once: the workers' bytes go into the main pack (the
    parent does not pickle them again), and a later run reads every entry back."""
    files = {f"catalog/p{i}.yaml": PRODUCT.replace("storage", f"p{i}") for i in range(12)}
    root = write_catalog(tmp_path / "c", {**files, "catalog/p0.yaml": TWICE})
    monkeypatch.setattr(parsing, "PARSE_WORKERS_MIN_FILES", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    chunks: list[bytes] = []
    real = cache_module.ResultCache.put_chunk

    def spy(self: cache_module.ResultCache, keys: list[Any], values: list[Any],
            pickled: bytes) -> None:
        chunks.append(pickled)
        real(self, keys, values, pickled)

    monkeypatch.setattr(cache_module.ResultCache, "put_chunk", spy)
    cold = lint(root)
    assert len(chunks) > 1                             # parsed in workers, in chunks
    (pack,) = _packs(tmp_path, "files").values()
    assert all(chunk in pack for chunk in chunks)      # stored byte for byte
    for result in _packs(tmp_path, "result"):
        result.unlink()                               # no whole-catalog shortcut
    monkeypatch.setattr(parsing, "PARSE_WORKERS_MIN_FILES", 10**9)  # a re-parse is counted
    counted.clear()
    again = lint(root)
    assert counted == [] and rules_found(again) == rules_found(cold) == ["yaml-trap"]


def test_the_tests_never_use_the_user_s_cache(monops_cache_dir: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """tests/conftest.py gives every test process a cache of its own, in and out of process."""
    root = write_catalog(tmp_path / "c", {"catalog/a.yaml": PRODUCT})
    assert cache_module.cache_directory() == monops_cache_dir
    lint(root)
    assert list(monops_cache_dir.glob("*/*.files"))  # the run's packs went there
    monkeypatch.delenv("MONOPS_CACHE_DIR")
    assert not cache_module.cache_directory().is_relative_to(Path.home())
