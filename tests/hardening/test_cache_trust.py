"""A cache folder someone else could write is never trusted (issue 19, item 2).

The packs are signed pickles: whoever knows the key of a folder can make one
that runs code when it is read. So a folder, key or pack that is not this
user's alone means running without the cache, with one warning line; and
nothing in the folder is opened through a symlink or blocks (a FIFO).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from monops_lint.runtime import cache as cache_module
from monops_lint.runtime.cache import ResultCache
from tests.conftest import REPO, write_catalog
from tests.hardening.conftest import assert_clean_exit, monops

pytestmark = pytest.mark.e2e  # monops runs in a subprocess

PRODUCT = "kind: product\nid: storage\nname: Storage\nstatus: draft\n"


class _Plant:
    """A pickle that leaves a file behind when it is loaded."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[Any, ...]:
        return (Path.touch, (self.marker,))


def _plant_every_pack(cache_dir: Path, root: Path, marker: Path) -> None:
    """Replace every pack a lint of ``root`` wrote with a planted one signed with the folder's
    key (which whoever made the folder knows)."""
    lint = monops("lint", "--root", str(root), "--today", "2026-11-25",
                  env={"MONOPS_CACHE_DIR": str(cache_dir)})
    assert lint.returncode == 0, lint.stderr
    packs = [p for p in cache_dir.glob("*/*.*") if not p.name.startswith(".")]
    assert packs
    for pack in packs:
        pack.write_bytes(_sign_like(pack, _Plant(marker)))


def _sign_like(pack: Path, value: Any) -> bytes:
    """A pack holding ``value`` that verifies exactly as ``pack`` does (same key and
    namespace): found by trying the namespaces a lint uses."""
    import hashlib
    import hmac
    import pickle

    key = (pack.parent.parent / "key").read_bytes()
    blob = pack.read_bytes()
    magic = b"monops-cache-1\n"
    signature, body = blob[len(magic):len(magic) + 32], blob[len(magic) + 32:]
    for namespace in _namespaces(pack):
        if hmac.compare_digest(signature, hmac.new(key, namespace.encode() + body,
                                                   hashlib.sha256).digest()):
            planted = pickle.dumps(value)
            return magic + hmac.new(key, namespace.encode() + planted,
                                    hashlib.sha256).digest() + planted
    raise AssertionError(f"no namespace verifies {pack}")


def _namespaces(pack: Path) -> list[str]:
    import hashlib

    fingerprint = cache_module.code_fingerprint()
    config = hashlib.sha256((REPO / "monops.yaml").read_bytes()).hexdigest()
    candidates = []
    for extra in ("config", config):
        candidates.append(hashlib.sha256(f"{fingerprint}|{extra}".encode()).hexdigest())
    return [c for c in candidates if pack.name.startswith(c[:24])]


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    config = (REPO / "monops.yaml").read_text()
    return write_catalog(tmp_path / "catalog", {"catalog/a.yaml": PRODUCT}, config)


def _warnings(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("monops: warning:")]


def test_a_folder_others_can_write_is_not_used_and_its_packs_never_run(
        tmp_path: Path, catalog: Path) -> None:
    cache_dir = tmp_path / "shared-cache"
    marker = tmp_path / "planted"
    _plant_every_pack(cache_dir, catalog, marker)
    os.chmod(cache_dir, 0o777)  # as a folder made by someone else for everyone would be
    os.chmod(cache_dir / "key", 0o644)
    run = monops("lint", "--root", str(catalog), "--today", "2026-11-25",
                 env={"MONOPS_CACHE_DIR": str(cache_dir)})
    assert_clean_exit(run)
    assert run.returncode == 0, run.stderr
    assert not marker.exists()  # nothing planted was unpickled
    warnings = _warnings(run.stderr)
    assert len(warnings) == 1, run.stderr
    assert "not using the cache" in warnings[0] and str(cache_dir) in warnings[0]
    assert "0777" in warnings[0]


