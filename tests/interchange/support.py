"""What the Kill Bill tests share: the reference catalogs (the copies beside the tests, and
../shared's where it exists), Kill Bill's schema, and a semantic view of a catalog XML
(products, plans, phases with durations, prices per currency, usages, tiers, price lists)
so that two files compare by meaning, not bytes."""

from __future__ import annotations

import textwrap
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import xmlschema

from monops_lint.app.workspace import Workspace
from monops_lint.interchange.killbill import KillBillExport, export_killbill, import_killbill
from monops_lint.interchange.killbill.model import KbCatalog, KbPhase, KbUsage, Prices
from monops_lint.interchange.killbill.xml_read import read_catalog

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent / "killbill"
SHARED = REPO.parent / "shared" / "reference" / "killbill"
CATALOGS = ("SpyCarBasic.xml", "SpyCarAdvanced.xml")


def sources() -> list[Path]:
    """Every reference catalog: the copies here, and ../shared's where a checkout has it."""
    found = [HERE / name for name in CATALOGS]
    if SHARED.is_dir():
        found += [SHARED / name for name in CATALOGS]
    return found


@cache
def schema() -> xmlschema.XMLSchema:
    """Kill Bill's catalog schema (../shared's where it exists, else the copy here)."""
    path = SHARED / "catalog.xsd" if (SHARED / "catalog.xsd").is_file() else HERE / "catalog.xsd"
    return xmlschema.XMLSchema(str(path))


def schema_errors(text: str) -> list[str]:
    """What Kill Bill's schema says is wrong with ``text`` (empty: valid)."""
    return [f"{error.path}: {error.reason}" for error in schema().iter_errors(text)]


def parsed(text: str | bytes, name: str = "catalog.xml") -> KbCatalog:
    """A catalog XML as values."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_catalog(name, data, 1 << 22)[0]


def _prices(prices: Prices | None) -> dict[str, Decimal] | None:
    return None if prices is None else dict(prices)


def _usage(usage: KbUsage) -> tuple[Any, ...]:
    return (usage.name, usage.billing_mode, usage.usage_type, usage.tier_block_policy,
            usage.billing_period,
            tuple(tuple((b.unit, b.size, b.max, _prices(b.prices)) for b in tier.blocks)
                  for tier in usage.tiers))


def _phase(phase: KbPhase) -> tuple[Any, ...]:
    recurring = phase.recurring
    # an UNLIMITED duration's number means nothing (Kill Bill's own files write -1 or none)
    number = None if phase.duration.unit == "UNLIMITED" else phase.duration.number
    return (phase.type, phase.duration.unit, number, _prices(phase.fixed),
            None if recurring is None else (recurring.billing_period, _prices(recurring.prices)),
            tuple(_usage(u) for u in phase.usages))


def semantics(catalog: KbCatalog) -> dict[str, Any]:
    """What a round trip must keep: prices compare as numbers (``75.00`` = ``75.0``)."""
    return {
        "name": catalog.name,
        "currencies": set(catalog.currencies),
        "units": {unit.name for unit in catalog.units},
        "products": {p.name: p.category for p in catalog.products},
        "available": {p.name: set(p.available) for p in catalog.products},
        "plans": {p.name: (p.product, tuple(_phase(x) for x in p.phases))
                  for p in catalog.plans},
        "price_lists": {pl.name: set(pl.plans) for pl in catalog.price_lists},
    }


def write_tree(root: Path, files: dict[str, str]) -> Path:
    """Write ``files`` (relative path -> text, dedented) under ``root``."""
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
    return root


def export_root(root: Path) -> KillBillExport:
    """``monops export killbill`` of the catalog at ``root``, without the CLI."""
    workspace = Workspace.open(root, use_cache=False)
    return export_killbill(workspace.catalog(), workspace.config.killbill)


def import_into(root: Path, *paths: Path) -> list[str]:
    """Import ``paths`` into ``root`` (written as the CLI writes); the left-out lines."""
    result = import_killbill([(path.name, path.read_bytes()) for path in paths], 1 << 22)
    for relative, text in result.files:
        target = root / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return [item.line() for item in result.left_out]
