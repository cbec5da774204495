"""`monops impact`, `monops metrics`, `monops customers sample` and `monops diff --customers`
from the command line, on the hand-worked base of tests/app/figures_base (its figures are
worked out in tests/app/test_customer_figures.py): formats, exit codes, privacy."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from tests.app.figures_repo import figures_repo, raise_basic
from tests.cli_runner import run_cli

D = Decimal
SECRET = "CUST-SECRET-"


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """The fixture in git, customer ids made recognisable, basic USD raised 10 -> 12."""
    root = figures_repo(tmp_path / "repo")
    for name in ("customers.csv", "subscriptions.csv"):
        path = root / "base" / name
        rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
        column = rows[0].index("customer_id")
        for row in rows[1:]:
            row[column] = SECRET + row[column]
        path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")
    raise_basic(root)
    return root


def _impact(root: Path, *args: str) -> tuple[int, str, str]:
    done = run_cli("impact", "HEAD", "--root", str(root), "--customers", str(root / "base"),
                   "--period", "2027-05", *args)
    return done.returncode, done.stdout, done.stderr


def test_impact_json_follows_the_spec(repo: Path) -> None:
    code, out, err = _impact(repo, "--format", "json")
    assert code == 0, err
    import json

    document = json.loads(out)
    assert {"version", "period", "engine", "base_currency", "invoices", "customers", "up",
            "down", "unchanged", "revenue", "revenue_by_currency", "distribution", "by",
            "skipped"} <= set(document)
    assert document["period"] == {"start": "2027-05-01", "end": "2027-05-31"}
    assert (document["invoices"], document["up"], document["unchanged"]) == (4, 1, 3)
    revenue = document["revenue"]
    # 59.1125 -> 60.9125 USD (S1 9.00 -> 10.80), +3.045041 %
    assert (D(revenue["base"]), D(revenue["head"])) == (D("59.1125"), D("60.9125"))
    assert D(revenue["change_pct"]) == D("3.045041")
    assert document["revenue_by_currency"]["USD"] == {"base": "44.00", "head": "45.80"}
    assert set(document["by"]) == {"channel", "category", "plan", "campaign", "country",
                                   "segment"}
    assert SECRET not in out  # ids only with --show-customers


def test_customer_ids_only_when_asked(repo: Path, tmp_path: Path) -> None:
    for fmt in ("md", "html", "json"):
        code, out, err = _impact(repo, "--format", fmt)
        assert code == 0, err
        assert SECRET not in out, fmt
    code, out, _ = _impact(repo, "--format", "md", "--show-customers")
    assert SECRET not in out  # never in md: a pull-request comment may be public
    code, out, _ = _impact(repo, "--format", "json", "--show-customers")
    assert SECRET + "A" in out  # the invoice rising 12.86 %, over --alert-increase 10


def test_per_invoice_file(repo: Path, tmp_path: Path) -> None:
    target = tmp_path / "invoices.csv"
    code, _, err = _impact(repo, "--format", "json", "--per-invoice", str(target))
    assert code == 0, err
    rows = list(csv.DictReader(target.read_text(encoding="utf-8").splitlines()))
    assert list(rows[0]) == ["customer_id", "channel", "currency", "base_subtotal", "base_tax",
                             "base_total", "head_subtotal", "head_tax", "head_total"]
    assert len(rows) == 4
    assert all(r["customer_id"].startswith("anon-") and SECRET not in r["customer_id"]
               for r in rows)
    usd = [r for r in rows if r["currency"] == "USD" and r["base_total"] == "14.00"]
    assert len(usd) == 1 and usd[0]["head_total"] == "15.80"  # A: 9.00 + 5.00 -> 10.80 + 5.00
    shop = next(r for r in rows if r["channel"] == "shop")
    # B, tax-inclusive 8.00 with 1.33 tax, unchanged
    assert (shop["base_total"], shop["base_tax"], shop["head_total"]) == ("8.00", "1.33",
                                                                          "8.00")
    code, _, _ = _impact(repo, "--format", "json", "--per-invoice", str(target),
                         "--show-customers")
    assert SECRET + "B" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize(("option", "value", "code"), [
    ("--fail-on-revenue-change", "3", 1),     # +3.045 % is more than 3 %
    ("--fail-on-revenue-change", "3.1", 0),
    ("--fail-on-share-increase", "10:20", 1),  # 1 of 4 invoices (25 %) rise more than 10 %
    ("--fail-on-share-increase", "10:25", 0),  # 25 % is not more than 25 %
    ("--fail-on-share-increase", "13:0", 0),   # none rises more than 13 % (12.86 %)
    ("--fail-on-share-increase", "10", 2),     # not PCT:SHARE
])
def test_impact_gates(repo: Path, option: str, value: str, code: int) -> None:
    got, _, err = _impact(repo, "--format", "json", option, value)
    assert got == code, err
    if code == 2:
        assert err.startswith("monops: error:") and err.count("\n") == 1


def test_metrics_formats(repo: Path) -> None:
    args = ("metrics", "--root", str(repo), "--customers", str(repo / "base"),
            "--period", "2027-05")
    done = run_cli(*args, "--format", "json")
    assert done.returncode == 0, done.stderr
    document = done.json()
    # The working tree (basic raised): S1 12.00 - 10 % = 10.80, so 59.1125 + 1.80.
    assert D(document["total"]["revenue"]) == D("60.9125")
    for fmt in ("text", "md", "html", "csv"):
        done = run_cli(*args, "--format", fmt)
        assert done.returncode == 0, done.stderr
        assert done.stdout and SECRET not in done.stdout


def test_period_errors_are_one_line(repo: Path) -> None:
    for period in ("2027-13", "May", "2027-05-10..2027-05-01"):
        done = run_cli("metrics", "--root", str(repo), "--customers", str(repo / "base"),
                       "--period", period)
        assert done.returncode == 2
        assert done.stderr.count("\n") == 1 and "--period" in done.stderr, done.stderr


def test_diff_adds_the_impact_section(repo: Path) -> None:
    done = run_cli("diff", "HEAD", "--root", str(repo), "--customers", str(repo / "base"),
                   "--period", "2027-05", "--today", "2027-04-01")
    assert done.returncode in (0, 1), done.stderr
    assert "Impact on 3 customers" in done.stdout
    assert SECRET not in done.stdout
    plain = run_cli("diff", "HEAD", "--root", str(repo), "--today", "2027-04-01")
    assert "Impact on" not in plain.stdout


def test_customers_sample(tmp_path: Path, repo: Path) -> None:
    out = tmp_path / "sample"
    done = run_cli("customers", "sample", str(out), "--root", str(repo), "--period", "2027-05",
                   "--count", "50", "--seed", "4")
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == ["campaigns.csv", "customers.csv",
                                                     "subscriptions.csv", "usage.csv"]
    lines = (out / "subscriptions.csv").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 51  # a header and 50 subscriptions
    again = run_cli("customers", "sample", str(out), "--root", str(repo))
    assert again.returncode == 2 and "not an empty folder" in again.stderr
    metrics = run_cli("metrics", "--root", str(repo), "--customers", str(out),
                      "--period", "2027-05", "--format", "json")
    assert metrics.returncode == 0, metrics.stderr
    assert metrics.json()["total"]["invoices"] > 0


def test_customers_sample_takes_the_folder_as_out_or_as_an_argument(tmp_path: Path,
                                                                     repo: Path) -> None:
    by_option = run_cli("customers", "sample", "--out", str(tmp_path / "a"), "--root",
                        str(repo), "--period", "2027-05", "--count", "20", "--seed", "4")
    assert by_option.returncode == 0, by_option.stderr
    by_argument = run_cli("customers", "sample", str(tmp_path / "b"), "--root", str(repo),
                          "--period", "2027-05", "--count", "20", "--seed", "4")
    assert by_argument.returncode == 0, by_argument.stderr
    for table in ("subscriptions", "customers", "usage", "campaigns"):  # the same seed
        assert (tmp_path / "a" / f"{table}.csv").read_bytes() == \
            (tmp_path / "b" / f"{table}.csv").read_bytes()
    for args in ([], [str(tmp_path / "c"), "--out", str(tmp_path / "d")]):
        refused = run_cli("customers", "sample", *args, "--root", str(repo))
        assert refused.returncode == 2 and "OUT or --out DIR" in refused.stderr
