"""Spark gives DuckDB's results to the minor unit (SPEC section 9: every engine the reference
engine's invoices; DuckDB is checked against the reference in test_duckdb_vs_reference):
invoices, subscription totals, net revenue, cost and MRR, on a base of the catalog that uses
every pricing feature, including a staged rollout.

Spark needs PySpark (``pip install 'monops[spark]'``) and Java 17+. Where either is missing
these tests are skipped with that reason; `.ci/run` installs both and sets
``MONOPS_REQUIRE_SPARK=1``, which turns the skip into a failure."""

from __future__ import annotations

import datetime as dt
import importlib.util
import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from monops_lint.app.workspace import Workspace
from monops_lint.customers import Period, find_base
from monops_lint.customers.sample import sample_base
from monops_lint.engines.compiled import compile_catalog
from monops_lint.engines.duckdb_engine import DuckDBEngine
from tests.conftest import write_catalog
from tests.engines import everything
from tests.engines.agreement import sql_problems, sql_results, write_base

pytestmark = pytest.mark.spark

_MISSING = ("PySpark is not installed (pip install 'monops[spark]')"
            if importlib.util.find_spec("pyspark") is None else
            "Java is not installed (Spark needs Java 17 or later)"
            if shutil.which("java") is None and not os.environ.get("JAVA_HOME") else "")
if _MISSING and os.environ.get("MONOPS_REQUIRE_SPARK"):
    raise RuntimeError(f"MONOPS_REQUIRE_SPARK is set but {_MISSING}")
if _MISSING:
    pytest.skip(_MISSING, allow_module_level=True)

from monops_lint.engines.spark_engine import SparkEngine  # noqa: E402

PERIODS = [Period(dt.date(2027, 4, 1), dt.date(2027, 4, 30)),   # the rollout's first waves
           Period(dt.date(2027, 5, 10), dt.date(2027, 6, 9))]   # a period across months


@pytest.fixture(scope="module")
def engines(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, ...]]:
    """One catalog, one base of 250 subscriptions, a DuckDB and a Spark engine over it."""
    tmp = tmp_path_factory.mktemp("spark")
    root = write_catalog(tmp / "catalog", everything.files(), everything.config("half_even"))
    workspace = Workspace.open(root, use_cache=False)
    catalog = workspace.catalog()
    tables = sample_base(catalog, PERIODS[0], 250, seed=5).tables()
    base = find_base(write_base(tmp / "base", tables))
    duck, spark = DuckDBEngine(base), SparkEngine(base, "local[2]")
    yield compile_catalog(catalog, workspace.config), duck, spark
    duck.close()
    spark.close()


def _figures(fetch: Any, prefix: str) -> tuple[Any, ...]:
    """Net revenue, cost and MRR per subscription, as the metrics read them."""
    return (sorted((str(r[0]), int(r[1]), int(r[2])) for r in fetch(
                f"SELECT subscription_id, gross, net FROM {prefix}m_subscription_net")),
            sorted((str(r[0]), int(r[1])) for r in fetch(
                f"SELECT subscription_id, cost_e18 FROM {prefix}m_costs")),
            sorted((str(r[0]), int(r[1]), int(r[2])) for r in fetch(
                f"SELECT subscription_id, months, mrr_period FROM {prefix}m_mrr")))


@pytest.mark.parametrize("period", PERIODS, ids=str)
def test_spark_agrees_with_duckdb(engines: tuple[Any, ...], period: Period) -> None:
    compiled, duck, spark = engines
    prefix = f"p{period.start:%Y%m%d}_"
    duck.price_compiled(prefix, compiled, period)
    spark.price_compiled(prefix, compiled, period)
    invoices, subscriptions = sql_results(duck.fetch, prefix)
    assert len(invoices) > 100  # most of the 250 subscriptions made an invoice
    assert sql_results(spark.fetch, prefix) == (invoices, subscriptions)
    assert sql_problems(spark.fetch, prefix) == sql_problems(duck.fetch, prefix)
    expected = _figures(duck.fetch, prefix)
    assert expected[2], "some subscriptions have MRR on the period's last day"
    assert _figures(spark.fetch, prefix) == expected
