"""The CLI end to end, as a user runs it: exit codes, one-line errors, formats, files (in
this process: tests/cli/test_process.py runs it as a process of its own)."""

from __future__ import annotations

import gc
import json
import weakref
from pathlib import Path

import pytest

from tests.cli_runner import Result, run_cli
from tests.conftest import REPO, write_catalog

GOOD = {
    "catalog/p.yaml": "kind: product\nid: storage\nname: Storage\nstatus: draft\n",
}
BROKEN = {
    "catalog/p.yaml": "kind: product\nid: storage\nname: Storage\nname: Again\n",
}


def monops(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
    return run_cli(*args, cwd=cwd or REPO, env=env)


def assert_one_line_error(run: Result, *fragments: str) -> None:
    assert run.returncode == 2, run.stdout + run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1, run.stderr
    assert lines[0].startswith("monops: error: ")
    assert "Traceback" not in run.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_example_catalog_lints_clean() -> None:
    run = monops("lint", "--today", "2026-11-25")
    assert run.returncode == 0, run.stdout
    assert run.stdout.strip().startswith("All clear:")


def test_findings_exit_1_and_fail_on(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", BROKEN)
    run = monops("lint", "--root", str(root))
    assert run.returncode == 1
    assert run.stdout.startswith("catalog/p.yaml:4:1: error yaml-trap duplicate key \"name\"")
    # a warning alone passes the default --fail-on error, fails --fail-on warning
    warn = write_catalog(tmp_path / "w", {
        "catalog/p.yaml": "kind: product\nid: storage  # monops: disable=schema\nname: S\n"
                          "status: draft\n"})
    assert monops("lint", "--root", str(warn)).returncode == 0
    assert monops("lint", "--root", str(warn), "--fail-on", "warning").returncode == 1


def test_paths_limit_the_report(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", {**BROKEN, "pricing/x.yaml": "kind: nope\n"})
    run = monops("lint", "pricing", "--format", "json", cwd=root)
    assert run.returncode == 1
    assert {f["path"] for f in json.loads(run.stdout)["findings"]} == {"pricing/x.yaml"}


def test_config_errors_are_one_line_with_the_closest_name(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "a", GOOD, config="pathz: [catalog]\n")
    assert_one_line_error(monops("lint", "--root", str(root)), "monops.yaml:1:1",
                          "unknown setting `pathz`", "did you mean `paths`?")
    root = write_catalog(tmp_path / "b", GOOD, config="rules:\n  money-precison: off\n")
    assert_one_line_error(monops("lint", "--root", str(root)), "monops.yaml:2:3",
                          "unknown rule `money-precison`", "did you mean `money-precision`?")
    root = write_catalog(tmp_path / "c", GOOD, config="rules:\n  schema: loud\n")
    assert_one_line_error(monops("lint", "--root", str(root)), "severity of `schema`")
    root = write_catalog(tmp_path / "d", GOOD, config="rounding: half_down\n")
    assert_one_line_error(monops("lint", "--root", str(root)), "rounding")
    root = write_catalog(tmp_path / "e", GOOD, config="paths: [catalog\n")
    assert_one_line_error(monops("lint", "--root", str(root)), "monops.yaml:2:1")


def test_rule_severity_from_config(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "a", BROKEN, config="rules:\n  yaml-trap: warning\n")
    run = monops("lint", "--root", str(root))
    assert run.returncode == 0 and "warning yaml-trap" in run.stdout
    root = write_catalog(tmp_path / "b", BROKEN, config="rules:\n  yaml-trap: off\n")
    run = monops("lint", "--root", str(root))
    assert run.returncode == 0 and "All clear" in run.stdout


def test_missing_root_and_bad_arguments(tmp_path: Path) -> None:
    assert_one_line_error(monops("lint", cwd=tmp_path), "no monops.yaml found")
    assert_one_line_error(monops("lint", "--root", str(tmp_path / "nope")), "no such folder")
    assert_one_line_error(monops("lint", "--bogus"), "No such option", "monops lint --help")
    assert_one_line_error(monops("lint", "--today", "2026-13-01"), "--today")
    assert_one_line_error(monops("explain", "yaml-tarp"), "did you mean `yaml-trap`?")
    empty = write_catalog(tmp_path / "empty", {})
    assert_one_line_error(monops("lint", "--root", str(empty)), "no catalog files")


def test_symlinks_are_refused_and_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.yaml"
    secret.write_text("kind: product\nid: leaked-secret\nname: Secret\n")
    root = write_catalog(tmp_path / "c", GOOD)
    (root / "catalog" / "evil.yaml").symlink_to(secret)
    run = monops("lint", "--root", str(root), "--format", "json")
    assert_one_line_error(run, "catalog/evil.yaml is a symlink")
    assert "leaked-secret" not in run.stdout + run.stderr


def test_output_file_and_formats(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", BROKEN)
    target = tmp_path / "reports" / "lint.sarif"
    run = monops("lint", "--root", str(root), "--format", "sarif", "--output", str(target))
    assert run.returncode == 1 and run.stdout == ""
    assert json.loads(target.read_text())["version"] == "2.1.0"
    assert [p.name for p in target.parent.iterdir()] == ["lint.sarif"]  # no temp file left
    for fmt, start in (("json", "{"), ("junit", "<?xml"), ("text", "catalog/p.yaml:4:1"),
                       ("github", "::error file=catalog/p.yaml,line=4,col=1,title=yaml-trap::")):
        assert monops("lint", "--root", str(root), "--format", fmt).stdout.startswith(start)


def test_github_format_is_the_default_on_github_actions(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", BROKEN)
    run = monops("lint", "--root", str(root), env={"GITHUB_ACTIONS": "true"})
    assert run.stdout.startswith("::error file=catalog/p.yaml,line=4,col=1,title=yaml-trap::")


def test_explain_rules_and_schema() -> None:
    run = monops("explain", "money-precision")
    assert run.returncode == 0
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert section in run.stdout
    listing = monops("rules", "--json")
    assert {r["id"] for r in json.loads(listing.stdout)["rules"]} >= {"yaml-trap", "schema"}
    schema = json.loads(monops("schema", "plan").stdout)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["definitions"]["plan"]["properties"]["kind"] == {"const": "plan"}
    assert_one_line_error(monops("schema", "plna"), "did you mean `plan`?")


@pytest.mark.parametrize("command", [["--help"], ["lint", "--help"], ["quote", "--help"],
                                     ["render", "--help"], ["--version"]])
def test_help_and_version_exit_0(command: list[str]) -> None:
    run = monops(*command)
    assert run.returncode == 0 and run.stdout and not run.stderr


class Cycle:
    """Garbage that only the collector frees (its reference count never drops to 0)."""

    def __init__(self) -> None:
        self.itself = self


def test_a_command_run_in_this_process_leaves_the_collector_as_it_was() -> None:
    thresholds = gc.get_threshold()
    alive = Cycle()
    ref = weakref.ref(alive)
    for _ in range(2):  # the second run reads the cache the first one wrote
        assert monops("lint", "--today", "2026-11-25").returncode == 0
    assert gc.get_threshold() == thresholds and gc.isenabled()
    del alive
    gc.collect()
    assert ref() is None  # nothing left frozen: what a command loads can be collected


def test_help_lists_each_command_by_its_own_summary() -> None:
    """``monops --help`` lists the commands from ``COMMANDS`` without importing them: each
    summary must be its command's help as click would shorten it, at any width."""
    import click

    from monops_lint.cli.commands import COMMANDS, load_command

    for name, entry in COMMANDS.items():
        command = load_command(name)
        assert entry.summary == " ".join((command.help or "").split("\n\n")[0].split()), name
        for limit in (20, 45, 70, 200):
            listed = click.Command(name, help=entry.summary).get_short_help_str(limit)
            assert listed == command.get_short_help_str(limit), (name, limit)
    run = monops("--help")
    assert run.returncode == 0
    listed = run.stdout.split("Commands:\n", 1)[1]
    assert [line.split()[0] for line in listed.splitlines()] == sorted(COMMANDS)
