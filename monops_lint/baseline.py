"""The baseline: findings a team has accepted for now, recorded by fingerprint.

``monops lint --write-baseline FILE`` records today's findings;
``--baseline FILE`` then reports only findings that are not in it. A
finding is recognised by ``fingerprint()`` - the one SARIF's
``partialFingerprints`` carry - which hashes its rule, its file and its
``key`` (what the problem is about), not its line: moving a finding to
another line keeps it baselined, fixing it drops it from the next baseline
written.

The file is JSON, sorted, with no timestamps, so that rewriting it after a
change shows in review exactly which findings came and went::

    {
      "version": 1,
      "kind": "monops-baseline",
      "findings": [
        {"rule": "price-drift", "path": "pricing/storage.yaml",
         "fingerprint": "0f3c...", "message": "..."}
      ]
    }
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from monops_lint.errors import MonopsError
from monops_lint.findings import Finding, fingerprint

BASELINE_VERSION = 1
BASELINE_KIND = "monops-baseline"
_FIELDS = ("rule", "path", "fingerprint", "message")
_FINGERPRINT = re.compile(r"[0-9a-f]{32}\Z")


@dataclass(frozen=True, order=True)
class BaselineEntry:
    """One recorded finding: its rule and file, its fingerprint, and its message then."""

    path: str
    rule: str
    fingerprint: str
    message: str


@dataclass(frozen=True)
class Baseline:
    """The findings recorded in a baseline file."""

    entries: tuple[BaselineEntry, ...] = ()

    def counts(self) -> Counter[str]:
        """How many findings each fingerprint stands for."""
        return Counter(entry.fingerprint for entry in self.entries)


def entry_of(finding: Finding) -> BaselineEntry:
    """What the baseline records of ``finding``."""
    return BaselineEntry(finding.location.path, finding.rule, fingerprint(finding),
                         finding.message)


def write_baseline(findings: Iterable[Finding]) -> str:
    """The baseline file's text for ``findings``: sorted, deterministic, ending in a newline."""
    entries = sorted(entry_of(finding) for finding in findings)
    document = {
        "version": BASELINE_VERSION,
        "kind": BASELINE_KIND,
        "findings": [{name: getattr(entry, name) for name in _FIELDS} for entry in entries],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def read_baseline(text: str, source: str = "baseline") -> Baseline:
    """Parse a baseline file's text; ``MonopsError`` (one line, naming ``source``) if invalid."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MonopsError(f"{source}: not a monops baseline: invalid JSON at line {exc.lineno} "
                          f"column {exc.colno}: {exc.msg}") from exc
    if not isinstance(document, Mapping):
        raise MonopsError(f"{source}: not a monops baseline: expected a JSON object")
    if document.get("kind") != BASELINE_KIND:
        raise MonopsError(f"{source}: not a monops baseline: `kind` must be "
                          f"\"{BASELINE_KIND}\" (write one with `monops lint --write-baseline`)")
    version = document.get("version")
    if version != BASELINE_VERSION:
        raise MonopsError(f"{source}: unsupported baseline version {json.dumps(version)} "
                          f"(this monops reads version {BASELINE_VERSION}; rewrite it with "
                          "`monops lint --write-baseline`)")
    items = document.get("findings")
    if not isinstance(items, list):
        raise MonopsError(f"{source}: `findings` must be a list")
    return Baseline(tuple(_entry(item, f"{source}: findings[{index}]")
                          for index, item in enumerate(items)))


def _entry(item: Any, where: str) -> BaselineEntry:
    if not isinstance(item, Mapping):
        raise MonopsError(f"{where}: expected an object with {', '.join(_FIELDS)}")
    for name in _FIELDS:
        if not isinstance(item.get(name), str):
            raise MonopsError(f"{where}: `{name}` must be a string")
    if not _FINGERPRINT.match(item["fingerprint"]):
        raise MonopsError(f"{where}: `fingerprint` must be 32 lower-case hex digits")
    return BaselineEntry(item["path"], item["rule"], item["fingerprint"], item["message"])


def load_baseline(path: Path) -> Baseline:
    """Read and parse the baseline file at ``path``; ``MonopsError`` if it cannot be."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise MonopsError(f"cannot read baseline {path}: {reason}") from exc
    return read_baseline(text, str(path))


def filter_baseline(findings: Iterable[Finding],
                    baseline: Baseline) -> tuple[list[Finding], int]:
    """Drop the findings recorded in ``baseline``: returns the rest and how many were dropped.

    A fingerprint recorded n times covers n findings: a new finding that
    happens to share one with a recorded finding is still reported.
    """
    allowed = baseline.counts()
    kept: list[Finding] = []
    dropped = 0
    for finding in findings:
        mark = fingerprint(finding)
        if allowed[mark] > 0:
            allowed[mark] -= 1
            dropped += 1
        else:
            kept.append(finding)
    return kept, dropped
