"""Issue 19 item 13 (part): rule options at absurd values are one config error, not an
internal error in lint or diff.

`notice-period: {days: 1e20}` overflowed a date, `interval-ratio` and `margin-floor` at
±1e9999 overflowed the money arithmetic, and diff failed on each while comparing the
configs. Each option now has a range (in the config schema, schemas/monops.schema.json,
and in `monops explain`), checked when monops.yaml is read: exit 2, one line naming
monops.yaml, the line and column of the value, the option and the range.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.hardening.conftest import (
    TODAY,
    assert_clean_exit,
    assert_one_line_error,
    monops,
)
from tests.rules.example_twin import copy_example

pytestmark = pytest.mark.e2e  # monops runs in a subprocess

CONFIG = ("paths: [catalog, pricing, scenarios, rules]\nbase_currency: USD\n"
          "fx: {rates: {EUR: 0.92, JPY: 150}, tolerance: 0.10}\nrules:\n")
"""The example's settings in four lines; the option under test is line 5."""

IDENTITY = ["-c", "user.name=t", "-c", "user.email=t@example.com"]
RISE = ("amount: {USD: 49.99, EUR: 45.99, JPY: 7480}",
        "amount: {USD: 52.99, EUR: 45.99, JPY: 7480}")
"""Fiber 500's monthly fee raised in place: the diff rules have a price rise to look at."""


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", *IDENTITY, *args], cwd=root, check=True, capture_output=True)


def _repository(root: Path, rules: str) -> Path:
    """The example catalog committed as it is, then with a price rise and ``rules``."""
    copy_example(root)
    (root / "monops.yaml").write_text(CONFIG.removesuffix("rules:\n"))
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "base")
    (root / "monops.yaml").write_text(CONFIG + rules)
    fiber = root / "pricing/fiber.yaml"
    text = fiber.read_text(encoding="utf-8")
    assert text.count(RISE[0]) == 1
    fiber.write_text(text.replace(*RISE), encoding="utf-8")
    _git(root, "commit", "-qam", "head")
    return root


def _runs(root: Path) -> list[subprocess.CompletedProcess[str]]:
    return [monops("lint", "--root", str(root), "--today", TODAY),
            monops("diff", "HEAD~1", "HEAD", "--today", TODAY, cwd=root)]


@pytest.mark.parametrize(("option", "column", "fragments"), [
    # `  notice-period: {` puts `{` at 18, `days: ` 19-24: the value at 25.
    ("notice-period: {days: 1e20}", 25,
     ("option `days` of `notice-period` must be a whole number from 0 to 3650, not 1E+20",)),
    ("notice-period: {days: 30.5}", 25, ("a whole number from 0 to 3650, not 30.5",)),
    ("notice-period: {days: -1}", 25, ("a whole number from 0 to 3650, not -1",)),
    # `  interval-ratio: {` puts `{` at 19, `min: ` 20-24: the value at 25.
    ("interval-ratio: {min: 1e9999}", 25,
     ("option `min` of `interval-ratio` must be a number above 0 and below 1000, "
      "not 1E+9999",)),
    # ... `9` at 25, `, ` 26-27, `max: ` 28-32: the value at 33.
    ("interval-ratio: {min: 9, max: -1e9999}", 33,
     ("option `max` of `interval-ratio`", "above 0 and below 1000, not -1E+9999")),
    ("interval-ratio: {min: 0}", 25, ("above 0 and below 1000, not 0",)),
    # `  margin-floor: {` puts `{` at 17, `min_margin: ` 18-29: the value at 30.
    ("margin-floor: {min_margin: 1e9999}", 30,
     ("option `min_margin` of `margin-floor` must be a number from -1 to 100, not 1E+9999",)),
    ("margin-floor: {min_margin: -1e9999}", 30, ("from -1 to 100, not -1E+9999",)),
    # `  upsell-cycle: {` puts `{` at 17, `max_cycles: ` 18-29: the value at 30.
    ("upsell-cycle: {max_cycles: 1e9999}", 30,
     ("option `max_cycles` of `upsell-cycle` must be a whole number from 1 to 10000, "
      "not 1E+9999",)),
    # 400 digits are shown in four significant ones.
    pytest.param("margin-floor: {min_margin: " + "9" * 400 + "}", 30,
                 ("from -1 to 100, not 1.000E+400",), id="margin-floor: 400 nines"),
])
def test_an_option_out_of_range_is_one_line_in_lint_and_diff(
        tmp_path: Path, option: str, column: int, fragments: tuple[str, ...]) -> None:
    root = _repository(tmp_path / "repo", f"  {option}\n")
    for run in _runs(root):
        line = assert_one_line_error(run, f"monops.yaml:5:{column}: ", *fragments)
        # bounded whatever the number's size (the folder's path aside)
        assert len(line.replace(str(root), "")) < 160, line


@pytest.mark.parametrize("options", [
    "notice-period: {days: 0}\n  interval-ratio: {min: 0.001, max: 999.999}\n"
    "  margin-floor: {min_margin: -1}\n  upsell-cycle: {max_cycles: 1}",
    "notice-period: {days: 3650}\n  interval-ratio: {min: 999, max: 999.5}\n"
    "  margin-floor: {min_margin: 100}\n  upsell-cycle: {max_cycles: 10000}",
])
def test_the_edges_of_each_range_are_accepted(tmp_path: Path, options: str) -> None:
    root = _repository(tmp_path / "repo", f"  {options}\n")
    for run in _runs(root):
        assert_clean_exit(run)
        assert run.returncode in (0, 1), run.stderr


@pytest.mark.parametrize(("rule", "says"), [
    ("notice-period", "`days` is a whole number from 0 to\n3650"),
    ("interval-ratio", "`min` and `max` are numbers above 0 and below 1000"),
    ("margin-floor", "`min_margin` is a number\nfrom -1 to 100"),
    ("upsell-cycle", "`max_cycles` is a whole number from 1 to 10000"),
])
def test_explain_says_each_range(rule: str, says: str) -> None:
    run = monops("explain", rule)
    assert run.returncode == 0 and says in run.stdout, run.stdout
