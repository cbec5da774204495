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
        if key not in memo.files:
            memo.files[key] = load_file(path, data)
        results.append(memo.files[key])
    return assemble(results, memo)


def test_changed_ids_lists_added_removed_and_edited_only() -> None:
    memo = Memo()
    base = _catalog(PRODUCTS, memo)
    head_files = dict(PRODUCTS)
    head_files["catalog/b.yaml"] = b"kind: product\nid: b\nname: B2\n"  # edited
    del head_files["catalog/c.yaml"]                                      # removed
    head_files["catalog/d.yaml"] = b"kind: product\nid: d\nname: D\n"   # added
    # a.yaml: the same bytes, so the same loaded data object on both sides
    head = _catalog(head_files, memo)
    assert head.changed_ids(base, "product") == ["b", "c", "d"]
    # Equal data in different objects (a file re-read, not shared) is no change either.
    fresh = _catalog(PRODUCTS, Memo())
    assert fresh.changed_ids(base, "product") == []
    assert head.changed_ids(base, "plan") == []
    # Nothing was built to find this out.
    products = head.products
    assert isinstance(products, Entities)
    assert all(type(item).__name__ == "_Pending" for item in products._items.values())


def test_the_two_sides_share_the_entities_of_unchanged_documents() -> None:
    memo = Memo()
    base = _catalog(PRODUCTS, memo)
    head_files = {**PRODUCTS, "catalog/b.yaml": b"kind: product\nid: b\nname: B2\n"}
    head = _catalog(head_files, memo)
    assert head.products["a"] is base.products["a"]        # same bytes: built once
    assert head.products["b"] is not base.products["b"]    # edited: built from its own data
    assert (base.products["b"].name, head.products["b"].name) == ("B", "B2")
    other = _catalog(PRODUCTS, Memo())                     # another memo shares nothing
    assert other.products["a"] is not base.products["a"]
    assert other.products["a"] == base.products["a"]


def test_prepare_builds_every_entity_and_index_once() -> None:
    # Before a worker forks, so that neither process builds them again.
    catalog = _catalog(PRODUCTS, Memo())
    products = catalog.products
    assert isinstance(products, Entities)
    assert "offered" not in catalog.__dict__  # cached_property: not computed yet
    catalog.prepare()
    assert not any(type(item).__name__ == "_Pending" for item in products._items.values())
    built = products["a"]
    assert {"offered", "_channels_by_plan", "_plans_by_product"} <= set(catalog.__dict__)
    catalog.prepare()
    assert products["a"] is built
