"""Wide mappings and long lists cost time in proportion to their size (issue 19, item 5).

A finding points at its node through ``locate``. It used to count, for every
finding, every node written before the one it looked for: a product with 40,000
unknown fields (560 kB, under the default ``max_file_bytes``) took 86 s to load.
"""

from __future__ import annotations

import pickle
import time

from monops_lint.load import load_file
from monops_lint.source.yamlstrict import locate, parse_yaml

WIDE = 40_000


class KeyComparisons:
    """How often ``locate`` compared a wanted key with a key of the data; fails past a cap."""

    def __init__(self, cap: int) -> None:
        self.count = 0
        self.cap = cap

    def key(self, name: str) -> str:
        """``name`` as a key that counts its comparisons here."""
        return _CountedKey(name, self)


class _CountedKey(str):
    comparisons: KeyComparisons

    def __new__(cls, name: str, comparisons: KeyComparisons) -> _CountedKey:
        key = super().__new__(cls, name)
        key.comparisons = comparisons
        return key

    __hash__ = str.__hash__  # found in a dict like the plain string

    def __eq__(self, other: object) -> bool:
        counter = self.comparisons
        counter.count += 1
        if counter.count > counter.cap:
            raise AssertionError(f"locate compared keys more than {counter.cap:,} times "
                                 f"(looking for {str(self)!r})")
        return str.__eq__(self, other)


def test_every_key_of_a_wide_mapping_is_found_with_a_few_comparisons_each() -> None:
    # `fields:` on line 2, then one key per line: f<i> on line 3 + i.
    text = "kind: product\nfields:\n" + "".join(f"  f{i}: {i}\n" for i in range(WIDE))
    document = parse_yaml("wide.yaml", text.encode()).documents[0]
    # Two lookups per key, each comparing the wanted key a few times (a dict lookup compares
    # once): the cap is four per lookup, eight per key. Counting from the first key every
    # time would take 2 * (1 + 2 + ... + 40,000) = 40,000 * 40,001 = 1,600,040,000
    # comparisons: the cap stops that after 320,000.
    comparisons = KeyComparisons(cap=8 * WIDE)
    for i in range(WIDE):
        key = comparisons.key(f"f{i}")
        # "  f17: 17": the key at column 3; "  f17: " is 7 characters, so the value is at
        # column 8 = 6 + len("17").
        assert locate(document.data, document.positions, ("fields", key), on_key=True) \
            == (3 + i, 3)
        assert locate(document.data, document.positions, ("fields", key)) \
            == (3 + i, 6 + len(str(i)))
    assert comparisons.count <= 8 * WIDE


def test_every_key_after_a_long_list_is_found_in_linear_time() -> None:
    # A long list before a wide mapping: each lookup in `fields` used to count the list's
    # 20,000 items again, 20,000 times. `tiers:` on line 1, its items on lines 2..20,001,
    # `fields:` on line 20,002, f<i> on line 20,003 + i. About 660 kB.
    long = WIDE // 2
    text = ("tiers:\n" + "".join(f"  - {{up_to: {i}}}\n" for i in range(long))
            + "fields:\n" + "".join(f"  f{i}: {i}\n" for i in range(long))).encode()
    assert len(text) < 1 << 20  # the default max_file_bytes lets it through
    document = parse_yaml("long.yaml", text).documents[0]
    started = time.perf_counter()
    for i in range(long):
        assert locate(document.data, document.positions, ("fields", f"f{i}"), on_key=True) \
            == (long + 3 + i, 3)
        # "  - {up_to: 17}": the mapping at column 5, its value at 5 + len("{up_to: ") = 13
        assert locate(document.data, document.positions, ("tiers", i, "up_to")) == (2 + i, 13)
        if i % 100 == 99:
            # Linear takes well under a second; counting from the start took minutes.
            assert time.perf_counter() - started < 10, f"only {i + 1:,} keys in 10 s"


def test_a_product_with_40000_unknown_fields_loads_in_seconds() -> None:
    # kind, id and name on lines 1-3; field f<i> on line 4 + i, each one a schema finding
    # pointing at its key (column 1). 40,000 lines of "f12345: 12345" are about 560 kB.
    text = ("kind: product\nid: wide\nname: Wide\n"
            + "".join(f"f{i}: {i}\n" for i in range(WIDE))).encode()
    assert len(text) < 1 << 20  # the default max_file_bytes lets it through
    started = time.perf_counter()
    result = load_file("catalog/wide.yaml", text)
    elapsed = time.perf_counter() - started
    print(f"a product with {WIDE:,} unknown fields: {elapsed:.2f} s")
    assert sorted((f.rule, f.location.line, f.location.column) for f in result.findings) \
        == [("schema", 4 + i, 1) for i in range(WIDE)]
    assert all(f"unknown field `f{f.location.line - 4}`" in f.message for f in result.findings)
    assert elapsed < 20  # 86 s (and more on a slower machine) when every finding recounted


def test_what_locate_keeps_for_a_document_is_never_cached_with_it() -> None:
    # The tables locate keeps for a wide mapping live with the document's positions in this
    # process only: the cache and the parse workers get the same bytes as before a lookup,
    # and a copy read back finds every key again.
    text = "kind: product\nfields:\n" + "".join(f"  f{i}: {i}\n" for i in range(1000))
    document = parse_yaml("wide.yaml", text.encode()).documents[0]
    before = pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL)
    assert locate(document.data, document.positions, ("fields", "f999"), on_key=True) \
        == (1002, 3)
    assert pickle.dumps(document, protocol=pickle.HIGHEST_PROTOCOL) == before
    copy = pickle.loads(before)
    assert [locate(copy.data, copy.positions, ("fields", f"f{i}"), on_key=True)
            for i in (999, 0, 500)] == [(1002, 3), (3, 3), (503, 3)]
