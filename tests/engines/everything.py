"""A catalog with every pricing feature the engines must agree on: all seven models, tiers
with flat fees, included units, trials, minimums, one-time charges, free plans, monthly,
quarterly, yearly and one-time plans, introductory phases (months and days), a staged
rollout, channel overrides (percent and whole charges), a tax-inclusive channel,
promotions (percent with a duration, amount off), and currencies with 0, 2, 3 and 8 digits
(BTC declared in monops.yaml)."""

from __future__ import annotations

from pathlib import Path

FOLDER = Path(__file__).parent / "everything_catalog"
FILES = ("catalog/products.yaml", "pricing/plans.yaml", "catalog/channels.yaml",
         "catalog/promotions.yaml")


def files(rounding: str = "half_up") -> dict[str, str]:
    """The catalog's files (``tests.conftest.write_catalog`` writes them)."""
    return {name: (FOLDER / name).read_text(encoding="utf-8") for name in FILES}


def config(rounding: str = "half_up") -> str:
    """monops.yaml with the given rounding."""
    return (FOLDER / "monops.yaml.in").read_text(encoding="utf-8").replace("{rounding}", rounding)