def test_the_same_planted_packs_in_a_private_folder_are_what_the_signature_guards(
        tmp_path: Path, catalog: Path) -> None:
    # The control for the test above: with the folder ours alone the key is trusted, so a
    # pack signed with it is read (this is what the ownership check is there to stop).
    cache_dir = tmp_path / "own-cache"
    marker = tmp_path / "planted"
    _plant_every_pack(cache_dir, catalog, marker)
    run = monops("lint", "--root", str(catalog), "--today", "2026-11-25",
                 env={"MONOPS_CACHE_DIR": str(cache_dir)})
    assert_clean_exit(run)
    assert marker.exists()
    assert _warnings(run.stderr) == []


def test_a_key_readable_by_others_is_refused(tmp_path: Path, catalog: Path) -> None:
    cache_dir = tmp_path / "cache"
    first = monops("lint", "--root", str(catalog), "--today", "2026-11-25",
                   env={"MONOPS_CACHE_DIR": str(cache_dir)})
    assert first.returncode == 0 and _warnings(first.stderr) == []
    os.chmod(cache_dir / "key", 0o644)
    run = monops("lint", "--root", str(catalog), "--today", "2026-11-25",
                 env={"MONOPS_CACHE_DIR": str(cache_dir)})
    assert run.returncode == 0, run.stderr
    [warning] = _warnings(run.stderr)
    assert "key" in warning and "0644" in warning and "chmod 600" in warning


def test_a_folder_of_another_user_is_refused(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "cache"
    folder.mkdir(mode=0o700)
    # Another owner without root: this process pretends to be someone else.
    monkeypatch.setattr(cache_module, "_uid", lambda: os.getuid() + 1)
    cache = ResultCache(folder, tmp_path, "ns")
    assert not cache.enabled
    assert cache.refused is not None and "belongs to another user" in cache.refused


def test_a_fifo_key_does_not_hang(tmp_path: Path, catalog: Path) -> None:
    cache_dir = tmp_path / "cache"
    cache_dir.mkdir(mode=0o700)
    os.mkfifo(cache_dir / "key", 0o600)
    run = monops("lint", "--root", str(catalog), "--today", "2026-11-25",
                 env={"MONOPS_CACHE_DIR": str(cache_dir)}, timeout=60)
    assert_clean_exit(run)
    assert run.returncode == 0
    [warning] = _warnings(run.stderr)
    assert "not a regular file" in warning


def test_a_pack_symlinked_to_dev_zero_is_not_read(tmp_path: Path, catalog: Path) -> None:
    cache_dir = tmp_path / "cache"
    first = monops("lint", "--root", str(catalog), "--today", "2026-11-25",
                   env={"MONOPS_CACHE_DIR": str(cache_dir)})
    assert first.returncode == 0
    for pack in cache_dir.glob("*/*.*"):
        pack.unlink()
        pack.symlink_to("/dev/zero")
    run = monops("lint", "--root", str(catalog), "--today", "2026-11-25",
                 env={"MONOPS_CACHE_DIR": str(cache_dir)}, timeout=60)
    assert_clean_exit(run)
    assert run.returncode == 0, run.stderr
    assert "MemoryError" not in run.stderr


def test_a_symlinked_cache_folder_is_refused(tmp_path: Path) -> None:
    real = tmp_path / "real"
    real.mkdir(mode=0o700)
    link = tmp_path / "cache"
    link.symlink_to(real)
    cache = ResultCache(link, tmp_path, "ns")
    assert not cache.enabled and cache.refused is not None and "symlink" in cache.refused


def test_a_folder_in_a_parent_anyone_can_write_without_the_sticky_bit_is_refused(
        tmp_path: Path) -> None:
    parent = tmp_path / "open"
    parent.mkdir()
    os.chmod(parent, 0o777)  # no sticky bit: anyone could rename our folder and plant theirs
    cache = ResultCache(parent / "cache", tmp_path, "ns")
    assert cache.refused is not None and "anyone may write" in cache.refused
    os.chmod(parent, 0o777 | stat.S_ISVTX)  # like /tmp: fine
    assert ResultCache(parent / "cache", tmp_path, "ns").enabled


def test_folders_are_made_0700_and_the_key_0600_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0)
    try:
        cache = ResultCache(tmp_path / "cache", tmp_path, "ns")
        cache.put_result("k", "v")
    finally:
        os.umask(previous)
    folder = tmp_path / "cache"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "key").stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.folder.stat().st_mode) == 0o700
    assert ResultCache(folder, tmp_path, "ns").get_result("k") == "v"
