"""Catalog.changed_ids: what a diff looks at, found without building entities."""

from __future__ import annotations

from monops_lint.catalog import Catalog, Entities
from monops_lint.load import Memo, assemble, load_file

PRODUCTS = {
    "catalog/a.yaml": b"kind: product\nid: a\nname: A\n",
    "catalog/b.yaml": b"kind: product\nid: b\nname: B\n",
    "catalog/c.yaml": b"kind: product\nid: c\nname: C\n",
}


def _catalog(files: dict[str, bytes], memo: Memo) -> Catalog:
    results = []
    for path, data in sorted(files.items()):
        key = (path, data, 0)
        if key not in memo:
            memo[key] = load_file(path, data)
        results.append(memo[key])
    return assemble(results)


def test_changed_ids_lists_added_removed_and_edited_only() -> None:
    memo: Memo = {}
    base = _catalog(PRODUCTS, memo)
    head_files = dict(PRODUCTS)
    head_files["catalog/b.yaml"] = b"kind: product\nid: b\nname: B2\n"  # edited
    del head_files["catalog/c.yaml"]                                      # removed
    head_files["catalog/d.yaml"] = b"kind: product\nid: d\nname: D\n"   # added
    # a.yaml: the same bytes, so the same loaded data object on both sides
    head = _catalog(head_files, memo)
    assert head.changed_ids(base, "product") == ["b", "c", "d"]
    # Equal data in different objects (a file re-read, not shared) is no change either.
    fresh = _catalog(PRODUCTS, {})
    assert fresh.changed_ids(base, "product") == []
    assert head.changed_ids(base, "plan") == []
    # Nothing was built to find this out.
    products = head.products
    assert isinstance(products, Entities)
    assert all(type(item).__name__ == "_Pending" for item in products._items.values())
