#!/usr/bin/env python3
"""Benchmark monops on synthetic catalogs (issue 6).

    python benchmarks/run.py [--sizes 1000,10000,50000] [--rounds 5] [--out results.json]

For each size N it generates a catalog with ``benchmarks/generate.py`` into
a temporary git repository (commit 1), raises prices in 1 % of N files
(commit 2), then times each of these as a subprocess, several rounds each,
and reports the median wall time and the peak resident memory:

    a   PyYAML's C loader alone: ``yaml.load_all(..., Loader=yaml.CSafeLoader)``
        over the same files in one process - the baseline every ratio divides by
    b   ``monops lint``, cold: no cache (``--no-cache`` when monops has it, and an
        empty cache directory every round)
    b2  ``monops lint`` with an empty cache that it fills (only when ``--no-cache``
        exists: then b no longer shows what a first run costs)
    c   ``monops lint``, warm: nothing changed since a run that filled the cache
    d   ``monops lint`` after 1 % of files changed (cache filled before the change)
    e   ``monops render --format json`` of all scenarios, warm (after a lint, as
        the shipped pull-request workflow runs it); e0 the same with an empty cache
    f   ``monops diff HEAD~1 HEAD`` (the 1 % change) after a ``monops lint`` of the
        head (each round: an empty cache, the lint untimed, the diff timed), as the
        shipped workflow runs them; f2 the same diff again (everything cached, as
        the workflow's second report format); f0 with an empty cache
    g   check-jsonschema over the product files with ``monops schema product``
        (installed from PyPI into a venv of its own, not a monops dependency)
    h   ``monops --help``

monops runs from the virtualenv of the Python running this script, so its
import time counts. The cache is kept apart per measurement with
MONOPS_CACHE_DIR and XDG_CACHE_HOME pointing into the work directory, and
the catalog's own ``.monops-cache/`` is removed whenever a run must be
cold. A command that fails stops the benchmark with its output shown.

The harness lives in ``benchmarks/timing/``: ``rows`` (what is measured and
the targets), ``commands`` and ``process_tree`` (running one command, its
time and its process tree's memory), ``installs`` (which monops),
``bench`` (the catalog under test), ``measure`` (each row's rounds),
``sizes``, ``results``, ``verdicts``, ``tables``, ``json_report`` and
``machine``. This file is its command line.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):
    # Run as a script (python benchmarks/run.py): its folder is on sys.path, not the
    # checkout, so the ``benchmarks`` package would not import.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.timing.commands import QUIET, BenchmarkError
from benchmarks.timing.installs import (
    install_check_jsonschema,
    install_snapshot,
    monops_command,
    working_tree_source,
)
from benchmarks.timing.json_report import to_json
from benchmarks.timing.machine import machine
from benchmarks.timing.progress import say, timing
from benchmarks.timing.results import SizeReport
from benchmarks.timing.rows import BY_KEY, ROWS
from benchmarks.timing.sizes import bench_size
from benchmarks.timing.tables import growth_table, table
from benchmarks.timing.verdicts import growth


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line, checked: sizes, rounds per size and the rows to run."""
    parser = argparse.ArgumentParser(
        description=(__doc__ or "").split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="rows: " + ", ".join(f"{r.key} ({r.label.split('. ', 1)[1]})" for r in ROWS))
    parser.add_argument("--sizes", default="1000,10000,50000",
                        help="catalog sizes N, comma-separated (default 1000,10000,50000)")
    parser.add_argument("--rounds", default="5", help="timed rounds per row: one number, or "
                        "one per size (e.g. 5,5,3); the median is reported (default 5)")
    parser.add_argument("--only", default="", help="rows to run, e.g. a,b,c (a always runs: "
                        "it is the baseline)")
    parser.add_argument("--out", type=Path, default=None, help="write the raw numbers as JSON")
    parser.add_argument("--markdown", type=Path, default=None,
                        help="write the tables as Markdown (for BENCHMARKS.md)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where to generate catalogs (default: a new temporary directory)")
    parser.add_argument("--keep", action="store_true", help="keep the generated catalogs")
    parser.add_argument("--monops-rev", default=None, metavar="REV",
                        help="benchmark monops as committed at git revision REV of this "
                        "checkout, installed into a separate venv (default: the monops of "
                        "the current venv, i.e. the working tree)")
    parser.add_argument("--quiet", type=float, default=None, metavar="TASKS",
                        help="before each timed run, wait until fewer than TASKS other tasks "
                        "want a CPU (averaged over 1 s), for at most --quiet-wait seconds")
    parser.add_argument("--quiet-wait", type=float, default=120, metavar="S",
                        help="longest wait for --quiet, per timed run (default 120)")
    parser.add_argument("--check-jsonschema", default=None, metavar="EXE",
                        help="use this check-jsonschema instead of installing one from PyPI")
    args = parser.parse_args(argv)
    try:
        args.size_list = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
        counts = [int(r) for r in args.rounds.split(",") if r.strip()]
    except ValueError:
        parser.error("--sizes and --rounds take comma-separated whole numbers")
    if len(counts) == 1:
        counts *= len(args.size_list)
    if len(counts) != len(args.size_list) or min(counts) < 1 or min(args.size_list) < 50:
        parser.error("--rounds: one number >= 1, or one per size; sizes >= 50")
    args.round_list = counts
    keys = [k.strip() for k in args.only.split(",") if k.strip()] or [r.key for r in ROWS]
    unknown = [k for k in keys if k not in BY_KEY]
    if unknown:
        parser.error(f"--only: unknown row(s) {', '.join(unknown)}; rows are "
                     f"{', '.join(BY_KEY)}")
    args.keys = ["a", *[k for k in BY_KEY if k in keys and k != "a"]]
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; 0 when it ran through, 2 when a command failed."""
    args = parse_args(argv)
    try:
        import yaml

        if not hasattr(yaml, "CSafeLoader"):
            raise BenchmarkError("PyYAML has no CSafeLoader (built without libyaml): the "
                                 "baseline would not be the C loader")
    except ImportError as exc:
        raise SystemExit(f"run.py: {exc}") from exc
    if args.quiet is not None:
        QUIET.update(below=args.quiet, wait=args.quiet_wait)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="monops-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    reports: list[SizeReport] = []
    try:
        if args.monops_rev:
            with timing(f"install monops {args.monops_rev} into its own venv"):
                monops, source = install_snapshot(args.monops_rev, work)
        else:
            monops, source = monops_command(), working_tree_source()
        info = machine(monops, source)
        say(f"{info['monops']}: {source}; {info['cpu']}, {info['usable_cores']} cores; "
            f"Python {info['python']}; PyYAML {info['pyyaml']} (libyaml: {info['libyaml']}); "
            f"work in {work}")
        cjs: list[str] | None = None
        cjs_note = ""
        if "g" in args.keys:
            if args.check_jsonschema:
                cjs = [args.check_jsonschema]
                cjs_note = "check-jsonschema " + args.check_jsonschema
            else:
                with timing("pip install check-jsonschema (into its own venv)"):
                    cjs, cjs_note = install_check_jsonschema(work)
            say(f"    {cjs_note}")
        for n, rounds in zip(args.size_list, args.round_list, strict=True):
            say(f"N = {n:,}, {rounds} rounds")
            folder = work / f"n{n}"
            if folder.exists():
                shutil.rmtree(folder)
            folder.mkdir()
            reports.append(bench_size(n, rounds, folder, args.keys, monops, cjs, cjs_note))
            say(table(reports[-1:], markdown=False))
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)
    except BenchmarkError as exc:
        print(f"run.py: {exc}", file=sys.stderr)
        return 2
    finally:
        if not args.keep and args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(table(reports, markdown=False))
    print()
    print("Growth (ratio to (a) at the largest N over N = 10,000):")
    print(growth_table(growth(reports), markdown=False))
    document = to_json(reports, info, sys.argv if argv is None else list(argv))
    if args.out:
        args.out.write_text(json.dumps(document, indent=2) + "\n")
        say(f"raw numbers: {args.out}")
    if args.markdown:
        args.markdown.write_text(table(reports, markdown=True) + "\n\n" +
                                 growth_table(growth(reports), markdown=True) + "\n")
        say(f"markdown tables: {args.markdown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
