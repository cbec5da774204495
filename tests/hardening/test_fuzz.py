"""Fuzzing (issue 7): arbitrary bytes, arbitrary YAML trees and byte mutations of the
example catalog's files, as one catalog file, through the loader and the CLI. The result
is always findings (exit 0/1) or exit 2 with one line: never an exception, never an
"internal error".

The atheris harnesses in fuzz/ run the same properties for as long as one likes; every
input they (or these tests) found a bug with is a regression case below.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from monops_lint.model import KINDS
from tests.cli_runner import run_cli
from tests.conftest import REPO
from tests.hardening.checks import check_loaded, run_in_process

EXAMPLE_FILES = sorted(p for folder in ("catalog", "pricing", "scenarios", "rules")
                       for p in (REPO / folder).rglob("*.yaml"))
FUZZ = settings(max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# --- what goes into a catalog file ---------------------------------------------------------

scalars = (st.none() | st.booleans() | st.integers() | st.floats()
           | st.text(max_size=30) | st.sampled_from(
               ["NO", "yes", "0755", "1:30", "1e3", "9.99", "2026-02-30", ".nan", "-.inf",
                "::add-mask::x", "<script>", "{{ 7 ** 7 }}", "1" + "0" * 400, "USD", "XAU"]))
trees = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                     | st.dictionaries(st.text(max_size=12) | st.sampled_from(
                         ["kind", "id", "name", "versions", "charges", "amount", "tiers",
                          "up_to", "currencies", "offerings", "plan", "each", "assert"]),
                         inner, max_size=6), max_leaves=25)
entities = st.builds(lambda kind, ident, rest: {"kind": kind, "id": ident, **rest},
                     st.sampled_from([*KINDS, "widget"]),
                     st.from_regex(r"[a-z0-9][a-z0-9._-]{0,8}", fullmatch=True) | scalars,
                     st.dictionaries(st.text(max_size=12), trees, max_size=5))


@st.composite
def yaml_documents(draw: st.DrawFn) -> bytes:
    documents = draw(st.lists(entities | trees, min_size=1, max_size=3))
    text = yaml.safe_dump_all(documents, allow_unicode=draw(st.booleans()),
                              default_flow_style=draw(st.sampled_from([None, True, False])))
    return text.encode("utf-8")


@st.composite
def mutated_example(draw: st.DrawFn) -> bytes:
    data = bytearray(draw(st.sampled_from(EXAMPLE_FILES)).read_bytes())
    for _ in range(draw(st.integers(1, 8))):
        at = draw(st.integers(0, len(data)))
        match draw(st.sampled_from(["insert", "delete", "replace", "copy"])):
            case "insert":
                data[at:at] = draw(st.binary(min_size=1, max_size=8) | st.sampled_from(
                    [b"\t", b"\xef\xbb\xbf", b"\x00", b"&a ", b"*a", b"!!set ", b"\r",
                     b"\xc2\x85", b"- ", b": ", b"{", b"]", b"'", b'"', b"\n"]))
            case "delete":
                del data[at:at + draw(st.integers(1, 40))]
            case "replace":
                if at < len(data):
                    data[at] = draw(st.integers(0, 255))
            case "copy":
                start = draw(st.integers(0, len(data)))
                data[at:at] = data[start:start + draw(st.integers(1, 200))]
    return bytes(data)


catalog_files = st.binary(max_size=3000) | yaml_documents() | mutated_example()

# --- the loader ---------------------------------------------------------------------------


@FUZZ
@given(catalog_files)
def test_loader_never_raises(data: bytes) -> None:
    check_loaded(data)


# --- the CLI, in-process ------------------------------------------------------------------

COMMANDS = [["lint", "--no-cache", "--format", "json", "--today", "2026-11-25"],
            ["lint", "--no-cache", "--format", "github", "--today", "2026-11-25"],
            ["render", "--format", "json"], ["render", "--format", "html"],
            ["quote", "storage-plus", "--usage", "storage_gb=1500", "--json",
             "--today", "2026-11-25"]]
TARGETS = ["pricing/storage.yaml", "catalog/channels/web.yaml",
           "scenarios/us-web-fiber-welcome.yaml", "rules/free-plans-are-capped.yaml",
           "catalog/products/new.yaml"]


# What no line on stderr may hold raw (issue 19 item 3): controls, CR, bidi overrides.
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def check_cli(root: Path, argv: list[str]) -> None:
    code, out, err = run_in_process([*argv, "--root", str(root)])
    assert "Traceback" not in out + err and "internal error" not in err, err
    assert not RAW_CONTROLS.search(err), err
    if code == 2:
        lines = err.splitlines()
        assert len(lines) == 1 and lines[0].startswith("monops: error: "), err
        return
    # render exits 1 when a scenario cannot be priced, naming each one (issue 15 item 5)
    assert code in ((0, 1) if argv[0] in ("lint", "render") else (0,)), (code, err)
    if "json" in argv or "--json" in argv:
        json.loads(out)


@pytest.fixture(scope="module")
def example_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz") / "catalog"
    for name in ("monops.yaml", "catalog", "pricing", "scenarios", "rules"):
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        else:
            root.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, root / name)
    return root


@settings(FUZZ, max_examples=100)
@given(data=catalog_files, target=st.sampled_from(TARGETS),
       command=st.sampled_from(COMMANDS))
def test_cli_never_crashes(example_copy: Path, data: bytes, target: str,
                           command: list[str]) -> None:
    path = example_copy / target
    original = path.read_bytes() if path.exists() else None
    path.write_bytes(data)
    try:
        check_cli(example_copy, command)
    finally:
        if original is None:
            path.unlink()
        else:
            path.write_bytes(original)


# --- monops.yaml and the cache (issue 19) ----------------------------------------------------

config_keys = st.sampled_from(["paths", "base_currency", "rules", "max_file_bytes", "exclude",
                               "customers", "export", "templates", "baseline"]) \
    | st.text(max_size=12)
configs = st.dictionaries(config_keys, trees, max_size=4)


@settings(FUZZ, max_examples=60)
@given(config=configs, command=st.sampled_from(COMMANDS[:3]))
def test_any_monops_yaml_gives_findings_or_one_visible_line(example_copy: Path,
                                                             config: dict[object, object],
                                                             command: list[str]) -> None:
    path = example_copy / "monops.yaml"
    original = path.read_bytes()
    merged = {**yaml.safe_load(original), **config}
    path.write_text(yaml.safe_dump(merged, allow_unicode=True), encoding="utf-8")
    try:
        check_cli(example_copy, command)
    finally:
        path.write_bytes(original)


LINT_CACHED = ["lint", "--format", "json", "--today", "2026-11-25"]


@pytest.fixture(scope="module")
def cached_copy(example_copy: Path, tmp_path_factory: pytest.TempPathFactory
                ) -> tuple[Path, dict[str, str], str, dict[Path, bytes]]:
    """The example copy linted once with a cache of its own: the cache's environment, the
    report, and every file of the cache (key and packs) with its bytes."""
    env = {"MONOPS_CACHE_DIR": str(tmp_path_factory.mktemp("fuzz-cache"))}
    first = run_cli(*LINT_CACHED, "--root", str(example_copy), env=env)
    assert first.returncode == 0, first.stderr
    files = {p: p.read_bytes() for p in Path(env["MONOPS_CACHE_DIR"]).rglob("*") if p.is_file()}
    assert len(files) >= 2  # the key and at least one pack: otherwise this tests nothing
    return example_copy, env, first.stdout, files


@settings(FUZZ, max_examples=40)
@given(data=st.data())
def test_damaged_cache_files_change_nothing(
        cached_copy: tuple[Path, dict[str, str], str, dict[Path, bytes]],
        data: st.DataObject) -> None:
    root, env, report, files = cached_copy
    for path, content in files.items():
        path.write_bytes(content)  # each example starts from the good cache
    target = data.draw(st.sampled_from(sorted(files)))
    damaged = bytearray(files[target])
    match data.draw(st.sampled_from(["replace", "truncate", "flip", "empty"])):
        case "replace":
            damaged = bytearray(data.draw(st.binary(max_size=400)))
        case "truncate":
            del damaged[data.draw(st.integers(0, len(damaged))):]
        case "flip":
            for _ in range(data.draw(st.integers(1, 8))):
                at = data.draw(st.integers(0, len(damaged) - 1))
                damaged[at] ^= data.draw(st.integers(1, 255))
        case "empty":
            damaged = bytearray()
    target.write_bytes(bytes(damaged))
    run = run_cli(*LINT_CACHED, "--root", str(root), env=env)
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    assert run.returncode == 0 and run.stdout == report, run.stderr


# --- regressions: inputs that broke monops ----------------------------------------------------

REGRESSIONS: dict[str, bytes] = {
    # ValueError: Exceeds the limit (4300 digits) for integer string conversion
    "5001-digit integer": b"kind: product\nid: x\nname: X\ncost: {USD: 1" + b"0" * 5000 + b"}\n",
    # lines shifted by a NEL, U+2028 or a lone CR (findings on the wrong line)
    "NEL in a comment": b"# a\xc2\x85 b\nkind: product\nid: x\nname: A\nname: B\n",
    "lone CR": b"kind: product\nid: x\rname: A\nname: B\n",
    # a syntax error at the end of a file without a final newline: line N+1
    "no final newline": b"kind: product\nid: x\nname: [a",
}


@pytest.mark.parametrize("name", list(REGRESSIONS))
def test_regression_through_the_loader(name: str) -> None:
    check_loaded(REGRESSIONS[name])


@pytest.mark.parametrize("name", list(REGRESSIONS))
def test_regression_through_the_cli(name: str, example_copy: Path) -> None:
    path = example_copy / "catalog" / "products" / "regression.yaml"
    path.write_bytes(REGRESSIONS[name])
    try:
        for command in COMMANDS:
            check_cli(example_copy, command)
    finally:
        path.unlink()


def test_the_example_catalog_is_clean_through_the_harness(example_copy: Path) -> None:
    # the harness itself: an unchanged example catalog lints clean and renders
    code, out, _ = run_in_process(["lint", "--no-cache", "--format", "json",
                                   "--today", "2026-11-25", "--root", str(example_copy)])
    assert code == 0 and json.loads(out)["findings"] == []
    for file in EXAMPLE_FILES:
        check_loaded(file.read_bytes(), file.relative_to(REPO).as_posix())


