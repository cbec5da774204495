"""FrozenMap, the immutable mapping every amount, limit and usage table is held in; which
version of a plan is in effect."""

from __future__ import annotations

import copy
import pickle
from decimal import Decimal
from typing import Any

import pytest

from monops_lint.model import FrozenMap


def amounts() -> FrozenMap[str, Decimal]:
    return FrozenMap({"USD": Decimal("9.99"), "EUR": Decimal("9.49")})


@pytest.mark.parametrize("change", [
    lambda m: m.__setitem__("USD", Decimal(1)),
    lambda m: m.__delitem__("USD"),
    lambda m: m.pop("USD"),
    lambda m: m.popitem(),
    lambda m: m.setdefault("JPY", Decimal(1)),
    lambda m: m.update({"USD": Decimal(1)}),
    lambda m: m.clear(),
    lambda m: m.__ior__({"USD": Decimal(1)}),
], ids=["set", "del", "pop", "popitem", "setdefault", "update", "clear", "ior"])
def test_a_frozen_map_refuses_every_change(change: Any) -> None:
    frozen = amounts()
    with pytest.raises(TypeError, match="cannot be changed"):
        change(frozen)
    assert frozen == {"USD": Decimal("9.99"), "EUR": Decimal("9.49")}  # untouched


def test_equal_maps_hash_alike_and_order_is_kept() -> None:
    same = FrozenMap({"USD": Decimal("9.990"), "EUR": Decimal("9.49")})
    assert same == amounts() and hash(same) == hash(amounts())  # 9.990 == 9.99 as Decimals
    assert list(amounts()) == ["USD", "EUR"]
    assert {amounts(): "x"}[same] == "x"
    assert FrozenMap({"USD": Decimal(1)}) != amounts()


def test_a_frozen_map_survives_pickle_and_copy_as_itself() -> None:
    frozen = amounts()
    back = pickle.loads(pickle.dumps(frozen, protocol=pickle.HIGHEST_PROTOCOL))
    assert type(back) is FrozenMap and back == frozen
    assert copy.copy(frozen) is frozen and copy.deepcopy(frozen) is frozen
    assert repr(frozen) == "FrozenMap({'USD': Decimal('9.99'), 'EUR': Decimal('9.49')})"


def test_the_version_in_effect_is_the_latest_begun_in_any_written_order() -> None:
    import dataclasses
    import datetime as dt

    from monops_lint.model import PlanVersion, Wave
    from tests.pricing.pricing_factories import plan

    def version(day: str, *, rollout: tuple[Wave, ...] = ()) -> PlanVersion:
        return PlanVersion(dt.date.fromisoformat(day), (), rollout=rollout)

    june, july_first, july_second = version("2026-06-01"), version("2026-07-01"), \
        version("2026-07-01")
    staged = version("2026-09-01", rollout=(Wave(Decimal(10), dt.date(2026, 9, 1)),
                                            Wave(Decimal(100), dt.date(2026, 10, 1))))
    # Written out of order, with two versions on one day and a staged one last.
    written = dataclasses.replace(plan("p"), versions=(staged, july_first, june, july_second))
    day = dt.date.fromisoformat
    assert written.version_on(day("2026-05-31")) is None
    assert written.version_on(day("2026-06-15")) is june
    # Two versions from July 1: the one written later stands, as a sort by day keeps order.
    assert written.version_on(day("2026-07-01")) is july_second
    # Bucket 0 (below the first wave's 10 %) moves on September 1; bucket 50 on October 1.
    assert written.version_on(day("2026-09-01")) is staged
    assert written.version_on(day("2026-09-01"), Decimal(50)) is july_second
    assert written.version_on(day("2026-10-01"), Decimal(50)) is staged
