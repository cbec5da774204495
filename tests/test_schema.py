"""The schema check's two validators agree: the compiled one (jsonschema-rs) says pass or fail,
jsonschema explains a failure. Where they disagreed, a document would pass unexplained or
fail with no message; these tests mutate real documents of the example catalog to look."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from monops_lint import schema
from monops_lint.model import KINDS
from monops_lint.source.yamlstrict import parse_yaml

ROOT = Path(__file__).resolve().parents[1]

# What monops' YAML loader can hand the schema: None, bools, ints (long ones too), Decimals
# (exact, whole or not, tiny, huge, negative zero), strings (ids, codes, dates, a trailing
# line break, which Python's `$` would let through), and empty containers.
TRICKY: list[Any] = [
    None, True, 0, -1, 7, 10**30, Decimal("5.0"), Decimal("1E+2"), Decimal("-0"),
    Decimal("0.125"), Decimal("-0.5"), Decimal("1E-30"), Decimal("100.0000000000000000000001"),
    "", "abc", "abc\n", "USD", "usd", "2026-01-01", "2026-01-01\n", "2026-02-30", [], {},
]
DELETE = object()


def _documents() -> Iterator[tuple[str, Any]]:
    """The first document of each kind in the example catalog, and monops.yaml."""
    seen: set[str] = set()
    for path in sorted(ROOT.glob("[cprs]*/**/*.yaml")):
        for document in parse_yaml(path.name, path.read_bytes()).documents:
            data = document.data
            if isinstance(data, dict) and data.get("kind") in KINDS and data["kind"] not in seen:
                seen.add(data["kind"])
                yield data["kind"], data
    assert seen == set(KINDS), f"the example catalog lacks {set(KINDS) - seen}"
    yield "monops", parse_yaml("monops.yaml", (ROOT / "monops.yaml").read_bytes()).documents[0].data


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if path:
        yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, path + (index,))


def _mutated(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    copied = copy.deepcopy(data)
    parent = copied
    for key in path[:-1]:
        parent = parent[key]
    if value is DELETE:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return copied


@pytest.mark.parametrize(("kind", "data"), list(_documents()), ids=lambda v: v
                         if isinstance(v, str) else "")
def test_the_compiled_check_and_the_explanation_agree(kind: str, data: Any) -> None:
    assert schema.compiled_check(kind)(data), f"the example {kind} is invalid"
    disagree = []
    for path in _paths(data):
        for value in [*TRICKY, DELETE]:
            instance = _mutated(data, path, value)
            passes = schema.compiled_check(kind)(instance)
            if passes == schema.explaining_validator(kind).is_valid(instance):
                continue
            disagree.append(f"{'.'.join(map(str, path))} = {value!r}: "
                            f"{'only the compiled check' if passes else 'only jsonschema'} passes")
    assert not disagree, "\n".join(disagree[:20])


def test_a_failure_nothing_explains_is_still_a_problem(monkeypatch: pytest.MonkeyPatch) -> None:
    # Were the validators ever to disagree, the document must not pass as valid.
    monkeypatch.setattr(schema, "compiled_check", lambda name: lambda instance: False)
    product = {"kind": "product", "id": "storage", "name": "Storage"}
    assert schema.explaining_validator("product").is_valid(product)
    problems = schema.check("product", product)
    assert [(p.keys, p.message) for p in problems] == [((), "does not match the product schema")]
