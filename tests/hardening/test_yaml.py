"""YAML traps (issue 7, "YAML"): every case through ``monops lint`` as CI runs it.

One catalog holds one file per case and is linted once; each test checks the exact
findings of its file. See also tests/rules/cases/yaml-trap.yaml, yaml-syntax.yaml and
schema.yaml (the same traps as rule fixtures) and tests/source/test_yamlstrict.py (the
loader alone).
"""

from __future__ import annotations

import json
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from monops_lint.source.yamlstrict import parse_yaml
from tests.conftest import write_catalog
from tests.hardening.conftest import (
    Expect,
    assert_clean_exit,
    assert_findings,
    assert_one_line_error,
    lint_json,
    monops,
)

pytestmark = pytest.mark.e2e  # monops runs in a subprocess

PLAN_HEAD = "kind: plan\nid: {id}\nname: P\nproduct: gadget\nbilling_period: month\n"
CHARGES = ("versions:\n  - effective_from: 2026-01-01\n    charges:\n"
           "      - {id: base, type: recurring, model: flat, amount: {USD: 5.00}}\n")

# path -> (content, expected findings). Lines and columns are 1-based, worked out by hand.
CASES: dict[str, tuple[str | bytes, list[Expect]]] = {
    # --- duplicate keys -----------------------------------------------------------------
    "catalog/dup-top.yaml": (
        "kind: product\nid: dup-top\nname: A\nname: B\nstatus: draft\n",
        [Expect("yaml-trap", 4, 1, 'duplicate key "name" (first at line 3)')]),
    "catalog/dup-flow.yaml": (
        # `cost: {USD: 1.00, USD: 2.00}`: the second USD is at column 7 + 1 + 11 = 19
        "kind: product\nid: dup-flow\nname: A\nstatus: draft\ncost: {USD: 1.00, USD: 2.00}\n",
        [Expect("yaml-trap", 5, 19, 'duplicate key "USD" (first at line 5)')]),
    "pricing/dup-deep.yaml": (
        # a key repeated three levels down, in block style
        PLAN_HEAD.format(id="dup-deep") + "versions:\n  - effective_from: 2026-01-01\n"
        "    charges:\n      - id: base\n        type: recurring\n        model: flat\n"
        "        amount: {USD: 5.00}\n        type: usage\n",
        [Expect("yaml-trap", 13, 9, 'duplicate key "type" (first at line 10)',
                "YAML would silently keep the last")]),
    # --- keys that are not strings ------------------------------------------------------
    "catalog/keys.yaml": (
        "kind: product\nid: keys\nname: K\n1: one\ntrue: yes\nstatus: draft\n",
        [Expect("yaml-trap", 4, 1, "key 1 is not a string", 'quote it: "1":'),
         Expect("yaml-trap", 5, 1, "key true is not a string", 'quote it: "true":')]),
    # --- YAML 1.1 look-alikes: text, and the schema says how to write the real value ----
    "catalog/lookalikes-text.yaml": (
        # where the schema wants text they are just text: no finding at all
        "kind: product\nid: lookalikes\nname: NO\ndescription: 0755\nunit: 1:30\n"
        "category: yes\ntax_code: off\nstatus: draft\n",
        []),
    "pricing/free-no.yaml": (
        PLAN_HEAD.format(id="free-no") + "free: NO\n" + CHARGES,
        [Expect("schema", 6, 7, 'free: expected true or false, got "NO"',
                "monops reads YAML 1.2, where NO is text, not a boolean: write false")]),
    "pricing/free-yes.yaml": (
        PLAN_HEAD.format(id="free-yes") + "free: yes\n" + CHARGES,
        [Expect("schema", 6, 7, 'free: expected true or false, got "yes"', "write true")]),
    "pricing/free-on.yaml": (
        PLAN_HEAD.format(id="free-on") + "free: on\n" + CHARGES,
        [Expect("schema", 6, 7, 'free: expected true or false, got "on"', "write true")]),
    "pricing/free-off.yaml": (
        PLAN_HEAD.format(id="free-off") + "free: off\n" + CHARGES,
        [Expect("schema", 6, 7, 'free: expected true or false, got "off"', "write false")]),
    "pricing/trial-sexagesimal.yaml": (
        PLAN_HEAD.format(id="trial-sexagesimal") + "trial_days: 1:30\n" + CHARGES,
        [Expect("schema", 6, 13, 'trial_days: expected a whole number, got "1:30"',
                "write a plain number")]),
    "pricing/trial-octal.yaml": (
        # 0755 is text in YAML 1.2 whether quoted or not: the hint says why, not "unquote"
        PLAN_HEAD.format(id="trial-octal") + "trial_days: 0755\n" + CHARGES,
        [Expect("schema", 6, 13, 'trial_days: expected a whole number, got "0755"',
                "a leading zero makes 0755 text in YAML 1.2: write 755")]),
    "pricing/impossible-date.yaml": (
        PLAN_HEAD.format(id="impossible-date") + CHARGES.replace("2026-01-01", "2026-02-30"),
        [Expect("schema", 7, 21, 'versions.0.effective_from: "2026-02-30" is not a calendar date',
                "write a real date as YYYY-MM-DD")]),
    # --- numbers monops refuses ---------------------------------------------------------
    "catalog/nan-inf.yaml": (
        "kind: product\nid: nan-inf\nname: N\nstatus: draft\n"
        "cost: {USD: .nan, EUR: .inf, GBP: -.inf, JPY: .NaN}\n",
        [Expect("yaml-trap", 5, 13, ".nan is not a number monops accepts"),
         Expect("yaml-trap", 5, 24, ".inf is not a number monops accepts"),
         Expect("yaml-trap", 5, 35, "-.inf is not a number monops accepts"),
         Expect("yaml-trap", 5, 47, ".NaN is not a number monops accepts")]),
    "catalog/ten-to-the-400.yaml": (
        "kind: product\nid: huge\nname: H\nstatus: draft\ncost: {USD: 1" + "0" * 400 + "}\n",
        [Expect("schema", 5, 13, "cost.USD: 1" + "0" * 400 + " must be less than "
                "1,000,000,000,000,000")]),
    "catalog/ten-to-the-400-exponent.yaml": (
        "kind: product\nid: huge-e\nname: H\nstatus: draft\ncost: {EUR: 1e400}\n",
        [Expect("schema", 5, 13, "cost.EUR: 1" + "0" * 400 + " must be less than")]),
    "catalog/five-thousand-digits.yaml": (
        # past Python's 4,300-digit int() limit: a finding, not "internal error: ValueError"
        "kind: product\nid: digits\nname: D\nstatus: draft\ncost: {USD: 1" + "0" * 5000 + "}\n",
        [Expect("yaml-trap", 5, 13, "a whole number of 5,001 digits is longer than monops "
                "reads (4,300 digits)")]),
    # --- tags ---------------------------------------------------------------------------
    "catalog/binary-set.yaml": (
        "kind: product\nid: tags\nname: !!binary aGVsbG8=\nfeatures: !!set {a, b}\n"
        "status: draft\n",
        [Expect("yaml-trap", 3, 7, "explicit tag !!binary: tags are not allowed"),
         Expect("yaml-trap", 4, 11, "explicit tag !!set: tags are not allowed")]),
    # --- anchors, aliases, merge keys ---------------------------------------------------
    "catalog/aliases.yaml": (
        "kind: product\nid: aliases\nname: &n Storage\ndescription: *n\n<<: {unit: GB}\n"
        "status: draft\n",
        [Expect("yaml-trap", 3, 7, "anchor &n: anchors and aliases are not allowed"),
         Expect("yaml-trap", 4, 14, "alias *n: anchors and aliases are not allowed"),
         Expect("yaml-trap", 5, 1, "merge key <<: merge keys are not allowed")]),
    "catalog/recursive-alias.yaml": (
        "kind: product\nid: loop\nname: L\nstatus: draft\nfeatures: &a [*a]\n",
        [Expect("yaml-trap", 5, 11, "anchor &a"), Expect("yaml-trap", 5, 15, "alias *a")]),
    # --- nesting ------------------------------------------------------------------------
    "catalog/nested-5000.yaml": (
        # the document is level 1 and `{` at column 14 level 2: the 64th `{` (column
        # 14 + 63 × 4 = 266) opens level 65
        "kind: product\nid: deep\nname: D\ndescription: " + "{a: " * 5000 + "x" + "}" * 5000
        + "\n",
        [Expect("yaml-trap", 4, 266, "nesting deeper than 64 levels", "flatten the structure")]),
    # --- tabs and encodings -------------------------------------------------------------
    "catalog/tabs.yaml": (
        "kind: product\nid: tabs\nname:\tT\nfeatures:\n\t- a\n",
        [Expect("yaml-syntax", 3, 6, "tab character: YAML is indented with spaces"),
         Expect("yaml-syntax", 5, 1, "tab character")]),
    "catalog/bom-accepted.yaml": (
        b"\xef\xbb\xbfkind: product\nid: bom\nname: B\nstatus: draft\n", []),
    "catalog/bom-columns.yaml": (
        # the BOM is not a column: the unknown kind's value is at column 7
        b"\xef\xbb\xbfkind: widget\nid: w\n",
        [Expect("schema", 1, 7, "unknown kind 'widget'")]),
    "catalog/utf16-le.yaml": (
        "kind: product\nid: u\nname: U\n".encode("utf-16"),
        [Expect("yaml-syntax", 1, 1, "not UTF-8: byte 0xff cannot be decoded",
                "the file is UTF-16; save it as UTF-8")]),
    "catalog/utf16-be.yaml": (
        b"\xfe\xff" + "kind: product\n".encode("utf-16-be"),
        [Expect("yaml-syntax", 1, 1, "not UTF-8: byte 0xfe", "the file is UTF-16")]),
    "catalog/utf16-no-bom.yaml": (
        # without a BOM, UTF-16 is valid UTF-8 full of NULs, one after each character:
        # reported once, as what it is
        "kind: product\n".encode("utf-16-le"),
        [Expect("yaml-syntax", 1, 1, "the file looks like UTF-16")]),
    "catalog/latin1.yaml": (
        "kind: product\nid: cafe\nname: Café\n".encode("latin-1"),
        [Expect("yaml-syntax", 3, 10, "not UTF-8: byte 0xe9 cannot be decoded",
                "save the file as UTF-8")]),
    "catalog/controls.yaml": (
        "kind: product\nid: ctl\nname: a\x00b\x07c\x1bd\x7fe\x9bf\ufffe\nstatus: draft\n",
        [Expect("yaml-syntax", 3, 8, "control character U+0000"),
         Expect("yaml-syntax", 3, 10, "control character U+0007"),
         Expect("yaml-syntax", 3, 12, "control character U+001B"),
         Expect("yaml-syntax", 3, 14, "control character U+007F"),
         Expect("yaml-syntax", 3, 16, "control character U+009B"),
         Expect("yaml-syntax", 3, 18, "control character U+FFFE")]),
    "catalog/hidden-breaks.yaml": (
        # YAML breaks lines at these, git at LF only: each is reported where git sees it
        "# note\x85 more\nkind: product\nid: hidden\nname: a\u2028b\u2029c\rd\nstatus: draft\n",
        [Expect("yaml-syntax", 1, 7, "U+0085 (next line) is a line break to YAML but not to git"),
         Expect("yaml-syntax", 4, 8, "U+2028 (line separator)"),
         Expect("yaml-syntax", 4, 10, "U+2029 (paragraph separator)"),
         Expect("yaml-syntax", 4, 12, "a carriage return without a line feed",
                "save the file with LF (or CRLF) line endings")]),
    "catalog/crlf-is-fine.yaml": (
        "kind: product\r\nid: crlf\r\nname: A\r\nname: B\r\nstatus: draft\r\n",
        [Expect("yaml-trap", 4, 1, 'duplicate key "name" (first at line 3)')]),
    # --- documents that are not entities ------------------------------------------------
    "catalog/empty.yaml": ("", [Expect("schema", 1, 1, "empty file: no entity here")]),
    "catalog/only-dashes.yaml": ("---\n", [Expect("schema", 1, 1, "empty file: no entity here")]),
    "catalog/top-level-list.yaml": (
        "- kind: product\n  id: x\n",
        [Expect("schema", 1, 1, "a catalog document must be a mapping with a `kind:` field")]),
    "catalog/top-level-scalar.yaml": (
        "just some text\n",
        [Expect("schema", 1, 1, "a catalog document must be a mapping with a `kind:` field")]),
    "catalog/unknown-kind.yaml": (
        "kind: widget\nid: w\n---\nkind: prodcut\nid: typo\n",
        [Expect("schema", 1, 7, "unknown kind 'widget'",
                "kind is one of product, bundle, plan, channel, promotion, scenario, rule"),
         Expect("schema", 4, 7, "unknown kind 'prodcut' (did you mean `product`?)")]),
}

