"""The raw numbers of a run as one JSON document (``--out``)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from benchmarks.timing.bench import TODAY
from benchmarks.timing.results import SizeReport
from benchmarks.timing.rows import BY_KEY
from benchmarks.timing.verdicts import growth, ratio, rss_verdict, verdict


def to_json(reports: list[SizeReport], info: dict[str, Any], argv: list[str]) -> dict[str, Any]:
    """Every sample, median, ratio and verdict, with the machine and the command line."""
    sizes = []
    for report in reports:
        rows = {}
        for key, result in report.results.items():
            target, status = verdict(report, BY_KEY[key])
            rows[key] = {
                "label": result.label, "command": result.command, "note": result.note,
                "samples": [asdict(s) for s in result.samples],
                "median_seconds": result.median if result.samples else None,
                "median_cpu_seconds": result.cpu if result.samples else None,
                "median_load": result.load if result.samples else None,
                "median_busy": result.others if result.samples else None,
                "waited_seconds": sum(s.waited for s in result.samples),
                "ratio_to_a": ratio(report, key),
                "max_rss_mib": result.max_rss_mib if result.samples else None,
                "tree_rss_mib": result.tree_rss_mib if result.samples else None,
                "target": target, "status": status,
                "rss_status": rss_verdict(report, BY_KEY[key]),
            }
        sizes.append({"n": report.n, "files": report.files, "bytes": report.bytes,
                      "product_files": report.products, "documents": report.documents,
                      "changed_files": report.changed_files, "rounds": report.rounds,
                      "lint": report.findings_note, "seconds_total": report.seconds_total,
                      "rows": rows})
    return {"version": 1, "command": argv, "machine": info, "today": TODAY, "sizes": sizes,
            "growth": growth(reports)}
