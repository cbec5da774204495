"""Issue 20, item 11: `monops fmt` rewrites catalog YAML in one canonical layout, keeping
every comment and every value; `--check` for CI; a file it cannot rewrite exactly is
reported and never changed."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from monops_lint.layout import LayoutError, canonical
from monops_lint.source.yamlstrict import parse_yaml
from tests.conftest import REPO, write_catalog
from tests.test_cli_habits import TODAY, monops

EXAMPLE_FILES = sorted(str(p.relative_to(REPO)) for folder in ("catalog", "pricing",
                                                                  "scenarios", "rules")
                       for p in (REPO / folder).rglob("*.yaml")) + ["monops.yaml"]


def _values(path: str, text: str) -> list[Any]:
    """Every document as plain values with their types (key order does not matter)."""
    parsed = parse_yaml(path, text.encode())
    assert parsed.findings == ()

    def typed(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: typed(v) for key, v in value.items()}
        if isinstance(value, list):
            return [typed(v) for v in value]
        return (type(value).__name__, str(value) if isinstance(value, Decimal) else value)

    return [typed(document.data) for document in parsed.documents]


def _comments(text: str) -> Counter[str]:
    # Independent of monops' own comment finder: a `#` after a space or at a line's start, to
    # the end of the line (the example catalog has no `#` inside a value).
    return Counter(m[1].rstrip() for line in text.splitlines()
                   for m in [re.search(r"(?:^|\s)(#.*)$", line)] if m)


@pytest.mark.parametrize("path", EXAMPLE_FILES)
def test_every_example_file_keeps_its_values_and_comments_and_is_stable(path: str) -> None:
    text = (REPO / path).read_text(encoding="utf-8")
    laid_out = canonical(path, text)
    assert _values(path, laid_out) == _values(path, text)
    assert _comments(laid_out) == _comments(text)
    assert canonical(path, laid_out) == laid_out  # fmt then fmt --check is clean


def test_fmt_then_check_on_the_example_catalog(tmp_path: Path) -> None:
    root = tmp_path / "example"
    for name in ("catalog", "pricing", "scenarios", "rules"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "monops.yaml", root / "monops.yaml")
    rendered = monops("render", "--format", "json", "--root", str(root)).stdout
    first = monops("fmt", "--root", str(root))
    assert first.returncode == 0, first.stderr
    check = monops("fmt", "--check", "--root", str(root))
    assert check.returncode == 0 and check.stdout == "", check.stdout
    assert "0 file(s) would be reformatted, 42 already" in check.stderr
    lint = monops("lint", "--root", str(root), "--today", TODAY)
    assert lint.returncode == 0, lint.stdout
    # every sample invoice is the same to the cent
    assert json.loads(monops("render", "--format", "json", "--root", str(root)).stdout) == \
        json.loads(rendered)


MESSY = """\
# Drive, as sold on the web.
status: active
name: 'Drive'   # what customers see
kind: product
id: "drive"
cost:
  USD: "0.004"
features:
  - encryption
  - sharing

# the tax code finance uses
tax_code: SAAS-STD
"""

CANONICAL = """\
# Drive, as sold on the web.
kind: product
id: drive
name: Drive  # what customers see
features: [encryption, sharing]
status: active

# the tax code finance uses
tax_code: SAAS-STD
cost: {USD: "0.004"}
"""


def test_the_canonical_layout() -> None:
    # keys in the schema's order, unneeded quotes gone, a quoted amount kept quoted (it is
    # text, not a number), the amount and the short list on one line, comments with their
    # entries, one blank line kept
    assert canonical("catalog/products/drive.yaml", MESSY) == CANONICAL
    assert canonical("catalog/products/drive.yaml", CANONICAL) == CANONICAL


def test_strings_that_need_quotes_keep_them() -> None:
    text = ('kind: product\nid: p\nname: "9.99"\ndescription: "true"\ncategory: "null"\n'
            'unit: "a: b"\nstatus: draft\ntax_code: "x #y"\n')
    assert canonical("catalog/p.yaml", text) == text


def test_a_comment_inside_an_amount_is_reported_and_the_file_left_alone(
        tmp_path: Path) -> None:
    text = ("kind: product\nid: p\nname: P\nstatus: draft\ncost:\n"
            "  USD: 0.004  # launch cost\n  EUR: 0.003\n")
    with pytest.raises(LayoutError, match="comment inside an amount"):
        canonical("catalog/p.yaml", text)
    root = write_catalog(tmp_path / "c", {"catalog/p.yaml": text})
    for args in (["fmt"], ["fmt", "--check"]):
        run = monops(*args, "--root", str(root))
        assert run.returncode == 0, run.stderr
        assert "cannot format catalog/p.yaml: a comment inside an amount" in run.stderr
        assert (root / "catalog/p.yaml").read_text() == text


def test_a_suppression_stays_on_its_entry() -> None:
    text = ("kind: product\nid: p\nname: P\nstatus: draft\n"
            "features:  # monops: disable=free-tier -- kept on purpose\n  - a\n")
    laid_out = canonical("catalog/p.yaml", text)
    assert "features: [a]  # monops: disable=free-tier -- kept on purpose\n" in laid_out


def test_a_file_monops_cannot_read_strictly_is_left_alone() -> None:
    with pytest.raises(LayoutError, match="run `monops lint`"):
        canonical("catalog/p.yaml", "kind: product\nid: p\nid: q\n")
    with pytest.raises(LayoutError, match="run `monops lint`"):
        canonical("catalog/p.yaml", "kind: product\nbase: &a {x: 1}\nother: *a\n")


def test_check_exits_1_and_changes_nothing(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", {"catalog/p.yaml": MESSY,
                                          "catalog/ok.yaml": CANONICAL.replace("drive", "ok")})
    before = (root / "catalog/p.yaml").read_bytes()
    run = monops("fmt", "--check", "--root", str(root))
    assert run.returncode == 1 and run.stdout == "would reformat catalog/p.yaml\n"
    assert (root / "catalog/p.yaml").read_bytes() == before
    # PATHS limit it
    only = monops("fmt", "catalog/ok.yaml", "--check", cwd=root)
    assert only.returncode == 0 and only.stdout == ""
    fixed = monops("fmt", "catalog/p.yaml", cwd=root)
    assert fixed.returncode == 0 and fixed.stdout == "reformatted catalog/p.yaml\n"
    assert (root / "catalog/p.yaml").read_text() == CANONICAL