SUPPORT = {
    # the product the plans name, so that only the trap in each plan is reported
    "catalog/gadget.yaml": "kind: product\nid: gadget\nname: Gadget\nstatus: draft\n",
}


@pytest.fixture(scope="module")
def linted(tmp_path_factory: pytest.TempPathFactory) -> list[Any]:
    files: dict[str, str | bytes] = {**SUPPORT, **{path: c for path, (c, _) in CASES.items()}}
    root = write_catalog(tmp_path_factory.mktemp("yaml") / "cat", files)
    run, findings = lint_json(root)
    assert run.returncode == 1
    return findings


@pytest.mark.parametrize("path", list(CASES))
def test_yaml_case(path: str, linted: list[Any]) -> None:
    assert_findings(linted, path, CASES[path][1])


def test_nothing_else_is_reported(linted: list[Any]) -> None:
    # plans that fail the schema are not modelled: no rule adds to the traps above
    assert {f["path"] for f in linted} <= set(CASES)
    assert not [f for f in linted if f["path"] == "catalog/gadget.yaml"]


# --- values: YAML 1.2 core, exact decimals (core API, where the values are visible) ------

def test_lookalikes_load_as_text_and_numbers_as_decimal() -> None:
    text = (b"a: NO\nb: yes\nc: on\nd: off\ne: 1:30\nf: 0755\ng: 1e3\nh: 9.99\ni: 2026-02-30\n"
            b"j: 10\nk: 0.1\n")
    data = parse_yaml("x.yaml", text).documents[0].data
    assert data == {"a": "NO", "b": "yes", "c": "on", "d": "off", "e": "1:30", "f": "0755",
                    "g": Decimal(1000), "h": Decimal("9.99"), "i": "2026-02-30", "j": 10,
                    "k": Decimal("0.1")}
    assert [type(data[k]) for k in "abcdefghijk"] == [str] * 6 + [Decimal, Decimal, str, int,
                                                                   Decimal]
    assert str(data["h"]) == "9.99"  # from the text, never through float (9.9900000000000002)


