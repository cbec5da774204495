"""Verdicts: each row against its target of issue 6, and the growth from N = 10,000 to the
largest N (linear at most)."""

from __future__ import annotations

from typing import Any

from benchmarks.timing.results import GiB, MiB, SizeReport
from benchmarks.timing.rows import GROWTH_LIMIT, ROWS, RSS_SIZE, RSS_TARGET, Row


def ratio(report: SizeReport, key: str) -> float | None:
    """Row ``key``'s median over row a's at the same size (None without both)."""
    base = report.results.get("a")
    result = report.results.get(key)
    if base is None or result is None or not result.samples:
        return None
    return result.median / base.median


def verdict(report: SizeReport, row: Row) -> tuple[str, str]:
    """(target, met / NOT met / '') of a row at this size."""
    result = report.results[row.key]
    if not result.samples:
        return "", ""
    texts: list[str] = []
    statuses: list[str] = []
    target = row.target
    value = None
    if target is not None:
        value = ratio(report, row.key) if target.kind == "ratio" else result.median
    if target is not None and value is not None:
        texts.append(target.text)
        statuses.append("met" if value <= target.limit else "NOT met")
    rss = rss_verdict(report, row)
    if rss:
        texts.append("RSS <= 1 GiB")
        statuses.append(f"RSS {rss}")
    return "; ".join(texts), "; ".join(statuses)


def rss_verdict(report: SizeReport, row: Row) -> str:
    """met / NOT met for the memory target of a monops row at N >= 50,000, else ''."""
    result = report.results[row.key]
    if not (row.monops and report.n >= RSS_SIZE and result.samples):
        return ""
    return "met" if result.tree_rss_mib * MiB <= RSS_TARGET.limit * GiB else "NOT met"


def growth(reports: list[SizeReport]) -> list[dict[str, Any]]:
    """The largest size's ratios against the 10,000 row's (linear: at most 20 % worse)."""
    by_n = {r.n: r for r in reports}
    small = by_n.get(10_000)
    large = max((r for r in reports if r.n > 10_000), key=lambda r: r.n, default=None)
    if small is None or large is None:
        return []
    rows = []
    for row in ROWS:
        if row.key == "a" or not row.monops or row.key == "h":
            continue
        before, after = ratio(small, row.key), ratio(large, row.key)
        if before is None or after is None:
            continue
        change = after / before
        rows.append({"key": row.key, "label": row.label, "n_small": small.n, "n_large": large.n,
                     "ratio_small": before, "ratio_large": after, "growth": change,
                     "target": "<= 1.20x", "status": "met" if change <= GROWTH_LIMIT
                     else "NOT met"})
    return rows
