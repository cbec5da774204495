"""Atheris harness: arbitrary bytes as one file of monops' cache (the key or a pack), then
``monops lint`` on the example catalog with that cache.

    pip install atheris
    python fuzz/fuzz_cache.py -max_total_time=600 [CORPUS_DIR ...] [libFuzzer flags]

The cache is made once by a first lint; the first input byte picks the cache file the rest
replaces. A crash is a traceback, an "internal error", or a report that differs from the
one made without damage: a damaged cache may cost time, never a different answer.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from common import ROOT as EXAMPLE
from common import fuzz

from tests.hardening.checks import run_in_process

WORK = Path(tempfile.mkdtemp(prefix="monops-fuzz-cache-"))
CATALOG = WORK / "catalog-root"
CACHE = WORK / "cache"
os.environ["MONOPS_CACHE_DIR"] = str(CACHE)
os.environ.pop("GITHUB_ACTIONS", None)

shutil.copytree(EXAMPLE, CATALOG, ignore=lambda folder, names: [
    n for n in names if Path(folder) == EXAMPLE and n not in (
        "monops.yaml", "catalog", "pricing", "scenarios", "rules")])
ARGV = ["lint", "--format", "json", "--today", "2026-11-25", "--root", str(CATALOG)]
CODE, REPORT, _ = run_in_process(ARGV)
GOOD = {p: p.read_bytes() for p in sorted(CACHE.rglob("*")) if p.is_file()}
TARGETS = sorted(GOOD)


def test_one_input(data: bytes) -> None:
    """One input: [cache file byte] then that file's new bytes."""
    if not data:
        return
    for path, content in GOOD.items():
        path.write_bytes(content)
    TARGETS[data[0] % len(TARGETS)].write_bytes(data[1:])
    code, out, err = run_in_process(ARGV)
    if "Traceback" in out + err or "internal error" in err:
        raise AssertionError(f"exit {code}\n{err}")
    if (code, out) != (CODE, REPORT):
        raise AssertionError(f"a damaged cache changed the report (exit {code}):\n{err}")


def seed_corpus() -> str:
    """A temporary corpus: each cache file as it is, and cut in half."""
    folder = Path(tempfile.mkdtemp(prefix="monops-fuzz-cache-corpus-"))
    for index, content in enumerate(GOOD.values()):
        (folder / f"seed-{index:02d}").write_bytes(bytes([index]) + content)
        (folder / f"seed-{index:02d}-half").write_bytes(bytes([index]) + content[:len(content)
                                                                                // 2])
    return str(folder)


def main() -> None:
    """Run libFuzzer with our defaults: a seed corpus and the YAML dictionary."""
    fuzz(test_one_input, seed_corpus, (bytes([i]) for i in range(len(TARGETS))))


if __name__ == "__main__":
    main()
