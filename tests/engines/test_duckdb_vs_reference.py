"""DuckDB gives the reference engine's invoice to the minor unit (SPEC section 9, the
exactness contract), on generated bases of a catalog that uses every pricing feature."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monops_lint.app.workspace import Workspace
from monops_lint.customers import Period, find_base
from monops_lint.customers.sample import sample_base
from monops_lint.engines.compiled import compile_catalog
from monops_lint.engines.duckdb_engine import DuckDBEngine
from tests.conftest import write_catalog
from tests.engines import everything
from tests.engines.agreement import reference_results, sql_problems, sql_results, write_base

PERIODS = [Period(dt.date(2027, 3, 1), dt.date(2027, 3, 31)),   # before the new version
           Period(dt.date(2027, 4, 1), dt.date(2027, 4, 30)),   # the rollout's first waves
           Period(dt.date(2027, 5, 10), dt.date(2027, 6, 9)),   # a period across months
           Period(dt.date(2028, 2, 1), dt.date(2028, 2, 29))]   # leap February


def _agree(root: Path, base: Path, period: Period) -> int:
    workspace = Workspace.open(root, use_cache=False)
    catalog = workspace.catalog()
    engine = DuckDBEngine(find_base(base))
    engine.price_compiled("t_", compile_catalog(catalog, workspace.config), period)
    invoices, subs = sql_results(engine.fetch, "t_")
    ref_invoices, ref_subs, ref_problems = reference_results(
        engine.fetch, "t_", catalog, period, workspace.config.rounding)
    assert invoices == ref_invoices
    assert subs == ref_subs
    assert sql_problems(engine.fetch, "t_") == ref_problems
    engine.close()
    return len(invoices)


@pytest.mark.parametrize("rounding", ["half_up", "half_even"])
@pytest.mark.parametrize("period", PERIODS, ids=str)
def test_every_invoice_agrees(tmp_path: Path, rounding: str, period: Period) -> None:
    root = write_catalog(tmp_path / "catalog", everything.files(), everything.config(rounding))
    workspace = Workspace.open(root, use_cache=False)
    tables = sample_base(workspace.catalog(), period, 1500, seed=11).tables()
    priced = _agree(root, write_base(tmp_path / "base", tables), period)
    assert priced > 1000  # most of the 1,500 subscriptions made an invoice


@settings(max_examples=12, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10**6), day=st.integers(0, 700), length=st.integers(1, 92),
       rounding=st.sampled_from(["half_up", "half_even"]))
def test_random_bases_and_periods_agree(tmp_path_factory: pytest.TempPathFactory, seed: int,
                                        day: int, length: int, rounding: str) -> None:
    tmp = tmp_path_factory.mktemp("random")
    start = dt.date(2026, 9, 1) + dt.timedelta(days=day)
    period = Period(start, start + dt.timedelta(days=length - 1))
    root = write_catalog(tmp / "catalog", everything.files(), everything.config(rounding))
    workspace = Workspace.open(root, use_cache=False)
    tables = sample_base(workspace.catalog(), period, 300, seed=seed).tables()
    _agree(root, write_base(tmp / "base", tables), period)
