"""Files (issue 7, "Files"): symlinks out of the root, folders named like files,
unreadable files, pipes, and a catalog with no files.

See also tests/cli/test_cli.py::test_symlinks_are_refused_and_never_read (a symlinked
catalog file) and tests/source/test_gitrev.py (symlinks and submodules at a git revision).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import write_catalog
from tests.hardening.checks import run_in_process
from tests.hardening.conftest import (
    Expect,
    assert_findings,
    assert_one_line_error,
    dated,
    lint_json,
    monops,
)

pytestmark = pytest.mark.e2e  # monops runs in a subprocess

SECRET = "SECRET-MARKER-7f3a9c"
PRODUCT = "kind: product\nid: gadget\nname: Gadget\nstatus: draft\n"
SCENARIO_CATALOG = {
    "catalog/p.yaml": PRODUCT,
    "pricing/p.yaml": "kind: plan\nid: p\nname: P\nproduct: gadget\nbilling_period: month\n"
                      "versions:\n  - effective_from: 2026-01-01\n    charges:\n"
                      "      - {id: base, type: recurring, model: flat, amount: {USD: 5.00}}\n",
    "catalog/c.yaml": "kind: channel\nid: web\nname: Web\ncurrencies: [USD]\n"
                      "offerings: [{plan: p}]\n",
    "scenarios/s.yaml": "kind: scenario\nid: s\nchannel: web\ncurrency: USD\n"
                        "period: {start: 2027-01-01, end: 2027-01-31}\n"
                        "customer: {name: X, country: US, tax_rate: 0}\n"
                        "subscriptions: [{plan: p}]\n",
}


def outside_secret(tmp_path: Path) -> Path:
    """A file outside every catalog root, which no run may read."""
    secret = tmp_path / "outside" / "secret.yaml"
    secret.parent.mkdir(parents=True, exist_ok=True)
    secret.write_text(f"kind: product\nid: {SECRET.lower()}\nname: {SECRET}\n{SECRET}: x\n")
    return secret


def assert_secret_never_shown(tmp_path: Path, *outputs: str) -> None:
    for text in outputs:
        assert SECRET not in text and SECRET.lower() not in text
    for path in tmp_path.rglob("*"):
        if path.is_file() and not path.is_symlink() and "outside" not in path.parts:
            assert SECRET not in path.read_text(errors="replace"), path


@pytest.mark.parametrize("command", [
    ["lint"], ["lint", "--format", "json"], ["lint", "--format", "sarif"],
    ["lint", "--format", "github"], ["lint", "--format", "junit"], ["render"],
    ["render", "--format", "json"], ["quote", "p"]])
def test_symlink_out_of_the_root_is_refused_and_never_read(tmp_path: Path,
                                                           command: list[str]) -> None:
    root = write_catalog(tmp_path / "c", SCENARIO_CATALOG)
    (root / "catalog" / "evil.yaml").symlink_to(outside_secret(tmp_path))
    report = tmp_path / "report.out"
    extra = ["--output", str(report)] if command[0] == "lint" else []
    run = monops(*dated(*command), *extra, "--root", str(root))
    assert_one_line_error(run, "catalog/evil.yaml is a symlink; monops does not follow symlinks")
    assert not report.exists()
    assert_secret_never_shown(tmp_path, run.stdout, run.stderr)


def test_symlink_target_is_never_even_opened(tmp_path: Path) -> None:
    # The target is a FIFO with no writer: opening it for reading would block for ever,
    # so a run that ends (with the refusal) proves the target was never opened.
    fifo = tmp_path / "outside" / "pipe"
    fifo.parent.mkdir()
    os.mkfifo(fifo)
    root = write_catalog(tmp_path / "c", SCENARIO_CATALOG)
    (root / "pricing" / "evil.yaml").symlink_to(fifo)
    assert_one_line_error(monops("lint", "--root", str(root), timeout=60),
                          "pricing/evil.yaml is a symlink")


@pytest.mark.parametrize(("link", "target", "message"), [
    ("catalog/linked", "folder", "catalog/linked is a symlink"),
    ("catalog", "folder", "catalog is a symlink"),
    ("monops.yaml", "file", "monops.yaml is a symlink"),
    ("templates", "folder", "templates is a symlink"),
    ("templates/invoice.md.j2", "template", "templates/invoice.md.j2 is a symlink"),
])
def test_other_symlinks_out_of_the_root(tmp_path: Path, link: str, target: str,
                                        message: str) -> None:
    secret = outside_secret(tmp_path)
    folder = secret.parent
    (folder / "invoice.md.j2").write_text(f"{SECRET} {{{{ invoices|length }}}}\n")
    config = "paths: [catalog, pricing, scenarios]\ntemplates: templates/\n"
    root = write_catalog(tmp_path / "c", {k: v for k, v in SCENARIO_CATALOG.items()
                                          if not (link == "catalog" and k.startswith("catalog"))},
                         config=config)
    path = root / link
    path.parent.mkdir(parents=True, exist_ok=True)
    if link == "monops.yaml":
        (root / "monops.yaml").unlink()
        (folder / "monops.yaml").write_text(f"{SECRET}: x\n")
        path.symlink_to(folder / "monops.yaml")
    else:
        path.symlink_to(folder / "invoice.md.j2" if target == "template" else folder)
    for command in (["lint"], ["render"]):
        if command == ["lint"] and link.startswith("templates"):
            continue  # lint never reads templates
        run = monops(*dated(*command), "--root", str(root))
        assert_one_line_error(run, message, "does not follow symlinks")
        assert_secret_never_shown(tmp_path, run.stdout, run.stderr)


def test_a_folder_named_like_a_file_is_a_folder(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", {
        "catalog/x.yaml/inner.yaml": "kind: product\nid: inner\nname: I\nstatus: draft\n"
                                     "status: draft\n",
        "catalog/empty.yml/.keep": ""})
    run, findings = lint_json(root)
    assert run.returncode == 1
    assert_findings(findings, "catalog/x.yaml/inner.yaml", [
        Expect("yaml-trap", 5, 1, 'duplicate key "status" (first at line 4)')])
    assert {f["path"] for f in findings} == {"catalog/x.yaml/inner.yaml"}
    # a template named like a file but a folder is not read as one
    root = write_catalog(tmp_path / "t", SCENARIO_CATALOG,
                         config="paths: [catalog, pricing, scenarios]\ntemplates: templates/\n")
    (root / "templates" / "invoice.md.j2").mkdir(parents=True)
    assert_one_line_error(monops("render", "--root", str(root)),
                          "templates/invoice.md.j2 is not a regular file")


def test_a_pipe_named_like_a_catalog_file_does_not_hang(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", SCENARIO_CATALOG)
    os.mkfifo(root / "catalog" / "pipe.yaml")
    assert_one_line_error(monops("lint", "--root", str(root), timeout=60),
                          "catalog/pipe.yaml is not a regular file")


def test_an_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_catalog(tmp_path / "c", {**SCENARIO_CATALOG, "catalog/locked.yaml": PRODUCT})
    locked = root / "catalog" / "locked.yaml"
    locked.chmod(0)
    try:
        if os.geteuid() != 0:
            run = monops("lint", "--root", str(root))
            code, stderr = run.returncode, run.stderr
        else:
            # root reads a chmod-000 file anyway: make opening it fail as it would for
            # anyone else, in-process, where the CLI's open can be intercepted.
            real_open = os.open

            def refuse(path: object, flags: int, *args: object, **kwargs: object) -> int:
                if Path(str(path)) == locked:
                    raise PermissionError(13, "Permission denied", str(path))
                return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]

            monkeypatch.setattr(os, "open", refuse)
            code, _, stderr = run_in_process(["lint", "--root", str(root), "--no-cache"])
    finally:
        locked.chmod(0o644)
    assert code == 2
    assert stderr.splitlines() == [
        "monops: error: cannot read catalog/locked.yaml: Permission denied"]


def test_an_unreadable_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_catalog(tmp_path / "c", {**SCENARIO_CATALOG, "catalog/sub/p.yaml": PRODUCT})
    sub = root / "catalog" / "sub"
    if os.geteuid() != 0:
        sub.chmod(0)
        try:
            run = monops("lint", "--root", str(root))
        finally:
            sub.chmod(0o755)
        code, stderr = run.returncode, run.stderr
    else:
        real_scandir = os.scandir

        def refuse(path: object = ".") -> object:
            if Path(str(path)) == sub:
                raise PermissionError(13, "Permission denied", str(path))
            return real_scandir(path)  # type: ignore[call-overload]

        monkeypatch.setattr(os, "scandir", refuse)
        code, _, stderr = run_in_process(["lint", "--root", str(root), "--no-cache"])
    assert code == 2
    lines = stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("monops: error: cannot read ")
    assert lines[0].endswith("catalog/sub: Permission denied")


@pytest.mark.parametrize("files", [
    {}, {"catalog/README.md": "not YAML\n", "catalog/notes.txt": "x\n"}, {"other/p.yaml": PRODUCT}])
def test_a_catalog_with_no_files(tmp_path: Path, files: dict[str, str]) -> None:
    root = write_catalog(tmp_path / "c", files)
    for command in (["lint"], ["render"], ["quote", "p"], ["lint", "--format", "sarif"]):
        assert_one_line_error(monops(*dated(*command), "--root", str(root)),
                              "no catalog files (*.yaml, *.yml) under catalog, pricing, "
                              "scenarios, rules", "(check `paths` in monops.yaml)")


@pytest.mark.parametrize("command", [["lint", "--format", "sarif", "--output"],
                                     ["lint", "--write-baseline"], ["render", "--out"],
                                     ["diff", "--out"]])
def test_output_through_a_planted_symlink_never_writes_outside(tmp_path: Path,
                                                              command: list[str]) -> None:
    # A pull request can commit `report.sarif -> ~/.bashrc`; CI then runs
    # `monops lint --output report.sarif`. Whatever monops does (replace the link, or
    # refuse with one line), the file outside the checkout must stay as it was.
    # (write_atomic once resolved the path first, and so wrote through the link.)
    import subprocess

    precious = tmp_path / "outside" / "precious.txt"
    precious.parent.mkdir()
    precious.write_text("PRECIOUS\n")
    root = write_catalog(tmp_path / "c", SCENARIO_CATALOG)
    if command[0] == "diff":
        for args in (["init", "-q"], ["add", "-A"],
                     ["-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "base"]):
            subprocess.run(["git", *args], cwd=root, check=True)
    if command == ["render", "--out"]:
        (root / "out").mkdir()
        (root / "out" / "s.md").symlink_to(precious)
        target = root / "out"
    else:
        target = root / "report.out"
        target.symlink_to(precious)
    run = monops(*dated(command[0]), *command[1:], str(target), "--root", str(root), cwd=root)
    assert "Traceback" not in run.stderr
    assert precious.read_text() == "PRECIOUS\n", f"{command}: wrote through the symlink"
    if run.returncode == 2:
        assert_one_line_error(run)
