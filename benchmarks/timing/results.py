"""What one timed run measured (``Sample``), a row's rounds with their medians
(``Result``), and every row at one catalog size (``SizeReport``)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field

MiB = 1 << 20
GiB = 1 << 30


@dataclass
class Sample:
    """One run of one command: its time, its memory and how busy the machine was."""

    seconds: float  # wall time, perf_counter around the subprocess
    max_rss_kib: int  # the largest process of the tree (ru_maxrss of the reaped child)
    tree_rss_kib: int  # the whole tree at once (summed PSS, sampled every 20 ms), or more
    cpu_seconds: float = 0.0  # user + system of the whole tree
    load: float = 0.0  # the 1-minute load average when the run started
    others: float = 0.0  # other tasks wanting a CPU during the run, on average (contention)
    waited: float = 0.0  # seconds spent waiting for a quiet machine first (--quiet)
    parse_seconds: float | None = None  # row a: the parse alone, timed inside the process


@dataclass
class Result:
    """A row's rounds at one size: its command, samples and note, and their medians."""

    key: str
    label: str
    command: str
    samples: list[Sample] = field(default_factory=list)
    note: str = ""
    documents: int = 0

    @property
    def median(self) -> float:
        """Median wall time (row a: of the in-process parse time)."""
        values = [s.parse_seconds if s.parse_seconds is not None else s.seconds
                  for s in self.samples]
        return statistics.median(values)

    @property
    def cpu(self) -> float:
        """Median CPU time of the tree, user + system."""
        return statistics.median(s.cpu_seconds for s in self.samples)

    @property
    def load(self) -> float:
        """Median 1-minute load average at the start."""
        return statistics.median(s.load for s in self.samples)

    @property
    def others(self) -> float:
        """Median of the other tasks wanting a CPU (the ``busy`` column)."""
        return statistics.median(s.others for s in self.samples)

    @property
    def max_rss_mib(self) -> float:
        """The largest process's peak RSS over the rounds, in MiB."""
        return max(s.max_rss_kib for s in self.samples) / 1024

    @property
    def tree_rss_mib(self) -> float:
        """The whole tree's peak memory over the rounds, in MiB."""
        return max(s.tree_rss_kib for s in self.samples) / 1024


@dataclass
class SizeReport:
    """Every row measured at one catalog size N, with what the catalog held."""

    n: int
    files: int
    bytes: int
    products: int
    documents: int
    changed_files: int
    rounds: int
    results: dict[str, Result]
    findings_note: str
    seconds_total: float
