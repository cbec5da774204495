"""The rollout bucket computed in SQL is the Python one (SPEC section 10), on thousands of
ids: ASCII, accented, CJK, emoji, spaces, quotes. The Python bucket is pinned against
hand-computed SHA-256 values in tests/pricing/test_pricing_phases.py."""

from __future__ import annotations

import random

import duckdb

from monops_lint.engines.dialect import DIALECTS
from monops_lint.pricing.buckets import bucket_of

ALPHABET = "abcXYZ019-_ .'é ü Ø 日本 Ω 🙂\u200b"


def ids(count: int = 3000) -> list[str]:
    rng = random.Random(7)
    found = {f"C{n:07d}" for n in range(500)} | {"é", "C-1042", "kund-ö", "顧客-7", "🙂"}
    while len(found) < count:
        found.add("".join(rng.choice(ALPHABET) for _ in range(rng.randrange(1, 24))))
    return sorted(found)


def test_duckdb_bucket_is_the_python_bucket() -> None:
    db = duckdb.connect()
    db.execute("CREATE TABLE t (id VARCHAR)")
    db.executemany("INSERT INTO t VALUES (?)", [[i] for i in ids()])
    bucket = DIALECTS["duckdb"].bucket("id")
    got = {row[0]: row[1] for row in db.execute(f"SELECT id, {bucket} FROM t").fetchall()}
    assert len(got) == 3000
    assert {i: b for i, b in got.items()} == {i: int(bucket_of(i) * 100) for i in got}
