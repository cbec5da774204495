"""The strict loader: YAML 1.2 core scalars, exact decimals, positions, traps that never run."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from monops_lint.source.yamlstrict import locate, parse_yaml, resolve_plain


@pytest.mark.parametrize(("text", "expected"), [
    ("9.99", Decimal("9.99")),        # a decimal from its text: no float on the way
    ("0.1", Decimal("0.1")),
    ("10", 10),
    ("-3", -3),
    ("1e3", Decimal("1000")),         # YAML 1.2 core float syntax, read exactly
    ("true", True), ("False", False), ("null", None), ("~", None), ("", None),
    ("NO", "NO"), ("yes", "yes"), ("on", "on"), ("off", "off"),  # YAML 1.1 booleans: text
    ("1:30", "1:30"),                 # YAML 1.1 sexagesimal: text
    ("0755", "0755"),                 # leading zero: text, not octal or 755
    ("2026-01-01", "2026-01-01"),     # dates stay text; the schema checks them
    ("2026-02-30", "2026-02-30"),
    ("0x1F", "0x1F"),
    ("1,000", "1,000"),
])
def test_plain_scalars_follow_yaml_1_2_core(text: str, expected: Any) -> None:
    value = resolve_plain(text)
    assert value == expected
    assert type(value) is type(expected)


def test_decimal_keeps_written_precision() -> None:
    data = parse_yaml("x.yaml", b"a: 9.90\nb: 0.0000000001\n").documents[0].data
    assert str(data["a"]) == "9.90"          # trailing zero kept: money-precision reads it
    assert data["b"] == Decimal("1E-10")


def test_quoted_scalars_are_always_text() -> None:
    data = parse_yaml("x.yaml", b"a: \"9.99\"\nb: 'true'\nc: \"null\"\n").documents[0].data
    assert data == {"a": "9.99", "b": "true", "c": "null"}


def test_every_node_knows_its_line_and_column() -> None:
    text = b"kind: plan\nversions:\n  - effective_from: 2026-01-01\n    charges:\n" \
           b"      - {id: base, amount: {USD: 5.00}}\n"
    document = parse_yaml("p.yaml", text).documents[0]
    data, positions = document.data, document.positions
    assert type(data) is dict and type(data["versions"]) is list  # plain data
    # line 5 is "      - {id: base, amount: {USD: 5.00}}":
    # `{` at column 9, the inner `{` at 28, "5.00" at 34
    assert locate(data, positions, ("versions", 0, "charges", 0)) == (5, 9)
    assert locate(data, positions, ("versions", 0, "charges", 0, "amount", "USD")) == (5, 34)
    assert locate(data, positions, ("versions",), on_key=True) == (2, 1)
    # a missing key points at its nearest ancestor: the version item at 3:5
    assert locate(data, positions, ("versions", 0, "nope")) == (3, 5)


def test_locate_in_long_lists() -> None:
    # 100 offerings of 3 lines each after "offerings:" on line 1: item i starts on
    # line 2 + 3 * i; its upsell list's first entry is on the third line, column 14
    # ("    upsell: [" is 13 characters). Long lists use worked-out offsets.
    items = "".join(f"  - plan: p{i}\n    extra: {{a: [1, 2]}}\n    upsell: [q{i}]\n"
                    for i in range(100))
    document = parse_yaml("x.yaml", ("offerings:\n" + items).encode()).documents[0]
    for index in (0, 31, 32, 77, 99, 77):  # twice: the second look reuses the offsets
        assert locate(document.data, document.positions, ("offerings", index)) == \
            (2 + 3 * index, 5)
        assert locate(document.data, document.positions,
                      ("offerings", index, "upsell", 0)) == (4 + 3 * index, 14)


def test_positions_past_line_65535() -> None:
    # Most files' positions fit 16 bits; this one's do not: 70,000 comment lines, then
    # "kind: product" on line 70,001 and "id: x" on 70,002 (the value at column 5).
    text = b"#\n" * 70_000 + b"kind: product\nid: x\n---\nkind: product\nid: y\n"
    first, second = parse_yaml("x.yaml", text).documents
    assert locate(first.data, first.positions, ("id",)) == (70_002, 5)
    assert (first.line, second.line) == (70_001, 70_004)
    assert locate(second.data, second.positions, ("id",)) == (70_005, 5)


def test_refused_keys_and_their_values_take_no_position() -> None:
    text = b"a: 1\na: {x: [1, 2]}\n1: [3]\n? [k]\n: v\nb: {c: 2}\n"
    document = parse_yaml("x.yaml", text).documents[0]
    assert document.data == {"a": 1, "b": {"c": 2}}
    # every kept node is still found where it is written: b's c on line 6, column 8
    assert locate(document.data, document.positions, ("b", "c")) == (6, 8)
    assert locate(document.data, document.positions, ("b",), on_key=True) == (6, 1)


def test_multi_document_files() -> None:
    parsed = parse_yaml("x.yaml", b"kind: product\nid: a\n---\nkind: product\nid: b\n")
    assert [d.data["id"] for d in parsed.documents] == ["a", "b"]
    assert [(d.line, d.index) for d in parsed.documents] == [(1, 0), (4, 1)]


def test_python_tags_never_construct_anything(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = f'a: !!python/object/apply:os.system ["touch {marker}"]\n'.encode()
    parsed = parse_yaml("x.yaml", text)
    assert not marker.exists()
    assert [f.rule for f in parsed.findings] == ["yaml-trap"]
    assert parsed.documents[0].clean is False


def test_alias_bomb_is_refused_without_expanding() -> None:
    # The billion laughs: nine levels of nine aliases each would be 9^9 nodes if expanded.
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        prev = chr(ord(level) - 1)
        lines.append(f"{level}: &{level} [" + ",".join([f"*{prev}"] * 9) + "]")
    text = "\n".join(lines).encode()
    started = time.perf_counter()
    parsed = parse_yaml("bomb.yaml", text)
    elapsed = time.perf_counter() - started
    assert all(f.rule == "yaml-trap" for f in parsed.findings)
    assert len(parsed.findings) == 9 + 8 * 9  # 9 anchors (a..i) and 8 levels × 9 aliases
    # Aliases become null, never copies: the document stays tiny.
    assert parsed.documents[0].data["i"] == [None] * 9
    assert elapsed < 5  # generous: a real expansion would not finish at all


def test_recursive_alias_is_refused() -> None:
    parsed = parse_yaml("x.yaml", b"a: &a [*a]\n")
    assert {f.message.split(":")[0] for f in parsed.findings} == {"anchor &a", "alias *a"}


def test_deep_nesting_is_a_trap_not_a_recursion_error() -> None:
    parsed = parse_yaml("x.yaml", b"a: " + b"[" * 5000 + b"]" * 5000 + b"\n")
    assert [f.rule for f in parsed.findings] == ["yaml-trap"]
    assert "deeper than 64" in parsed.findings[0].message


def test_a_5_mb_file_is_refused_before_parsing() -> None:
    parsed = parse_yaml("big.yaml", b"a: " + b"x" * (5 << 20), max_bytes=1 << 20)
    assert parsed.documents == ()
    assert "over the limit of 1,048,576" in parsed.findings[0].message


@pytest.mark.parametrize("text", [b"", b"---\n", b"# only a comment\n"])
def test_empty_inputs_parse_to_nothing(text: bytes) -> None:
    parsed = parse_yaml("x.yaml", text)
    assert parsed.findings == ()
    assert all(d.data is None for d in parsed.documents)
