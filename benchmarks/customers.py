#!/usr/bin/env python3
"""Benchmark ``monops impact`` on customer bases (issue 16).

    python benchmarks/customers.py [--sizes 20000,1000000,10000000] [--reference 20000]
                                   [--spark 1000000] [--rounds 3] [--out results.json]

In a temporary git repository holding the example catalog (commit 1) and a
price rise of Mobile Unlimited in every currency (commit 2), it writes a
customer base of each size (``monops customers sample`` for the smallest;
larger ones are copies of a 1,000,000-subscription sample with suffixed ids,
written by DuckDB as Parquet, so that generating them does not dominate) and
times, as subprocesses, ``monops impact HEAD~1 HEAD --period 2027-05
--format json`` with:

    python   the reference engine on the ``--reference`` base: the baseline rate
    duckdb   the embedded engine on every size
    spark    Spark ``local[2]`` on the ``--spark`` base (when PySpark and Java exist)

and reports, per row, the median wall time over ``--rounds`` runs (one run for
bases of 10,000,000 and for Spark), the peak resident memory of the process
tree, the invoices priced per second (each side counts: an impact prices
every invoice twice) and the ratio of that rate to the reference engine's,
measured in the same run. The engines must also agree: the impact JSON of the
reference base is compared between engines, and a difference stops the run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.timing.commands import BenchmarkError, git, run
from benchmarks.timing.machine import machine

REPO = Path(__file__).resolve().parents[1]
EXAMPLE = ("monops.yaml", "catalog", "pricing", "scenarios", "rules")
PERIOD = "2027-05"
RISE = ("unit_amount: {USD: 38.00, EUR: 35.00, JPY: 5700}",
        "unit_amount: {USD: 39.90, EUR: 36.75, JPY: 5990}")
MONOPS = [sys.executable, "-m", "monops_lint"]


def _catalog(work: Path) -> Path:
    root = work / "catalog"
    root.mkdir()
    for name in EXAMPLE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            shutil.copy(source, root / name)
    text = (root / "monops.yaml").read_text(encoding="utf-8")
    (root / "monops.yaml").write_text(text.replace("customers: customers/sample", ""),
                                      encoding="utf-8")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "example catalog")
    plans = root / "pricing" / "mobile.yaml"
    text = plans.read_text(encoding="utf-8")
    if RISE[0] not in text:
        raise BenchmarkError(f"{plans}: the price this benchmark raises is gone: {RISE[0]}")
    plans.write_text(text.replace(RISE[0], RISE[1]), encoding="utf-8")
    git(root, "commit", "-q", "-am", "Mobile Unlimited +5 %")
    return root


def _sample(root: Path, out: Path, count: int) -> Path:
    env = dict(os.environ)
    done = subprocess.run([*MONOPS, "customers", "sample", str(out), "--root", str(root),
                           "--period", PERIOD, "--count", str(count), "--seed", "3"],
                          capture_output=True, text=True, env=env)
    if done.returncode:
        raise BenchmarkError(f"monops customers sample failed: {done.stderr}")
    return out


def _copies(source: Path, out: Path, times: int) -> Path:
    """``times`` copies of the base at ``source``, ids suffixed, as Parquet."""
    import duckdb

    out.mkdir()
    db = duckdb.connect()
    db.execute("SET preserve_insertion_order = false")
    copies = f"range(0, {times}) r(k)"
    suffix = "'-' || CAST(r.k AS VARCHAR)"
    tables = {
        "subscriptions": f"""SELECT s.subscription_id || {suffix} AS subscription_id,
                                    s.customer_id || {suffix} AS customer_id,
                                    s.* EXCLUDE (subscription_id, customer_id)""",
        "customers": f"SELECT c.customer_id || {suffix} AS customer_id, "
                     "c.* EXCLUDE (customer_id)",
        "usage": f"SELECT u.subscription_id || {suffix} AS subscription_id, "
                 "u.* EXCLUDE (subscription_id)",
    }
    aliases = {"subscriptions": "s", "customers": "c", "usage": "u"}
    for name, select in tables.items():
        path = str(source / f"{name}.csv")
        target = str(out / f"{name}.parquet")
        db.execute(f"COPY ({select} FROM read_csv('{path}', all_varchar = true) "
                   f"{aliases[name]}, {copies}) TO '{target}' (FORMAT PARQUET)")
    # Spend grows with the base: the same campaigns, each spend times the copies.
    path = str(source / "campaigns.csv")
    db.execute(f"""COPY (SELECT campaign, currency,
                                CAST(CAST(spend AS DECIMAL(18,2)) * {times} AS VARCHAR) AS spend
                         FROM read_csv('{path}', all_varchar = true))
                   TO '{out / "campaigns.csv"}' (FORMAT CSV, HEADER)""")
    return out


def _impact(root: Path, base: Path, engine: str, out: Path, rounds: int) -> dict[str, Any]:
    cmd = [*MONOPS, "impact", "HEAD~1", "HEAD", "--root", str(root), "--customers", str(base),
           "--period", PERIOD, "--engine", engine, "--format", "json", "--out", str(out),
           "--no-cache"]
    env = dict(os.environ, MONOPS_SPARK_DRIVER_MEMORY="3g")
    samples = [run(cmd, cwd=root, env=env, what=f"impact --engine {engine} on {base.name}")
               for _ in range(rounds)]
    document = json.loads(out.read_text(encoding="utf-8"))
    seconds = statistics.median(s.sample.seconds for s in samples)
    invoices = int(document["invoices"])
    return {"engine": engine, "base": base.name, "rounds": rounds,
            "seconds": [round(s.sample.seconds, 2) for s in samples],
            "median_s": round(seconds, 2), "invoices": invoices,
            "peak_rss_mib": max(s.sample.tree_rss_kib for s in samples) // 1024,
            "invoices_per_s": round(2 * invoices / seconds, 1), "document": document}


def _spark_ready() -> str:
    import importlib.util

    if importlib.util.find_spec("pyspark") is None:
        return "PySpark is not installed (pip install '.[spark]')"
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        return "Java is not installed"
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20000,1000000,10000000")
    parser.add_argument("--reference", type=int, default=20000)
    parser.add_argument("--spark", type=int, default=1000000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    sizes = sorted({int(s) for s in args.sizes.split(",")} | {args.reference})
    work = Path(tempfile.mkdtemp(prefix="monops-bench-customers-"))
    rows: list[dict[str, Any]] = []
    try:
        root = _catalog(work)
        bases: dict[int, Path] = {}
        million = None
        for size in sizes:
            target = work / f"base-{size}"
            if size <= 1_000_000:
                bases[size] = _sample(root, target, size)
            else:
                if million is None:
                    million = _sample(root, work / "base-sample-1000000", 1_000_000)
                bases[size] = _copies(million, target, size // 1_000_000)
            print(f"base of {size:,} subscriptions ready", file=sys.stderr)
        out = work / "impact.json"
        reference = _impact(root, bases[args.reference], "python", out, args.rounds)
        rows.append(reference)
        print(f"python {args.reference:,}: {reference['median_s']} s", file=sys.stderr)
        for size in sizes:
            row = _impact(root, bases[size], "duckdb", out,
                          args.rounds if size < 10_000_000 else 1)
            if size == args.reference:
                left = {k: v for k, v in row["document"].items() if k != "engine"}
                right = {k: v for k, v in reference["document"].items() if k != "engine"}
                if left != right:
                    raise BenchmarkError("duckdb and python disagree on the reference base")
            rows.append(row)
            print(f"duckdb {size:,}: {row['median_s']} s, {row['peak_rss_mib']} MiB",
                  file=sys.stderr)
        missing = _spark_ready()
        if args.spark and not missing:
            base = bases.get(args.spark) or _sample(root, work / f"base-{args.spark}",
                                                    args.spark)
            row = _impact(root, base, "spark", out, 1)
            rows.append(row)
            print(f"spark {args.spark:,}: {row['median_s']} s", file=sys.stderr)
        elif args.spark:
            print(f"spark row left out: {missing}", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rate = reference["invoices_per_s"]
    for row in rows:
        row["ratio_to_reference"] = round(row["invoices_per_s"] / rate, 1)
        del row["document"]
    report = {"machine": machine(MONOPS, str(REPO)), "period": PERIOD, "rows": rows}
    text = json.dumps(report, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
