#!/usr/bin/env python3
"""Generate a deterministic synthetic monops catalog for benchmarks (issue 6).

    python benchmarks/generate.py N OUT
    python benchmarks/generate.py N OUT --change-percent 1 --seed 2

The first form writes a catalog of about N files under OUT (which must be
new or empty): ``monops.yaml``, ``catalog/products``, ``catalog/bundles``,
``catalog/channels`` (5 channels), ``catalog/promotions``, ``pricing`` and
``scenarios`` (200 sample customers). N = 10,000 gives 10,000 files and
about 11 MB, like the reference catalog of issue 6: one product per file,
its plans in one pricing file beside it (monthly plans in a ladder with
upsells, yearly siblings, graduated, tapered, volume, package, per-unit and
percentage charges, every amount in USD, EUR and JPY), bundles with their
plans, promotions and scenarios. The output is byte-identical on every run
for the same arguments (``--base-seed`` picks another catalog of the same
shape), and it lints clean under every rule with ``--today 2026-11-25``:
no error, no warning.

The second form edits a catalog the first form wrote (same N and
``--base-seed``): it adds a new plan version effective 2027-04-01 with
prices raised 3-9 % (volume-tier rates, kept in steps of USD 0.50, round up
to the next step) to the pricing files of ``--change-percent`` % of N
products chosen by ``--seed``, as a pricing team would announce a price
rise. The catalog stays lint-clean, and ``monops diff`` of the two commits
shows the rise on the sample invoices it reaches.

The catalog itself is built by the modules of ``benchmarks/catalog/``; this
file is its command line.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):
    # Run as a script (python benchmarks/generate.py): its folder is on sys.path, not the
    # checkout, so the ``benchmarks`` package would not import.
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.catalog.build import build
from benchmarks.catalog.dates import CHANGE_DAY
from benchmarks.catalog.files import holds, write_files
from benchmarks.catalog.price_rise import raise_prices


def main(argv: Sequence[str] | None = None) -> int:
    """Write a catalog, or the price rise into one; 0 on success (argparse exits on misuse)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int, metavar="N", help="about how many files to write")
    parser.add_argument("out", type=Path, metavar="OUT", help="the catalog root to write")
    parser.add_argument("--base-seed", type=int, default=1,
                        help="seed of the catalog itself (default 1)")
    parser.add_argument("--change-percent", type=float, default=None, metavar="PCT",
                        help="edit an existing catalog (same N and --base-seed): raise the "
                        "prices of PCT %% of N products from " + CHANGE_DAY.isoformat())
    parser.add_argument("--seed", type=int, default=2,
                        help="seed that picks the products --change-percent edits (default 2)")
    args = parser.parse_args(argv)
    if args.n < 50:
        parser.error("N must be at least 50")
    catalog = build(args.n, args.base_seed)
    out: Path = args.out
    if args.change_percent is None:
        if out.exists() and any(out.iterdir()):
            parser.error(f"{out} is not empty")
        files = catalog.files()
        write_files(out, files)
        size = sum(len(t.encode()) for t in files.values())
        print(f"wrote {len(files)} files, {size / 1e6:.1f} MB, {len(catalog.products)} "
              f"products, {sum(len(p.plans) for p in catalog.products) + len(catalog.bundles)}"
              f" plans to {out}", file=sys.stderr)
        return 0
    if not 0 < args.change_percent <= 100:
        parser.error("--change-percent must be in (0, 100]")
    edits = raise_prices(catalog, args.change_percent, args.seed)
    for relative, (before, _) in edits.items():
        path = out / relative
        if not holds(path, before):
            parser.error(f"{path} is not as `generate.py {args.n} --base-seed "
                         f"{args.base_seed}` wrote it (changed twice, or another N?)")
    write_files(out, {relative: after for relative, (_, after) in edits.items()})
    print(f"changed {len(edits)} pricing files (new versions from {CHANGE_DAY}) in {out}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
