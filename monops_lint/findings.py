"""Findings: what a rule reports, and where."""

from __future__ import annotations

import enum
import hashlib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any


def pickle_by_fields(self: Any) -> tuple[Any, ...]:
    """``__reduce__`` for a frozen, slotted dataclass: its class and its fields in order.

    The cache pickles tens of thousands of these; the dataclass default goes
    through ``__getstate__``/``__setstate__`` in Python, one call per object
    (BENCHMARKS.md, "Design measurements").
    """
    return type(self), tuple(getattr(self, name) for name in type(self).__slots__)


class Severity(enum.IntEnum):
    """How bad a finding is; ordered so that ``>=`` compares with ``--fail-on``."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, text: str) -> Severity:
        """Read ``error`` / ``warning`` / ``info``."""
        return cls[text.upper()]

    def __str__(self) -> str:
        return self.name.lower()


@dataclass(frozen=True, slots=True, order=True)
class Location:
    """A place in a catalog file: ``path`` relative to the root, 1-based line and column."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"

    __reduce__ = pickle_by_fields


TEXT_MAX_CHARS = 1000
"""The longest a finding's message or hint is; longer text is cut, saying by how much."""


def bounded(text: str, limit: int = TEXT_MAX_CHARS) -> str:
    """``text``, or its first ``limit`` characters and how many more there were."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem a rule found.

    ``key`` is what identifies the problem apart from its position (e.g. the
    entity id and field): the baseline fingerprints it so that a finding
    survives unrelated line moves.
    """

    rule: str
    severity: Severity
    location: Location
    message: str
    hint: str = ""
    key: str = ""
    related: tuple[tuple[Location, str], ...] = field(default=())

    def __post_init__(self) -> None:
        # However big the catalog text a message quotes, a finding stays readable and a
        # report's size stays proportional to the number of findings.
        for name in ("message", "hint"):
            text = getattr(self, name)
            if len(text) > TEXT_MAX_CHARS:
                object.__setattr__(self, name, bounded(text))

    def sort_key(self) -> tuple[str, int, int, str, str]:
        """Files, then positions, then rule: the order every reporter prints in."""
        loc = self.location
        return (loc.path, loc.line, loc.column, self.rule, self.message)


def fingerprint(finding: Finding) -> str:
    """A fingerprint that survives line moves: rule, file and what the problem is about.

    SARIF's ``partialFingerprints`` and the baseline both use it.
    """
    text = "\x1f".join((finding.rule, finding.location.path, finding.key or finding.message))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _identity(finding: Finding) -> tuple[str, str]:
    # What a finding is about, without where: a file renamed or a line moved is the same
    # finding on both sides.
    return finding.rule, finding.key or finding.message


def introduced_findings(these: Iterable[Finding], those: Iterable[Finding]
                        ) -> tuple[Finding, ...]:
    """The findings of ``these`` that ``those`` do not have (as a multiset, ignoring where)."""
    remaining = Counter(_identity(f) for f in those)
    result = []
    for finding in these:
        identity = _identity(finding)
        if remaining[identity]:
            remaining[identity] -= 1
        else:
            result.append(finding)
    return tuple(result)