def test_decimals_price_exactly_through_quote(tmp_path: Path) -> None:
    # 1e3 is Decimal 1000 (YAML 1.2 core), 9.99 and 0.1 exact: 3 × 0.1 is 0.30, 1000 + 9.99
    root = write_catalog(tmp_path / "c", {
        **SUPPORT,
        "pricing/p.yaml": PLAN_HEAD.format(id="exact") + "versions:\n"
        "  - effective_from: 2026-01-01\n    charges:\n"
        "      - {id: base, type: recurring, model: flat, amount: {USD: 1e3}}\n"
        "      - {id: fee, type: one_time, model: flat, amount: {USD: 9.99}}\n"
        "      - {id: calls, type: usage, metric: calls, model: per_unit, "
        "unit_amount: {USD: 0.1}}\n"})
    run = monops("quote", "exact", "--root", str(root), "--usage", "calls=3", "--json",
                 "--today", "2026-11-25")
    assert_clean_exit(run)
    assert run.returncode == 0, run.stderr
    quote = json.loads(run.stdout)
    assert [(line["charge"], line["amount"]) for line in quote["lines"]] == [
        ("base", "1000.00"), ("fee", "9.99"), ("calls", "0.30")]
    assert quote["total"] == "1010.29"


# --- tags never run ----------------------------------------------------------------------

