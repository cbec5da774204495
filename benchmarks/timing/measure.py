"""The rounds of each row: the untimed runs a row needs first (filling a cache, checking
out commit 1) and its timed runs."""

from __future__ import annotations

import json
import os
import statistics
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

from benchmarks.timing.bench import TODAY, Bench
from benchmarks.timing.commands import BenchmarkError, run
from benchmarks.timing.results import MiB, Result, Sample
from benchmarks.timing.rows import BY_KEY

BASELINE = textwrap.dedent('''
    import json, sys, time
    from pathlib import Path
    import yaml
    root = Path(sys.argv[1])
    files = [root / line for line in Path(sys.argv[2]).read_text().splitlines()]
    start = time.perf_counter()
    documents = 0
    for path in files:
        with open(path, "rb") as handle:
            documents += len(list(yaml.load_all(handle, Loader=yaml.CSafeLoader)))
    parse = time.perf_counter() - start
    print(json.dumps({"files": len(files), "documents": documents, "parse_seconds": parse}))
''')
"""Row a's program: PyYAML's C loader over the listed files, the parse timed inside."""


def parse_baseline(bench: Bench, key: str, rounds: int, files: list[str]) -> Result:
    """Row a: the parse baseline every ratio divides by."""
    listing = bench.work / "files.txt"
    listing.write_text("\n".join(files) + "\n")
    cmd = [sys.executable, "-c", BASELINE, str(bench.root), str(listing)]
    result = Result(key, BY_KEY[key].label, "python -c '<yaml.load_all CSafeLoader over "
                    f"{len(files)} files>'")
    for _ in range(rounds):
        done = run(cmd, cwd=bench.root, env=os.environ, what="the yaml baseline")
        report = json.loads(done.stdout)
        done.sample.parse_seconds = report["parse_seconds"]
        result.samples.append(done.sample)
        result.documents = report["documents"]
        result.note = (f"{report['files']} files, {report['documents']} documents; "
                       "median of the in-process parse time (no interpreter start-up); "
                       "wall times incl. start-up in samples")
    return result


def lint_cold(bench: Bench, key: str, rounds: int, files: list[str]) -> Result:
    """Rows b and b2: lint with an empty cache every round (b without using it)."""
    extra = ["--no-cache"] if key == "b" and bench.no_cache else []
    result = Result(key, BY_KEY[key].label, bench.shown(bench.lint_args() + extra))
    if key == "b" and not bench.no_cache:
        result.note = "monops lint has no --no-cache: an empty cache directory every round"
    for _ in range(rounds):
        result.samples.append(bench.lint(bench.fresh_cache(), *extra).sample)
    return result


def lint_warm(bench: Bench, key: str, rounds: int, files: list[str]) -> Result:
    """Row c: lint again with nothing changed since a lint that filled the cache."""
    result = Result(key, BY_KEY[key].label, bench.shown(bench.lint_args()))
    cache = bench.fresh_cache()
    bench.lint(cache, what="monops lint (filling the cache)", timed=False)
    result.note = cache_note(bench, cache)
    for _ in range(rounds):
        result.samples.append(bench.lint(cache).sample)
    return result


def lint_changed(bench: Bench, key: str, rounds: int, files: list[str]) -> Result:
    """Row d: lint of commit 2 with the cache commit 1's lint filled."""
    result = Result(key, BY_KEY[key].label, bench.shown(bench.lint_args()),
                    note="each round: empty cache, lint of commit 1 (untimed), checkout "
                    "of commit 2, timed lint")
    try:
        for _ in range(rounds):
            cache = bench.fresh_cache()
            bench.checkout(bench.base_sha)
            bench.lint(cache, what="monops lint of commit 1 (filling the cache)",
                       timed=False)
            bench.checkout(bench.head_sha)
            result.samples.append(bench.lint(cache).sample)
    finally:
        bench.checkout(bench.head_sha)
    return result


