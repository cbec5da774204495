"""The embedded engine: the customer base read and priced by DuckDB, in-process.

The tables are read as text (a CSV's cells as written; a Parquet column of
decimals or dates cast to its exact text), so that no number passes through
binary floating point: a Parquet column of floats is refused. The catalog
goes in as exact integer tables (``compiled``), the pricing is
``engines.sql``'s views.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from monops_lint.catalog import Catalog
from monops_lint.config import Config
from monops_lint.customers import TABLES, CustomerBase, Period, TableFile
from monops_lint.engines.compiled import COLUMNS, CompiledCatalog, compile_catalog
from monops_lint.engines.dialect import DIALECTS
from monops_lint.engines.relations import Side
from monops_lint.engines.sql_outputs import OutputSQL
from monops_lint.errors import MonopsError

MEMORY_LIMIT = "1GB"
"""DuckDB's buffer pool (MONOPS_DUCKDB_MEMORY changes it): the process stays under 2 GiB on
any base, the rest spilling to a temporary folder (BENCHMARKS.md)."""

RAW_NAMES = {"start": "start_day", "end": "end_day"}
"""Columns renamed in the raw tables (``end`` is an SQL keyword)."""

_TYPES = {"text": "VARCHAR", "int": "INTEGER", "big": "HUGEINT", "bool": "BOOLEAN",
          "date": "DATE"}
_FLOATS = ("FLOAT", "DOUBLE", "REAL")


def _source(table: TableFile) -> str:
    path = str(table.path).replace("'", "''")
    if table.kind == "csv":
        return (f"read_csv('{path}', header = true, all_varchar = true, delim = ',', "
                "quote = '\"', escape = '\"')")
    if table.kind == "parquet":
        return f"read_parquet('{path}')"
    return f"read_parquet('{path}/*.parquet')"


class DuckDBEngine:
    """One DuckDB connection holding a customer base, and the catalogs priced against it."""

    dialect = DIALECTS["duckdb"]

    def __init__(self, base: CustomerBase, *, memory_limit: str | None = None,
                 threads: int | None = None) -> None:
        self.base = base
        # A database file in a private temporary folder, not ":memory:": the tables of each
        # pricing step then live in DuckDB's buffer pool, which spills to that folder past
        # memory_limit, so a base of millions of subscriptions prices in a bounded memory.
        self._scratch = Path(tempfile.mkdtemp(prefix="monops-duckdb-"))
        self.db = duckdb.connect(str(self._scratch / "base.duckdb"))
        limit = memory_limit or os.environ.get("MONOPS_DUCKDB_MEMORY", MEMORY_LIMIT)
        self.db.execute(f"SET memory_limit = '{_setting(limit)}'")
        self.db.execute(f"SET temp_directory = '{_setting(str(self._scratch / 'spill'))}'")
        if threads is not None:
            self.db.execute(f"SET threads = {int(threads)}")
        # Raw rows are numbered in file order (their row numbers are what a bad-data report
        # names); later steps need no order, and keeping one costs memory.
        self.db.execute("SET preserve_insertion_order = true")
        for name, (required, optional) in TABLES.items():
            self._load_raw(name, required, optional)
        self.db.execute("SET preserve_insertion_order = false")

    def _load_raw(self, name: str, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
        table = self.base.table(name)
        columns = [*required, *optional]
        if table is None:
            listed = ", ".join(f"CAST(NULL AS VARCHAR) AS {RAW_NAMES.get(c, c)}"
                               for c in columns)
            self.db.execute(f"CREATE TABLE raw_{name} AS SELECT CAST(NULL AS BIGINT) AS row_no, "
                            f"{listed} WHERE FALSE")
            return
        source = _source(table)
        try:
            described = self.db.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
        except duckdb.Error as exc:
            raise MonopsError(f"cannot read {table.path}: {_one_line(exc)}") from exc
        types = {str(row[0]): str(row[1]).upper() for row in described}
        missing = [c for c in required if c not in types]
        if missing:
            raise MonopsError(f"{table.path}: no column `{missing[0]}` (table {name} needs "
                              f"{', '.join(required)})")
        floats = [c for c in columns if c in types and types[c].startswith(_FLOATS)]
        if floats:
            raise MonopsError(f"{table.path}: column `{floats[0]}` holds binary floating-point "
                              "numbers; write it as decimals (monops never reads an amount or "
                              "a quantity through float)")
        listed = ", ".join(
            (f"CAST(\"{c}\" AS VARCHAR)" if c in types else "CAST(NULL AS VARCHAR)")
            + f" AS {RAW_NAMES.get(c, c)}" for c in columns)
        try:
            self.db.execute(f"CREATE TABLE raw_{name} AS SELECT ROW_NUMBER() OVER () AS row_no, "
                            f"{listed} FROM {source}")
        except duckdb.Error as exc:
            raise MonopsError(f"cannot read {table.path}: {_one_line(exc)}") from exc

    def load_catalog(self, prefix: str, catalog: CompiledCatalog) -> None:
        """The compiled catalog's tables, named ``prefix + table``."""
        for table, columns in COLUMNS.items():
            spec = ", ".join(f"{name} {_TYPES[kind]}" for name, kind in columns)
            self.db.execute(f"CREATE OR REPLACE TABLE {prefix}{table} ({spec})")
            rows = catalog.rows(table)
            if rows:
                marks = ", ".join("?" for _ in columns)
                self.db.executemany(f"INSERT INTO {prefix}{table} VALUES ({marks})",
                                    [list(row) for row in rows])

    def price_compiled(self, prefix: str, catalog: CompiledCatalog, period: Period) -> None:
        """Price the base against ``catalog`` for ``period``: views named ``prefix + m_*``."""
        self.load_catalog(prefix, catalog)
        # Each step is computed once and kept as a table, not left a view: the figures run
        # dozens of queries over the results, and a view would price the base again for each.
        for statement in OutputSQL(self.dialect, catalog, period, prefix).statements():
            self.db.execute(statement.replace("CREATE OR REPLACE VIEW", "CREATE OR REPLACE TABLE",
                                              1))

    def price(self, prefix: str, catalog: Catalog, config: Config, period: Period) -> Side:
        """Price the base against ``catalog`` (under ``config``) for ``period``."""
        self.price_compiled(prefix, compile_catalog(catalog, config), period)
        return Side.priced(prefix)

    def export(self, query: str, path: Path, fmt: str) -> None:
        """The rows of ``query`` written to ``path`` as ``csv`` (with a header) or ``parquet``,
        through a temporary file and a rename: never half a file."""
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        options = "FORMAT PARQUET" if fmt == "parquet" else "FORMAT CSV, HEADER"
        target = str(temporary).replace("'", "''")
        try:
            self.db.execute(f"COPY ({query}) TO '{target}' ({options})")
            os.replace(temporary, path)
        except duckdb.Error as exc:
            raise MonopsError(f"cannot write {path}: {_one_line(exc)}") from exc
        finally:
            temporary.unlink(missing_ok=True)

    def fetch(self, query: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of ``query``; an engine error (an overflow, a file that changed) is one
        line."""
        try:
            return self.db.execute(query, list(parameters)).fetchall()
        except duckdb.Error as exc:
            raise MonopsError(f"the customer base could not be priced: {_one_line(exc)}") from exc

    def close(self) -> None:
        """Release the connection and the database's temporary folder."""
        self.db.close()
        shutil.rmtree(self._scratch, ignore_errors=True)


def _setting(value: str) -> str:
    """A value for a DuckDB SET, refused when it could end the statement."""
    if re.search(r"['\\;\n]", value):
        raise MonopsError(f"cannot use {value!r} as a DuckDB setting (a quote or semicolon)")
    return value


def _one_line(error: Exception) -> str:
    return " ".join(str(error).split())[:400]
