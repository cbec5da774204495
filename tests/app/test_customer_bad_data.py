"""Bad rows of a customer base are never priced silently (SPEC section 9): each kind of
problem is reported once with its count and first rows, the rows are left out of every
figure, and --strict makes any of them an error. A base that cannot be read at all is a
one-line error."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from monops_lint.app.customers import BaseOptions, figures_of
from monops_lint.app.workspace import Workspace
from monops_lint.customers import parse_period
from monops_lint.errors import MonopsError

ROOT = Path(__file__).parent / "figures_base"
BAD_ROWS = """\
S6,A,web,USD,nope,1,2027-01-01,,,
S7,A,moon,USD,basic,1,2027-01-01,,,
S8,A,web,USD,basic,1,2027-01-01,,winter,
S9,B,shop,USD,basic,1,2027-01-01,,,
S10,A,web,USD,basic,-1,2027-01-01,,,
S11,A,web,USD,basic,1,2027-13-01,,,
S12,A,web,USD,basic,1.2.3,2027-01-01,,,
S1,A,web,USD,basic,1,2027-01-01,,,
S13,A,web,USD,basic,1,2027-01-01,,,40
"""
# Data rows count from 1 (the header is not a row): the fixture's S1..S5 are rows 1-5, so
# the rows above are 6-14; row 13 repeats S1, which leaves both S1 rows out.
EXPECTED = {
    "subscriptions: an unknown plan": (1, (6,)),
    "subscriptions: an unknown channel": (1, (7,)),
    "subscriptions: an unknown promotion": (1, (8,)),
    "subscriptions: a currency the channel does not sell": (1, (9,)),
    "subscriptions: a negative quantity": (1, (10,)),
    "subscriptions: a date that is not YYYY-MM-DD": (1, (11,)),
    "subscriptions: a number that is not a decimal": (1, (12,)),
    "subscriptions: a duplicate subscription_id": (2, (1, 13)),
    "subscriptions: a bill_cycle_day outside 1-31": (1, (14,)),
}


def _bad_base(tmp_path: Path) -> Path:
    base = tmp_path / "base"
    shutil.copytree(ROOT / "base", base)
    with open(base / "subscriptions.csv", "a", encoding="utf-8") as stream:
        stream.write(BAD_ROWS)
    return base


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_each_problem_once_with_count_and_rows(tmp_path: Path, engine: str) -> None:
    workspace = Workspace.open(ROOT, use_cache=False)
    options = BaseOptions(parse_period("2027-05"), customers=_bad_base(tmp_path), engine=engine)
    result = figures_of(workspace, None, options)
    assert {p.problem: (p.count, p.rows) for p in result.skipped} == EXPECTED
    # Left out of every figure: the hand-worked 59.1125 USD less S1's 9.00 (its id repeats).
    assert result.total.revenue == Decimal("50.1125")
    assert result.total.invoices == 4  # A keeps S2 (5.00) on its own


def test_strict_makes_bad_data_an_error(tmp_path: Path) -> None:
    workspace = Workspace.open(ROOT, use_cache=False)
    options = BaseOptions(parse_period("2027-05"), customers=_bad_base(tmp_path), strict=True)
    with pytest.raises(MonopsError, match=r"--strict: the customer base has bad data: .*\(\d"):
        figures_of(workspace, None, options)


def test_missing_table_is_one_line(tmp_path: Path) -> None:
    base = tmp_path / "base"
    shutil.copytree(ROOT / "base", base)
    (base / "subscriptions.csv").unlink()
    workspace = Workspace.open(ROOT, use_cache=False)
    with pytest.raises(MonopsError, match="subscriptions") as caught:
        figures_of(workspace, None, BaseOptions(parse_period("2027-05"), customers=base))
    assert "\n" not in str(caught.value)


def test_missing_column_names_the_file_and_column(tmp_path: Path) -> None:
    base = tmp_path / "base"
    shutil.copytree(ROOT / "base", base)
    path = base / "subscriptions.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join(line.rsplit(",", 6)[0] for line in lines) + "\n",
                    encoding="utf-8")  # only subscription_id,customer_id,channel,currency
    workspace = Workspace.open(ROOT, use_cache=False)
    with pytest.raises(MonopsError, match=r"subscriptions\.csv: no column `plan`"):
        figures_of(workspace, None, BaseOptions(parse_period("2027-05"), customers=base))


def test_float_parquet_column_is_refused(tmp_path: Path) -> None:
    import duckdb

    base = tmp_path / "base"
    shutil.copytree(ROOT / "base", base)
    source = str(base / "subscriptions.csv")
    target = str(base / "subscriptions.parquet")
    duckdb.sql(f"COPY (SELECT * REPLACE (CAST(quantity AS DOUBLE) AS quantity) "
               f"FROM read_csv('{source}', all_varchar = true)) TO '{target}' (FORMAT PARQUET)")
    (base / "subscriptions.csv").unlink()
    workspace = Workspace.open(ROOT, use_cache=False)
    with pytest.raises(MonopsError, match="binary floating-point"):
        figures_of(workspace, None, BaseOptions(parse_period("2027-05"), customers=base))
