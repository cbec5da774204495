"""Issue 19 item 3: no text monops prints to a terminal or a CI log carries a raw control
character, carriage return or bidi override from a pull request.

GitHub's runner splits log lines on CR as well as LF, so a raw CR in an error line could
start a forged ``::error`` command; ESC starts a terminal escape; U+202E makes a line read
backwards. Each is written out (``\\r``, ``\\x1b``, ``\\u202e``) by reporters.escaping.terminal.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, write_catalog
from tests.hardening.conftest import assert_clean_exit, dated
from tests.hardening.test_files import SCENARIO_CATALOG

pytestmark = pytest.mark.e2e  # monops runs in a subprocess

RAW = ("\r", "\x1b", "\u202e", "\x07")


def run_bytes(*args: str) -> subprocess.CompletedProcess[str]:
    """``monops ARGS`` with stdout and stderr decoded as they are: a text-mode pipe would
    turn a raw CR into a line feed and hide it."""
    environment = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    run = subprocess.run([sys.executable, "-m", "monops_lint", *args], cwd=REPO,
                         capture_output=True, env=environment, check=False, timeout=120)
    return subprocess.CompletedProcess(run.args, run.returncode,
                                       run.stdout.decode("utf-8", "replace"),
                                       run.stderr.decode("utf-8", "replace"))


def assert_no_raw_controls(text: str) -> None:
    for character in RAW:
        assert character not in text, (character, text)


def test_a_config_key_with_cr_and_esc_is_one_visible_error_line(tmp_path: Path) -> None:
    config = ('paths: [catalog, pricing, scenarios]\n'
              '"bogus\\r::error file=x::forged\\e[31m\\u202e": 1\n')
    root = write_catalog(tmp_path / "c", SCENARIO_CATALOG, config)
    run = run_bytes(*dated("lint"), "--root", str(root))
    assert_clean_exit(run)
    assert run.returncode == 2
    lines = run.stderr.splitlines()  # splitlines also splits on a raw CR
    assert len(lines) == 1 and lines[0].startswith("monops: error:"), run.stderr
    assert_no_raw_controls(run.stderr)
    # the key is shown, written out, so that the user can find it
    assert "bogus\\r::error file=x::forged\\x1b[31m\\u202e" in lines[0]


HOSTILE_NAME = "\\e[31mRed\\r::error::forged \\u202eevil\\a"
SHOWN_NAME = "\\x1b[31mRed\\r::error::forged \\u202eevil\\x07"


@pytest.fixture(scope="module")
def hostile_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    files = dict(SCENARIO_CATALOG)
    files["pricing/p.yaml"] = files["pricing/p.yaml"].replace(
        "name: P\n", f'name: "{HOSTILE_NAME}"\n')
    return write_catalog(tmp_path_factory.mktemp("names") / "c", files,
                         "paths: [catalog, pricing, scenarios]\n")


@pytest.mark.parametrize("command", [["quote", "p"], ["render", "--format", "txt"],
                                     ["render", "--format", "md"]])
def test_a_plan_name_with_escapes_is_printed_visible(hostile_plan: Path,
                                                       command: list[str]) -> None:
    run = run_bytes(*dated(*command), "--root", str(hostile_plan))
    assert_clean_exit(run)
    assert run.returncode == 0, run.stderr
    assert_no_raw_controls(run.stdout + run.stderr)
    # Markdown also escapes the bracket and the backslashes (rendered, `\x1b` reads as
    # in the terminal) and makes the line break a space (a table cell).
    shown = (SHOWN_NAME.replace("\\r", " ").replace("\\", "\\\\").replace("[", "\\[")
             if "md" in command else SHOWN_NAME)
    assert shown in run.stdout, run.stdout


def test_the_json_output_keeps_the_name_exactly(hostile_plan: Path) -> None:
    # JSON escapes control characters itself: the value a program reads is the real name.
    run = run_bytes(*dated("quote", "p", "--json"), "--root", str(hostile_plan))
    assert run.returncode == 0, run.stderr
    document = json.loads(run.stdout)
    assert document["plan_name"] == "\x1b[31mRed\r::error::forged \u202eevil\x07"


def test_a_file_name_with_a_newline_forges_no_line_in_text_output(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", {
        "catalog/a\n::error file=x,line=1::forged\r.yaml":
            "kind: product\nid: a\nname: A\nstatus: draft\nstatus: draft\n",
    }, "paths: [catalog]\n")
    for fmt in ("text", "github"):
        run = run_bytes(*dated("lint"), "--root", str(root), "--format", fmt)
        assert_clean_exit(run)
        assert run.returncode == 1, run.stderr
        assert_no_raw_controls(run.stdout + run.stderr)
        for line in run.stdout.splitlines():
            assert not line.startswith("::error file=x"), run.stdout
