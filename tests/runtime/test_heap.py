"""The heap and the collector (``monops_lint.runtime.heap``), seen from what a program can
observe: which garbage the collector may free, and how many collections run.

Freezing takes objects out of the collector's reach, so a reference cycle
that is alive when monops freezes and becomes garbage afterwards stays until
it is unfrozen: the ``Cycle`` objects below show when that happens.
"""

from __future__ import annotations

import gc
import weakref
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

import pytest

from monops_lint.app.workspace import Workspace
from monops_lint.runtime import heap
from monops_lint.runtime.cache import ResultCache
from tests.conftest import write_catalog

PRODUCT = "kind: product\nid: storage\nname: Storage\nstatus: draft\n"


class Cycle:
    """Garbage that only the collector frees (its reference count never drops to 0)."""

    def __init__(self) -> None:
        self.itself = self


def collectable(make_garbage: Callable[[], weakref.ref[Cycle]]) -> bool:
    """Whether the cycle ``make_garbage`` dropped is freed by a full collection now."""
    ref = make_garbage()
    gc.collect()
    return ref() is None


@pytest.mark.parametrize("pause_collector", [True, False])
def test_the_shared_heap_is_frozen_only_while_workers_may_share_it(pause_collector: bool
                                                                   ) -> None:
    alive = Cycle()
    ref = weakref.ref(alive)
    with heap.shared_with_workers(pause_collector=pause_collector):
        assert gc.isenabled() is not pause_collector
        del alive
        gc.collect()
        assert ref() is not None  # frozen: a collection never touches the shared pages
    assert gc.isenabled()
    gc.collect()
    # Unfrozen after: a program that loads catalog after catalog can collect them.
    assert ref() is None


@pytest.mark.parametrize("command", [nullcontext, heap.frozen_while_running],
                         ids=["library", "one command"])
def test_reading_a_pack_sets_off_no_collection(
        tmp_path: Path, command: Callable[[], AbstractContextManager[None]]) -> None:
    cache = ResultCache(tmp_path / "cache", tmp_path, "ns")
    cache.put_result("k", [{"id": str(i), "n": [i]} for i in range(50_000)])  # 100k containers
    collections: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            collections.append(info["generation"])

    thresholds = gc.get_threshold()
    gc.set_threshold(100, 10, 10)  # a collection every 100 new containers, were it running
    gc.callbacks.append(count)
    try:
        with command():
            stored = cache.get_result("k")
    finally:
        gc.callbacks.remove(count)
        gc.set_threshold(*thresholds)
    assert isinstance(stored, list) and len(stored) == 50_000 and stored[7] == {"id": "7", "n": [7]}
    # Unpaused, 100k new containers would set off about a thousand; paused, at most the one
    # the next allocation sets off once the collector is back on.
    assert len(collections) <= 1 and gc.isenabled()


def test_only_a_one_command_run_keeps_what_it_loads_frozen(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", {"catalog/p.yaml": PRODUCT})
    Workspace.open(root).catalog()  # the cache now holds the file: later loads read packs
    refs: list[weakref.ref[Cycle]] = []

    def load_beside_garbage() -> weakref.ref[Cycle]:
        """Load the catalog while a cycle is alive, then drop the cycle."""
        alive = Cycle()
        refs.append(weakref.ref(alive))
        assert Workspace.open(root).catalog().products["storage"].name == "Storage"
        return refs[-1]

    # A library: loading catalog after catalog, its garbage is collected as it comes.
    assert collectable(load_beside_garbage) and gc.isenabled()
    # The CLI: what was alive when the catalog was read lives as long as the command...
    with heap.frozen_while_running():
        assert not collectable(load_beside_garbage) and gc.isenabled()
        with heap.shared_with_workers():
            pass
        gc.collect()
        assert refs[-1]() is not None  # ...after workers shared it too
    gc.collect()
    assert refs[-1]() is None  # and no longer once the command is over
