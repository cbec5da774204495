"""The result tables, as aligned text for the terminal or as Markdown for BENCHMARKS.md."""

from __future__ import annotations

from typing import Any

from benchmarks.timing.results import SizeReport
from benchmarks.timing.rows import BY_KEY
from benchmarks.timing.verdicts import ratio, verdict


def table(reports: list[SizeReport], markdown: bool) -> str:
    """One line per row and size: medians, ratio to row a, memory, busy, verdict."""
    head = ["what", "N", "median s", "x (a)", "cpu s", "peak RSS MiB", "tree MiB", "busy",
            "rounds", "target", "status"]
    lines: list[list[str]] = []
    for report in reports:
        for key, result in report.results.items():
            row = BY_KEY[key]
            if not result.samples:
                lines.append([row.label, f"{report.n:,}", "-", "-", "-", "-", "-", "-", "0",
                              "", result.note])
                continue
            value = ratio(report, key)
            target, status = verdict(report, row)
            lines.append([row.label, f"{report.n:,}", f"{result.median:.3f}",
                          f"{value:.2f}" if value is not None else "-", f"{result.cpu:.2f}",
                          f"{result.max_rss_mib:.0f}", f"{result.tree_rss_mib:.0f}",
                          f"{result.others:.1f}", str(len(result.samples)), target, status])
    if markdown:
        out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        out += ["| " + " | ".join(cells) + " |" for cells in lines]
        return "\n".join(out)
    widths = [max(len(h), *(len(c[i]) for c in lines)) if lines else len(h)
              for i, h in enumerate(head)]
    rendered = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    rendered.append("  ".join("-" * w for w in widths))
    rendered += ["  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))
                 for cells in lines]
    return "\n".join(rendered)


def growth_table(rows: list[dict[str, Any]], markdown: bool) -> str:
    """The growth check's rows (from ``verdicts.growth``), or why there are none."""
    if not rows:
        return "(growth check: needs N = 10,000 and a larger N in the same run)"
    head = ["what", "x (a) at small", "x (a) at large", "growth", "target", "status"]
    cells = [[r["label"], f"{r['ratio_small']:.2f} (N={r['n_small']:,})",
              f"{r['ratio_large']:.2f} (N={r['n_large']:,})", f"{r['growth']:.2f}x",
              r["target"], r["status"]] for r in rows]
    if markdown:
        out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
        return "\n".join(out + ["| " + " | ".join(c) + " |" for c in cells])
    widths = [max(len(h), *(len(c[i]) for c in cells)) for i, h in enumerate(head)]
    out = ["  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True))]
    return "\n".join(out + ["  ".join(c.ljust(w) for c, w in zip(cell, widths, strict=True))
                            for cell in cells])