def render_or_diff(bench: Bench, key: str, rounds: int, files: list[str]) -> Result:
    """Rows e, e0 (render) and f, f2, f0 (diff), with the caches the workflow leaves."""
    root = str(bench.root)
    if key.startswith("e"):
        args = ["render", "--root", root, "--format", "json"]
    else:
        args = ["diff", "HEAD~1", "HEAD", "--root", root, "--today", TODAY]
    result = Result(key, BY_KEY[key].label, bench.shown(args))
    fill = key in ("e", "f2")  # one cache, filled once, for every round
    if fill:
        cache = bench.fresh_cache()
        bench.lint(cache, what="monops lint (filling the cache)", timed=False)
        result.note = "after a `monops lint` of the same tree filled the cache"
    if key == "f2":
        bench.monops_run(args, cache, "monops diff (filling the cache)", timed=False)
        result.note = "after a `monops lint` and a `monops diff` filled the cache"
    if key == "f":
        result.note = "each round: empty cache, `monops lint` of the head (untimed), diff"
    invoices = -1
    for _ in range(rounds):
        if key == "f":
            cache = bench.fresh_cache()
            bench.lint(cache, what="monops lint (filling the cache)", timed=False)
        elif not fill:
            cache = bench.fresh_cache()
        done = bench.monops_run(args, cache, f"monops {args[0]}")
        if args[0] == "render":
            invoices = len(json.loads(done.stdout).get("invoices", []))
        result.samples.append(done.sample)
    if invoices >= 0:
        result.note = "; ".join(filter(None, [result.note, f"{invoices} invoices"]))
    return result


def check_jsonschema(bench: Bench, key: str, rounds: int, files: list[str]) -> Result:
    """Row g: check-jsonschema over the product files, against ``monops schema product``."""
    products = [f for f in files if f.startswith("catalog/products/")]
    result = Result(key, BY_KEY[key].label, "check-jsonschema --schemafile product.schema.json "
                    f"catalog/products/**/*.yaml ({len(products)} files)")
    if bench.cjs is None:
        result.note = bench.cjs_note
        return result
    schema = bench.work / "product.schema.json"
    schema.write_text(bench.monops_run(["schema", "product"], bench.fresh_cache(),
                                       "monops schema product", timed=False).stdout)
    groups = command_batches(products)
    result.note = f"{bench.cjs_note}; {len(products)} files in {len(groups)} command(s)"
    for _ in range(rounds):
        parts = [run([*bench.cjs, "--schemafile", str(schema), *batch], cwd=bench.root,
                     env=os.environ, what="check-jsonschema").sample for batch in groups]
        result.samples.append(Sample(sum(p.seconds for p in parts),
                                     max(p.max_rss_kib for p in parts),
                                     max(p.tree_rss_kib for p in parts),
                                     sum(p.cpu_seconds for p in parts), parts[0].load,
                                     statistics.mean(p.others for p in parts),
                                     sum(p.waited for p in parts)))
    return result


def monops_help(bench: Bench, key: str, rounds: int, files: list[str]) -> Result:
    """Row h: ``monops --help``, the start-up."""
    result = Result(key, BY_KEY[key].label, bench.shown(["--help"]))
    for _ in range(rounds):
        result.samples.append(bench.monops_run(["--help"], bench.fresh_cache(),
                                               "monops --help").sample)
    return result


MEASURES: dict[str, Callable[[Bench, str, int, list[str]], Result]] = {
    "a": parse_baseline, "b": lint_cold, "b2": lint_cold, "c": lint_warm, "d": lint_changed,
    "e": render_or_diff, "e0": render_or_diff, "f": render_or_diff, "f2": render_or_diff,
    "f0": render_or_diff, "g": check_jsonschema, "h": monops_help,
}
"""How each row is measured: (bench, row key, rounds, catalog files) -> its result."""


def measure(bench: Bench, key: str, rounds: int, files: list[str]) -> Result:
    """``rounds`` timed runs of row ``key`` (and the untimed runs it needs before each)."""
    how = MEASURES.get(key)
    if how is None:
        raise BenchmarkError(f"unknown row {key}")
    return how(bench, key, rounds, files)


def cache_note(bench: Bench, cache: Path) -> str:
    """Where the filling run left its cache: proof that warm runs can find it."""
    written = [p for p in cache.rglob("*") if p.is_file()]
    if written:
        size = sum(p.stat().st_size for p in written)
        return f"cache filled: {len(written)} files, {size / MiB:.1f} MiB under the cache dir"
    if (bench.root / ".monops-cache").exists():
        return "cache filled: .monops-cache/ in the catalog"
    return "no cache written (monops has none, or ignores MONOPS_CACHE_DIR/XDG_CACHE_HOME)"


def command_batches(paths: list[str]) -> list[list[str]]:
    """Split a command line that would not fit in ARG_MAX (with room for the environment)."""
    budget = max(os.sysconf("SC_ARG_MAX") // 2 - sum(len(k) + len(v) + 2
                                                      for k, v in os.environ.items()), 65536)
    batches: list[list[str]] = [[]]
    used = 0
    for path in paths:
        if used + len(path) + 9 > budget and batches[-1]:
            batches.append([])
            used = 0
        batches[-1].append(path)
        used += len(path) + 9  # the pointer and the terminating NUL
    return batches
