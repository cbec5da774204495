"""Catalog.changed_ids: what a diff looks at, found without building entities."""

from __future__ import annotations

from monops_lint.catalog import Catalog
from monops_lint.load import assemble, load_file
from monops_lint.model import Entity
from monops_lint.runtime.parsing import SharedFiles
from monops_lint.source.yamlstrict import Document

PRODUCTS = {
    "catalog/a.yaml": b"kind: product\nid: a\nname: A\n",
    "catalog/b.yaml": b"kind: product\nid: b\nname: B\n",
    "catalog/c.yaml": b"kind: product\nid: c\nname: C\n",
}


def _catalog(files: dict[str, bytes], memo: SharedFiles,
             built: list[str] | None = None) -> Catalog:
    """The catalog of ``files``, sharing with ``memo``; ``built`` lists each entity built."""
    results = []
    for path, data in sorted(files.items()):
        key = (path, data, 0)
        if key not in memo.files:
            memo.files[key] = load_file(path, data)
        results.append(memo.files[key])

    def make(kind: str, document: Document) -> Entity:
        if built is not None:
            built.append(f"{kind} {document.data['id']}")
        return memo.entity(kind, document)

    return assemble(results, make)


def test_changed_ids_lists_added_removed_and_edited_only() -> None:
    memo = SharedFiles()
    base = _catalog(PRODUCTS, memo)
    head_files = dict(PRODUCTS)
    head_files["catalog/b.yaml"] = b"kind: product\nid: b\nname: B2\n"  # edited
    del head_files["catalog/c.yaml"]                                      # removed
    head_files["catalog/d.yaml"] = b"kind: product\nid: d\nname: D\n"   # added
    # a.yaml: the same bytes, so the same loaded data object on both sides
    built: list[str] = []
    head = _catalog(head_files, memo, built)
    assert head.changed_ids(base, "product") == ["b", "c", "d"]
    # Equal data in different objects (a file re-read, not shared) is no change either.
    fresh = _catalog(PRODUCTS, SharedFiles())
    assert fresh.changed_ids(base, "product") == []
    assert head.changed_ids(base, "plan") == []
    # Nothing was built to find this out.
    assert built == []


def test_the_two_sides_share_the_entities_of_unchanged_documents() -> None:
    memo = SharedFiles()
    base = _catalog(PRODUCTS, memo)
    head_files = {**PRODUCTS, "catalog/b.yaml": b"kind: product\nid: b\nname: B2\n"}
    head = _catalog(head_files, memo)
    assert head.products["a"] is base.products["a"]        # same bytes: built once
    assert head.products["b"] is not base.products["b"]    # edited: built from its own data
    assert (base.products["b"].name, head.products["b"].name) == ("B", "B2")
    other = _catalog(PRODUCTS, SharedFiles())                     # another memo shares nothing
    assert other.products["a"] is not base.products["a"]
    assert other.products["a"] == base.products["a"]


def test_build_everything_builds_each_entity_once() -> None:
    built: list[str] = []
    catalog = _catalog(PRODUCTS, SharedFiles(), built)
    assert built == []                       # entities are built when first read
    catalog.build_everything()
    assert sorted(built) == ["product a", "product b", "product c"]
    first = catalog.products["a"]
    catalog.build_everything()
    assert len(built) == 3 and catalog.products["a"] is first  # not again
    assert catalog.plans_for("product", "a") == ()  # the indexes answer without a plan