def test_python_tags_are_findings_and_nothing_runs(tmp_path: Path) -> None:
    marker = tmp_path / "PWNED"
    root = write_catalog(tmp_path / "c", {
        "catalog/evil.yaml":
            "kind: product\nid: evil\n"
            f'name: !!python/object/apply:os.system ["touch {marker}"]\n'
            f"description: !!python/object/new:subprocess.check_call [[touch, {marker}]]\n"
            "unit: !!python/name:os.system\n"
            f'tax_code: !!python/object:pathlib.Path {{x: "{marker}"}}\n'
            "status: draft\n"})
    for command in (["lint", "--format", "json"], ["render"], ["quote", "x"]):
        run = monops(*command, "--root", str(root), "--today", "2026-11-25")
        assert_clean_exit(run)
    assert not marker.exists()
    _, findings = lint_json(root)
    assert_findings(findings, "catalog/evil.yaml", [
        Expect("yaml-trap", 3, 7, "explicit tag !!python/object/apply:os.system"),
        Expect("yaml-trap", 4, 14, "explicit tag !!python/object/new:subprocess.check_call"),
        Expect("yaml-trap", 5, 7, "explicit tag !!python/name:os.system"),
        Expect("yaml-trap", 6, 11, "explicit tag !!python/object:pathlib.Path")])
    assert not marker.exists()


# --- resource bombs ----------------------------------------------------------------------

