"""Two commits of monops on one catalog, round by round: is one slower than the other?

``run.py`` measures one monops per run; on a shared VM two runs minutes apart can
differ by more than the change being judged (BENCHMARKS.md saw 5-9 % between runs
of the same code). Here both commits are installed side by side and every round
of a row runs them one after the other, in alternating order (ABBA), on the same
generated catalog, so that a slow minute of the machine costs both alike. The
report gives each row's median for both, the ratio of the medians, and the range
of the per-round ratios (how much to trust the median's ratio).

    python benchmarks/compare.py --base bff6729 --head HEAD --size 10000 --rounds 9 \\
        --only b,c,d,e,f --markdown compare.md

Rows and their rounds are ``run.py``'s (``benchmarks/timing/measure.py``): a
round's untimed runs (filling a cache, linting commit 1) are repeated for each
commit. Row a is left out: it does not run monops.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # see run.py

from benchmarks.timing.bench import Bench, catalog_files, check_clean, prepare
from benchmarks.timing.commands import BenchmarkError, run
from benchmarks.timing.installs import install_snapshot
from benchmarks.timing.machine import machine
from benchmarks.timing.measure import measure
from benchmarks.timing.progress import say, timing
from benchmarks.timing.rows import BY_KEY

DEFAULT_ROWS = "b,c,d,e,f,f2,h"


@dataclasses.dataclass
class Row:
    """One row's seconds for both commits, round by round."""

    key: str
    base: list[float] = dataclasses.field(default_factory=list)
    head: list[float] = dataclasses.field(default_factory=list)

    def ratios(self) -> list[float]:
        return [h / b for b, h in zip(self.base, self.head, strict=True)]

    def line(self) -> str:
        """The row in the Markdown table."""
        base, head = statistics.median(self.base), statistics.median(self.head)
        ratios = self.ratios()
        return (f"| {BY_KEY[self.key].label} | {base:.3f} s | {head:.3f} s | {head / base:.3f} "
                f"| {min(ratios):.2f}-{max(ratios):.2f} | {len(self.base)} |")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--base", required=True, metavar="REV", help="the commit to compare with")
    parser.add_argument("--head", default="HEAD", metavar="REV", help="the commit judged "
                        "(default HEAD)")
    parser.add_argument("--size", type=int, default=10_000, help="catalog size N (10000)")
    parser.add_argument("--rounds", type=int, default=9, help="rounds per row (9)")
    parser.add_argument("--only", default=DEFAULT_ROWS, help=f"rows ({DEFAULT_ROWS})")
    parser.add_argument("--workdir", type=Path, default=None, help="default: a temporary one")
    parser.add_argument("--out", type=Path, default=None, help="the seconds, as JSON")
    parser.add_argument("--markdown", type=Path, default=None, help="the table, as Markdown")
    args = parser.parse_args(argv)
    args.keys = [k.strip() for k in args.only.split(",") if k.strip()]
    unknown = [k for k in args.keys if k not in BY_KEY or k in ("a", "g")]
    if unknown or args.rounds < 1 or args.size < 50:
        parser.error(f"--only: rows b-h but g (not {', '.join(unknown)}); --rounds >= 1; "
                     "--size >= 50")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    work = args.workdir or Path(tempfile.mkdtemp(prefix="monops-compare-"))
    try:
        with timing(f"install {args.base} and {args.head}"):
            base_cmd, base_note = install_snapshot(args.base, work / "base")
            head_cmd, head_note = install_snapshot(args.head, work / "head")
        (work / "size").mkdir(parents=True, exist_ok=True)
        base, _ = prepare(args.size, work / "size", base_cmd, None, "")
        probe = run([*head_cmd, "lint", "--help"], cwd=base.root, env=os.environ,
                    what="monops lint --help", timed=False)
        # The same catalog; caches of its own (a Bench numbers the caches it makes).
        head = dataclasses.replace(base, monops=head_cmd, work=work / "head-caches",
                                   no_cache="--no-cache" in probe.stdout)
        files = catalog_files(base.root)
        notes = [check_clean(base), check_clean(head)]
        rows = [Row(key) for key in args.keys]
        for row in rows:
            with timing(f"{row.key} x{args.rounds} x2"):
                for number in range(args.rounds):
                    order: list[tuple[Bench, list[float]]] = [(base, row.base), (head, row.head)]
                    for bench, seconds in order if number % 2 == 0 else reversed(order):
                        seconds.append(measure(bench, row.key, 1, files).samples[0].seconds)
    except BenchmarkError as exc:
        say(f"compare.py: {exc}")
        return 2
    about = machine(base_cmd, base_note)
    header = (f"`benchmarks/compare.py --base {args.base} --head {args.head} --size "
              f"{args.size} --rounds {args.rounds}`, {about['date']}: base {base_note}; head "
              f"{head_note}; {about['cpu']}, {about['usable_cores']} cores, Python "
              f"{about['python']}; {len(files):,} files; catalog {notes[0]} (base), "
              f"{notes[1]} (head)")
    table = "\n".join([
        "| row | base median | head median | head / base | per-round ratios | rounds |",
        "|---|---|---|---|---|---|", *(row.line() for row in rows)])
    say(header + "\n\n" + table)
    if args.markdown:
        args.markdown.write_text(header + "\n\n" + table + "\n")
    if args.out:
        args.out.write_text(json.dumps({"base": args.base, "head": args.head,
                                        "size": args.size, "rows": [dataclasses.asdict(r)
                                                                    for r in rows]}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
