"""``monops impact``, ``monops metrics`` and ``monops customers sample``: the customer base
found, priced by the chosen engine at one or two revisions, and its figures made."""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from monops_lint.app.files import write_atomic
from monops_lint.app.review import load_side
from monops_lint.app.workspace import Workspace
from monops_lint.catalog import Catalog
from monops_lint.config import Config
from monops_lint.customers import CustomerBase, Period, find_base
from monops_lint.customers.sample import sample_base
from monops_lint.diff.review import CatalogRevision
from monops_lint.engines.dialect import Dialect
from monops_lint.engines.relations import Side
from monops_lint.errors import MonopsError
from monops_lint.figures.impact import impact
from monops_lint.figures.metrics import metrics
from monops_lint.figures.results import Impact, Metrics, Problem
from monops_lint.figures.sides import Converter, problems
from monops_lint.runtime.parsing import SharedFiles
from monops_lint.source.tree import check_relative

ENGINES = ("duckdb", "spark", "python")
BASE_VARIABLE = "MONOPS_CUSTOMERS"


class Engine(Protocol):
    """What the workflows need of an engine (DuckDB, Spark, or the reference)."""

    dialect: Dialect

    def price(self, prefix: str, catalog: Catalog, config: Config, period: Period) -> Side:
        """Price the base against ``catalog``: the relations holding the results."""
        ...

    def fetch(self, query: str) -> list[tuple[Any, ...]]:
        """The rows of ``query``."""
        ...

    def export(self, query: str, path: Path, fmt: str) -> None:
        """The rows of ``query`` written to ``path`` (csv or parquet), atomically."""
        ...

    def close(self) -> None:
        """Release what the engine holds."""
        ...


@dataclass(frozen=True)
class BaseOptions:
    """Where the base is, which engine prices it, for which period."""

    period: Period
    customers: Path | None = None
    engine: str = "duckdb"
    spark_master: str = "local[*]"
    strict: bool = False


def locate_base(workspace: Workspace, given: Path | None) -> CustomerBase:
    """``--customers PATH``, else ``MONOPS_CUSTOMERS``, else ``customers:`` in monops.yaml (a
    folder inside the catalog root, for a committed sample)."""
    if given is not None:
        return find_base(given)
    from_environment = os.environ.get(BASE_VARIABLE)
    if from_environment:
        return find_base(Path(from_environment))
    if workspace.config.customers:
        return find_base(workspace.root / check_relative(workspace.config.customers))
    raise MonopsError("no customer base: give --customers PATH (or set MONOPS_CUSTOMERS, or "
                      "`customers:` in monops.yaml for a sample committed with the catalog)")


@contextmanager
def engine_for(base: CustomerBase, options: BaseOptions) -> Iterator[Engine]:
    """The engine ``options`` names, over ``base``, closed after the block."""
    engine: Engine
    if options.engine == "duckdb":
        from monops_lint.engines.duckdb_engine import DuckDBEngine

        engine = DuckDBEngine(base)
    elif options.engine == "python":
        from monops_lint.engines.python_engine import PythonEngine

        engine = PythonEngine(base)
    elif options.engine == "spark":
        from monops_lint.engines.spark_engine import SparkEngine

        engine = SparkEngine(base, options.spark_master)
    else:
        raise MonopsError(f"--engine {options.engine}: one of {', '.join(ENGINES)}")
    try:
        yield engine
    finally:
        engine.close()


def refuse_bad_data(found: list[Problem], options: BaseOptions) -> None:
    if options.strict and found:
        first = found[0]
        raise MonopsError(f"--strict: the customer base has bad data: {first.problem} "
                          f"({first.count} row(s), first {', '.join(map(str, first.rows))})"
                          + (f" and {len(found) - 1} more kind(s)" if len(found) > 1 else ""))


def impact_of_change(workspace: Workspace, base_rev: str, head_rev: str | None,
                     options: BaseOptions, *, alert_increase: Decimal,
                     show_customers: bool = False, per_invoice: Path | None = None,
                     share_rise: Decimal | None = None) -> Impact:
    """Every invoice of the base priced at ``base_rev`` and at ``head_rev`` (None: the working
    tree), compared."""
    shared = SharedFiles()
    before = load_side(workspace, base_rev, shared)
    after = load_side(workspace, head_rev, shared)
    return impact_between(workspace, before, after, options, alert_increase=alert_increase,
                          show_customers=show_customers, per_invoice=per_invoice,
                          share_rise=share_rise)