def billion_laughs() -> str:
    lines = ['kind: product\nid: lol\nname: L\nstatus: draft\nunit: &a ["lol","lol","lol",'
             '"lol","lol","lol","lol","lol","lol"]']
    for level in "bcdefghi":
        previous = chr(ord(level) - 1)
        lines.append(f"x{level}: &{level} [" + ",".join([f"*{previous}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_fast(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", {"catalog/bomb.yaml": billion_laughs()})
    started = time.perf_counter()
    run, findings = lint_json(root)
    elapsed = time.perf_counter() - started
    print(f"alias bomb: monops lint (a whole process) took {elapsed * 1000:.0f} ms")
    # 9 anchors (a..i), 8 levels × 9 aliases: each a finding, none expanded (9^9 nodes)
    bomb = [f for f in findings if f["path"] == "catalog/bomb.yaml"]
    assert len([f for f in bomb if f["message"].startswith("anchor &")]) == 9
    assert len([f for f in bomb if f["message"].startswith("alias *")]) == 72
    assert {f["rule"] for f in bomb} == {"yaml-trap"}
    assert len(run.stdout) < 100_000
    assert elapsed < 10  # a sanity bound for a loaded CI machine; expansion never ends
    started = time.perf_counter()
    parse_yaml("bomb.yaml", billion_laughs().encode())
    print(f"alias bomb: the loader alone took {(time.perf_counter() - started) * 1000:.2f} ms")


def test_a_5_mb_file(tmp_path: Path) -> None:
    big = "kind: product\nid: big\nname: Big\nstatus: draft\ndescription: " \
        + "x" * (5 << 20) + "\n"
    root = write_catalog(tmp_path / "c", {"catalog/big.yaml": big})
    _, findings = lint_json(root)
    assert_findings(findings, "catalog/big.yaml", [
        Expect("yaml-trap", 1, 1, f"file is {len(big):,} bytes, over the limit of 1,048,576",
               "raise `max_file_bytes` in monops.yaml")])
    # allowed by the config, the same file loads (and lints clean) in reasonable time
    root = write_catalog(tmp_path / "d", {"catalog/big.yaml": big},
                         config="paths: [catalog]\nmax_file_bytes: 8388608\n")
    started = time.perf_counter()
    run, findings = lint_json(root)
    print(f"a 5 MB file under a raised limit: {time.perf_counter() - started:.2f} s")
    assert findings == [] and run.returncode == 0


def test_nesting_5000_deep_through_every_command(tmp_path: Path) -> None:
    deep = "kind: product\nid: deep\nname: D\ndescription: " + "[" * 5000 + "]" * 5000 + "\n"
    root = write_catalog(tmp_path / "c", {"catalog/deep.yaml": deep})
    _, findings = lint_json(root)
    # `[` is also the start of a possible key, so libyaml scans ahead and its own guard
    # (1,000 levels) fires before the walk reaches level 65: the finding is at the 1,000th
    # `[`, column 14 + 999 = 1013 (a 65-level file reports the 65th: yaml-trap.yaml).
    assert_findings(findings, "catalog/deep.yaml", [
        Expect("yaml-trap", 4, 1013, "nesting deeper than 64 levels")])
    # render and quote load the same catalog: a one-line error (no scenarios, no plan)
    assert_one_line_error(monops("render", "--root", str(root)), "no scenarios")
    assert_one_line_error(monops("quote", "x", "--root", str(root), "--today", "2026-11-25"),
                          "unknown plan `x`")


def test_syntax_error_at_the_end_of_a_file_without_newline_stays_in_the_file(
        tmp_path: Path) -> None:
    # libyaml puts the end of such a file on line N+1; monops keeps it on line N
    root = write_catalog(tmp_path / "c", {"catalog/x.yaml": "{{{{",
                                          "catalog/y.yaml": "kind: product\nid: y\nname: [a",
                                          "catalog/z.yaml": "kind: product\nid: z\nname: [a\n"})
    run, findings = lint_json(root)
    assert run.returncode == 1
    assert_findings(findings, "catalog/x.yaml", [
        Expect("yaml-trap", 1, 2, "a mapping or sequence used as a key"),
        Expect("yaml-syntax", 1, 5, "did not find expected node content")])
    assert_findings(findings, "catalog/y.yaml", [
        Expect("yaml-syntax", 3, 9, "did not find expected ',' or ']'")])
    assert_findings(findings, "catalog/z.yaml", [  # with the newline: the empty last line
        Expect("yaml-syntax", 4, 1, "did not find expected ',' or ']'")])
