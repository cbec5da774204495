"""Comparing two YAML values field by field, and how the differences read.

Shared by the catalog diff (``monops diff``) and the rules that compare a
catalog with the one before a change (``history-rewrite``, ``notice-period``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from monops_lint.money import (
    MONEY_CONTEXT,
    brief_number,
    is_currency,
    minor_units,
    money_str,
)

# What identifies an item of a list of mappings, by list name.
_ITEM_KEYS = {"charges": "id", "offerings": "plan", "versions": "effective_from",
              "components": "product", "subscriptions": "plan", "phases": "id"}
_MONEY_FIELDS = {"amount", "unit_amount", "flat_amount", "fixed", "min", "max", "minimum",
                 "cost", "amount_off"}


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field that differs: where (a readable path), before and after (None: absent)."""

    path: str
    before: Any
    after: Any
    keys: tuple[Any, ...] = ()


def _item_key(name: str, item: Any, index: int) -> Any:
    key = _ITEM_KEYS.get(name)
    if key and isinstance(item, Mapping) and key in item:
        return item[key]
    return index


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, Decimal | int) and isinstance(b, Decimal | int) and \
            not isinstance(a, bool) and not isinstance(b, bool):
        return Decimal(a) == Decimal(b) and str(a) == str(b)
    return bool(a == b) and type(a) is type(b)


def field_changes(before: Any, after: Any, path: str = "", keys: tuple[Any, ...] = (),
                  name: str = "") -> Iterator[FieldChange]:
    """Every leaf that differs between two YAML values, with a readable path."""
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        for key in [*before, *[k for k in after if k not in before]]:
            sub = f"{path}.{key}" if path else str(key)
            if key not in after:
                yield FieldChange(sub, before[key], None, (*keys, key))
            elif key not in before:
                yield FieldChange(sub, None, after[key], (*keys, key))
            else:
                yield from field_changes(before[key], after[key], sub, (*keys, key), str(key))
        return
    if isinstance(before, list) and isinstance(after, list) and \
            any(isinstance(item, Mapping) for item in (*before, *after)):
        old = {_item_key(name, item, i): item for i, item in enumerate(before)}
        new = {_item_key(name, item, i): (i, item) for i, item in enumerate(after)}
        for key, item in old.items():
            sub = f"{path}[{key}]"
            if key not in new:
                yield FieldChange(sub, item, None, keys)
            else:
                index, other = new[key]
                yield from field_changes(item, other, sub, (*keys, index))
        for key, (index, item) in new.items():
            if key not in old:
                yield FieldChange(f"{path}[{key}]", None, item, (*keys, index))
        return
    if not _same(before, after):
        yield FieldChange(path, before, after, keys)


# --- words -------------------------------------------------------------------------

def currency_of(path: str) -> str | None:
    """The currency of a money field's path (``charges[base].amount.USD`` -> ``USD``)."""
    parts = path.replace("]", "").replace("[", ".").split(".")
    if len(parts) >= 2 and parts[-2] in _MONEY_FIELDS and is_currency(parts[-1]):
        return parts[-1]
    return None


def shown(value: Any, currency: str | None = None) -> str:
    """A value as a reader wants it: money with its currency, lists inline, absent as —."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if currency and isinstance(value, Decimal | int):
        amount = Decimal(value)
        whole_minor = amount == amount.quantize(Decimal(1).scaleb(-minor_units(currency)),
                                                context=MONEY_CONTEXT)
        # A sub-cent unit rate keeps its digits; an amount shows exactly its minor unit.
        return f"{currency} {money_str(amount, currency) if whole_minor else brief_number(amount)}"
    if isinstance(value, Decimal | int):
        return brief_number(value)
    if isinstance(value, Mapping):
        if value and all(is_currency(str(k)) for k in value):
            return ", ".join(shown(v, str(k)) for k, v in value.items())
        return "{" + ", ".join(f"{k}: {shown(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(shown(v) for v in value) + "]"
    return str(value)


def percent_change(before: Any, after: Any) -> Decimal | None:
    """``(after − before) / before × 100``, or None when it does not apply."""
    if not isinstance(before, Decimal | int) or not isinstance(after, Decimal | int) or \
            isinstance(before, bool) or isinstance(after, bool) or before == 0:
        return None
    return (Decimal(after) - Decimal(before)) * 100 / Decimal(before)


def percent_str(value: Decimal | None) -> str:
    """``+5.0 %`` / ``−2.5 %`` (one decimal, sign always shown)."""
    if value is None:
        return ""
    rounded = value.quantize(Decimal("0.1"), context=MONEY_CONTEXT)
    sign = "+" if rounded > 0 else "−" if rounded < 0 else "±"
    return f"{sign}{abs(rounded)} %"