def impact_between(workspace: Workspace, before: CatalogRevision, after: CatalogRevision,
                   options: BaseOptions, *, alert_increase: Decimal,
                   show_customers: bool = False, per_invoice: Path | None = None,
                   share_rise: Decimal | None = None) -> Impact:
    """Every invoice of the base priced at two loaded revisions, compared."""
    base = locate_base(workspace, options.customers)
    convert = Converter(after.config.base_currency, after.config.fx_rates)
    with engine_for(base, options) as engine:
        workspace.step(f"pricing the customer base at {before.short}")
        left = engine.price("base_", before.catalog, before.config, options.period)
        workspace.step(f"pricing the customer base at {after.short}")
        right = engine.price("head_", after.catalog, after.config, options.period)
        refuse_bad_data(problems(engine.fetch, left) + problems(engine.fetch, right), options)
        workspace.step("comparing every invoice")
        result = impact(engine.fetch, engine.dialect, left, right, options.period, convert,
                        engine=options.engine, alert_increase=alert_increase,
                        show_customers=show_customers, labels=(before.short, after.short),
                        share_rise=share_rise)
        if per_invoice is not None:
            _per_invoice(engine, left, right, per_invoice, show_customers)
    return result


def figures_of(workspace: Workspace, rev: str | None, options: BaseOptions) -> Metrics:
    """The key metrics of the base priced at ``rev`` (None: the working tree)."""
    side = load_side(workspace, rev, SharedFiles())
    base = locate_base(workspace, options.customers)
    convert = Converter(side.config.base_currency, side.config.fx_rates)
    with engine_for(base, options) as engine:
        workspace.step(f"pricing the customer base at {side.short}")
        priced = engine.price("base_", side.catalog, side.config, options.period)
        refuse_bad_data(problems(engine.fetch, priced), options)
        return metrics(engine.fetch, priced, options.period, convert, engine=options.engine,
                       revision=side.short)


def _amount_text(d: Dialect, column: str) -> str:
    """An integer of minor units as text with exactly ``digits`` decimals (SQL)."""
    magnitude = f"ABS({column})"
    unit = d.int("CASE x.digits " + " ".join(f"WHEN {i} THEN {10 ** i}" for i in range(19))
                 + " END")
    whole = d.quotient(magnitude, unit)
    fraction = f"CAST({magnitude} - {whole} * {unit} AS STRING)"
    sign = f"CASE WHEN {column} < 0 THEN '-' ELSE '' END"
    return (f"CASE WHEN {column} IS NULL THEN NULL ELSE CONCAT({sign}, "
            f"CAST({whole} AS STRING), CASE WHEN x.digits > 0 THEN CONCAT('.', "
            f"LPAD({fraction}, x.digits, '0')) ELSE '' END) END")


def _per_invoice(engine: Engine, left: Side, right: Side, path: Path,
                 show_customers: bool) -> None:
    """``--per-invoice FILE``: every invoice at both sides (SPEC section 9's columns);
    customer ids as a one-way pseudonym unless ``show_customers``."""
    fmt = "parquet" if path.suffix == ".parquet" else "csv" if path.suffix == ".csv" else ""
    if not fmt:
        raise MonopsError(f"--per-invoice {path}: write a .csv or a .parquet file")
    d = engine.dialect
    customer = "x.customer_id" if show_customers else \
        "CONCAT('anon-', SUBSTR(SHA256(x.customer_id), 1, 16))" if d.name == "duckdb" else \
        "CONCAT('anon-', SUBSTR(SHA2(x.customer_id, 256), 1, 16))"
    columns = ", ".join(f"{_amount_text(d, f'x.{side}_{name}')} AS {side}_{name}"
                        for side in ("base", "head") for name in ("subtotal", "tax", "total"))
    query = f"""SELECT {customer} AS customer_id, x.channel, x.currency, {columns}
        FROM (SELECT COALESCE(b.customer_id, h.customer_id) AS customer_id,
                     COALESCE(b.channel, h.channel) AS channel,
                     COALESCE(b.currency, h.currency) AS currency,
                     COALESCE(b.digits, h.digits) AS digits,
                     b.subtotal AS base_subtotal, b.tax AS base_tax, b.total AS base_total,
                     h.subtotal AS head_subtotal, h.tax AS head_tax, h.total AS head_total
              FROM {left.invoices} b FULL OUTER JOIN {right.invoices} h
                  ON h.customer_id = b.customer_id AND h.channel = b.channel
                  AND h.currency = b.currency) x
        ORDER BY x.customer_id, x.channel, x.currency"""
    engine.export(query, path, fmt)


def write_sample(workspace: Workspace, out: Path, period: Period, count: int,
                 seed: int) -> list[Path]:
    """``monops customers sample``: a plausible base for the working tree's catalog, one CSV
    per table, into ``out`` (new or empty)."""
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise MonopsError(f"{out} is not an empty folder; monops never writes a customer base "
                          "over another (pick a new folder)")
    if count < 1:
        raise MonopsError(f"--count {count}: at least one subscription")
    tables = sample_base(workspace.catalog(), period, count, seed).tables()
    written = []
    for name, rows in tables.items():
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows(rows)
        path = out / f"{name}.csv"
        write_atomic(path, text.getvalue())
        written.append(path)
    return written
