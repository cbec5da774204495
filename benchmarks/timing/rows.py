"""The rows of the benchmark table (what is measured) and the targets of issue 6."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Target:
    """A row's target: a ratio to row a, or seconds."""

    kind: str  # "ratio" (to row a) or "seconds"
    limit: float
    text: str


@dataclass(frozen=True)
class Row:
    """One row of the table: its key (``--only``), its label and its target."""

    key: str
    label: str
    target: Target | None = None
    monops: bool = True  # a monops command: the RSS target applies


ROWS = [
    Row("a", "a. yaml CSafeLoader parse (baseline)", monops=False),
    Row("b", "b. lint cold (no cache)", Target("ratio", 1.0, "<= 1.0x (a)")),
    Row("b2", "b2. lint, empty cache, fills it"),
    Row("c", "c. lint warm (nothing changed)", Target("ratio", 0.15, "<= 0.15x (a)")),
    Row("d", "d. lint after 1 % changed", Target("ratio", 0.3, "<= 0.3x (a)")),
    Row("e", "e. render json, 200 scenarios, warm", Target("seconds", 1.0, "<= 1 s")),
    Row("e0", "e0. render json, empty cache", Target("seconds", 1.0, "<= 1 s")),
    Row("f", "f. diff HEAD~1 HEAD, after a lint", Target("ratio", 1.5, "<= 1.5x (a)")),
    Row("f2", "f2. diff HEAD~1 HEAD, again", Target("ratio", 1.5, "<= 1.5x (a)")),
    Row("f0", "f0. diff HEAD~1 HEAD, empty cache", Target("ratio", 1.5, "<= 1.5x (a)")),
    Row("g", "g. check-jsonschema, product files", monops=False),
    Row("h", "h. monops --help", Target("seconds", 0.3, "<= 0.3 s")),
]
BY_KEY = {row.key: row for row in ROWS}
RSS_TARGET = Target("rss", 1.0, "<= 1 GiB at 50,000")
GROWTH_LIMIT = 1.2  # the 50,000 row's ratio no more than 20 % worse than the 10,000 row's
RSS_SIZE = 50_000
