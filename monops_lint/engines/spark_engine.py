"""The engine for bases past one machine: the same pricing SQL run by Apache Spark (PySpark,
``pip install 'monops[spark]'``; Java from the system).

Spark reads the tables from their paths (which may be on shared storage a
cluster reaches: ``--spark-master spark://host:7077``), every column as text,
as DuckDB does. ANSI mode is on, so an overflow stops the run instead of
becoming NULL; decimals keep their precision.
"""

from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from monops_lint.catalog import Catalog
from monops_lint.config import Config
from monops_lint.customers import TABLES, CustomerBase, Period, TableFile
from monops_lint.engines.compiled import COLUMNS, CompiledCatalog, compile_catalog
from monops_lint.engines.dialect import DIALECTS
from monops_lint.engines.relations import Side
from monops_lint.engines.sql_outputs import OutputSQL
from monops_lint.errors import MonopsError

RAW_NAMES = {"start": "start_day", "end": "end_day"}
_TYPES = {"text": "STRING", "int": "INT", "big": "DECIMAL(38,0)", "bool": "BOOLEAN",
          "date": "DATE"}
_FLOATS = ("float", "double")

_LOG = logging.getLogger(__name__)  # each step's time, for whoever tunes the SQL


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:400]


class SparkEngine:
    """A Spark session holding a customer base, and the catalogs priced against it."""

    dialect = DIALECTS["spark"]

    def __init__(self, base: CustomerBase, master: str = "local[*]") -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError as exc:
            raise MonopsError("--engine spark needs PySpark: pip install 'monops[spark]' (and "
                              "Java 17 or later)") from exc
        if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
            raise MonopsError("--engine spark needs Java (17 or later) on PATH or JAVA_HOME")
        self.base = base
        try:
            self.spark = (SparkSession.builder.master(master).appName("monops")
                          .config("spark.sql.ansi.enabled", "true")
                          .config("spark.sql.decimalOperations.allowPrecisionLoss", "true")
                          .config("spark.sql.session.timeZone", "UTC")
                          .config("spark.ui.enabled", "false")
                          .config("spark.ui.showConsoleProgress", "false")
                          .config("spark.sql.shuffle.partitions", "8")
                          .config("spark.driver.memory", os.environ.get(
                              "MONOPS_SPARK_DRIVER_MEMORY", "2g"))
                          .config("spark.sql.adaptive.enabled", "true")
                          # The pricing expressions are larger than the 64 KB a JVM method
                          # may hold: whole-stage code generation would fail, log the
                          # generated source, and fall back to this anyway.
                          .config("spark.sql.codegen.wholeStage", "false")
                          .config("spark.driver.extraJavaOptions",
                                  f"-Dlog4j2.configurationFile={self._log_config()}")
                          .getOrCreate())
        except Exception as exc:  # the JVM did not start: say why in one line
            raise MonopsError(f"Spark could not start ({master}): {_one_line(exc)}") from exc
        self.spark.sparkContext.setLogLevel("ERROR")
        for name, (required, optional) in TABLES.items():
            self._load_raw(name, required, optional)

    def _log_config(self) -> str:
        """A log4j2 configuration that keeps Spark's console to errors, one line each (the
        driver JVM reads it at start, when monops launches it: local mode)."""
        self._scratch = Path(tempfile.mkdtemp(prefix="monops-spark-"))
        path = self._scratch / "log4j2.properties"
        path.write_text("rootLogger.level = error\n"
                        "rootLogger.appenderRef.stderr.ref = console\n"
                        "appender.console.type = Console\n"
                        "appender.console.name = console\n"
                        "appender.console.target = SYSTEM_ERR\n"
                        "appender.console.layout.type = PatternLayout\n"
                        "appender.console.layout.pattern = monops: spark: %m%n%ex{short}\n",
                        encoding="utf-8")
        return path.as_uri()

    def _read(self, table: TableFile) -> Any:
        reader = self.spark.read
        if table.kind == "csv":
            return reader.option("header", "true").option("inferSchema", "false") \
                .option("quote", '"').option("escape", '"').csv(str(table.path))
        return reader.parquet(str(table.path))

    def _load_raw(self, name: str, required: tuple[str, ...], optional: tuple[str, ...]) -> None:
        from pyspark.sql import functions as F
        from pyspark.sql.window import Window

        columns = [*required, *optional]
        table = self.base.table(name)
        if table is None:
            schema = ", ".join(["row_no BIGINT"] + [f"{RAW_NAMES.get(c, c)} STRING"
                                                     for c in columns])
            self.spark.createDataFrame([], schema).createOrReplaceTempView(f"raw_{name}")
            return
        try:
            frame = self._read(table)
        except Exception as exc:
            raise MonopsError(f"cannot read {table.path}: {_one_line(exc)}") from exc
        types = {field.name: field.dataType.typeName() for field in frame.schema.fields}
        missing = [c for c in required if c not in types]
        if missing:
            raise MonopsError(f"{table.path}: no column `{missing[0]}` (table {name} needs "
                              f"{', '.join(required)})")
        floats = [c for c in columns if types.get(c) in _FLOATS]
        if floats:
            raise MonopsError(f"{table.path}: column `{floats[0]}` holds binary floating-point "
                              "numbers; write it as decimals (monops never reads an amount or "
                              "a quantity through float)")
        order = Window.orderBy(F.monotonically_increasing_id())
        picked = [(F.col(f"`{c}`").cast("string") if c in types else F.lit(None).cast("string"))
                  .alias(RAW_NAMES.get(c, c)) for c in columns]
        frame.select(F.row_number().over(order).alias("row_no"), *picked) \
            .createOrReplaceTempView(f"raw_{name}")

    def load_catalog(self, prefix: str, catalog: CompiledCatalog) -> None:
        """The compiled catalog's tables as temporary views ``prefix + table``."""
        from decimal import Decimal

        for table, columns in COLUMNS.items():
            schema = ", ".join(f"{name} {_TYPES[kind]}" for name, kind in columns)
            rows = [tuple(Decimal(str(v)) if kind == "big" and v is not None else v
                          for v, (_, kind) in zip(row, columns, strict=True))
                    for row in catalog.rows(table)]
            self.spark.createDataFrame(rows, schema).createOrReplaceTempView(f"{prefix}{table}")

    def price_compiled(self, prefix: str, catalog: CompiledCatalog, period: Period) -> None:
        """Price the base against ``catalog`` for ``period``: views ``prefix + m_*``."""
        self.load_catalog(prefix, catalog)
        # Each step is computed once and kept (a cached table) instead of being a view that
        # Spark would inline into every later query: the plans stay small and every step
        # runs once, as stages of a batch job do.
        for statement in OutputSQL(self.dialect, catalog, period, prefix).statements():
            head, _, query = statement.partition(" AS\n")
            name = head.split()[-1]
            try:
                clock = time.perf_counter()
                self._sql(query).localCheckpoint(eager=True).createOrReplaceTempView(name)
                _LOG.debug("%s: %.2f s", name, time.perf_counter() - clock)
            except MonopsError:
                raise
            except Exception as exc:
                raise MonopsError(f"the customer base could not be priced: {_one_line(exc)}") \
                    from exc

    def price(self, prefix: str, catalog: Catalog, config: Config, period: Period) -> Side:
        """Price the base against ``catalog`` (under ``config``) for ``period``."""
        self.price_compiled(prefix, compile_catalog(catalog, config), period)
        return Side.priced(prefix)

    def _sql(self, query: str) -> Any:
        try:
            return self.spark.sql(query)
        except Exception as exc:
            raise MonopsError(f"the customer base could not be priced: {_one_line(exc)}") \
                from exc

    def fetch(self, query: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of ``query`` (collected to this process: aggregates, small results)."""
        try:
            return [tuple(row) for row in self._sql(query).collect()]
        except MonopsError:
            raise
        except Exception as exc:
            raise MonopsError(f"the customer base could not be priced: {_one_line(exc)}") \
                from exc

    def export(self, query: str, path: Path, fmt: str) -> None:
        """The rows of ``query`` as one ``csv`` or ``parquet`` file at ``path``, written by
        Spark into a temporary folder and moved into place."""
        folder = Path(tempfile.mkdtemp(prefix=".monops-export-", dir=path.parent))
        try:
            writer = self._sql(query).coalesce(1).write.mode("overwrite")
            target = str(folder / "out")
            if fmt == "parquet":
                writer.parquet(target)
            else:
                writer.option("header", "true").csv(target)
            [part] = [p for p in (folder / "out").iterdir() if p.name.startswith("part-")]
            os.replace(part, path)
        except MonopsError:
            raise
        except Exception as exc:
            raise MonopsError(f"cannot write {path}: {_one_line(exc)}") from exc
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def close(self) -> None:
        """Stop the Spark session."""
        self.spark.stop()
        shutil.rmtree(self._scratch, ignore_errors=True)
