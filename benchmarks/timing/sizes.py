"""One catalog size: generate and commit the catalog, check it lints clean, measure each row."""

from __future__ import annotations

import time
from pathlib import Path

from benchmarks.timing.bench import catalog_files, check_clean, prepare
from benchmarks.timing.measure import measure
from benchmarks.timing.progress import timing
from benchmarks.timing.results import Result, SizeReport


def bench_size(n: int, rounds: int, work: Path, keys: list[str], monops: list[str],
               cjs: list[str] | None, cjs_note: str) -> SizeReport:
    """The rows ``keys`` at size ``n``, ``rounds`` rounds each, in the folder ``work``."""
    started = time.perf_counter()
    bench, changed = prepare(n, work, monops, cjs, cjs_note)
    files = catalog_files(bench.root)
    size = sum((bench.root / f).stat().st_size for f in files)
    products = sum(1 for f in files if f.startswith("catalog/products/"))
    note = check_clean(bench)
    bench.monops_run(["--help"], bench.fresh_cache(), "monops --help", timed=False)
    results: dict[str, Result] = {}
    for key in keys:
        if key == "b2" and not bench.no_cache:
            continue
        with timing(f"{key} x{rounds}"):
            results[key] = measure(bench, key, rounds, files)
    documents = results["a"].documents if "a" in results else 0
    return SizeReport(n, len(files), size, products, documents, changed, rounds, results, note,
                      time.perf_counter() - started)

