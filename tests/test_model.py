"""FrozenMap: the immutable mapping every amount, limit and usage table is held in."""

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
