"""Broken twins of the example catalog: every rule fires on a realistic edit (issues 2, 4).

Each test copies the example catalog into a temporary folder, applies one
rule's edits (``mutations.MUTATIONS``), lints it through the core API as
``monops lint --today 2026-11-25`` would, and checks that rule's findings:
exactly the expected places, each with its message fragment and at least
its severity. Other rules an edit also trips are not looked at.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from monops_lint.findings import Finding, Severity
from monops_lint.rules import all_rules
from tests.broken.mutations import (
    BY_RULE,
    EXAMPLE,
    MUTATIONS,
    TODAY,
    Edit,
    Mutation,
    MutationError,
    apply_edit,
    build_twin,
    config_paths,
    copy_example,
)
from tests.conftest import lint_root

LINT_DAY = dt.date.fromisoformat(TODAY)


def _non_diff_rules() -> set[str]:
    return {rule.id for rule in all_rules().values() if rule.phase != "diff"}


def _custom_rule_ids() -> set[str]:
    ids = set()
    for folder in config_paths():
        for path in sorted((EXAMPLE / folder).rglob("*.y*ml")):
            for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
                if isinstance(document, dict) and document.get("kind") == "rule":
                    ids.add(str(document["id"]))
    return ids


def _show(findings: list[Finding]) -> str:
    return "\n".join(f"  {f.location} {f.rule} {f.severity}: {f.message}" for f in findings)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.rule)
def test_broken_twin_fires_its_rule(mutation: Mutation, tmp_path: Path) -> None:
    root = build_twin(tmp_path / "twin", [mutation])
    findings = list(lint_root(root, LINT_DAY).findings)
    found = [f for f in findings if f.rule == mutation.rule]
    got = sorted((f.location.path, f.location.line, f.location.column) for f in found)
    want = sorted((e.path, e.line, e.column) for e in mutation.expected)
    assert got == want, (f"{mutation.rule} ({mutation.story}): expected at {want}, "
                         f"reported:\n{_show(found)}\nall findings:\n{_show(findings)}")
    least = Severity.parse(mutation.severity)
    for expected in mutation.expected:
        here = [f for f in found if (f.location.path, f.location.line, f.location.column)
                == (expected.path, expected.line, expected.column)]
        assert any(expected.message in f.message for f in here), \
            f"no message with {expected.message!r} at {expected.path}:{expected.line}:" \
            f"{expected.column}:\n{_show(here)}"
        assert all(f.severity >= least for f in here), \
            f"{mutation.rule} reported below {least}:\n{_show(here)}"


def test_every_rule_has_a_broken_twin() -> None:
    missing = _non_diff_rules() - set(BY_RULE)
    assert not missing, f"rules without a broken twin in tests/broken/mutations.py: {missing}"
    others = set(BY_RULE) - _non_diff_rules()
    assert others <= _custom_rule_ids(), \
        f"mutations for rules that are neither built-in nor the example's custom rules: " \
        f"{others - _custom_rule_ids()}"
    diff_rules = {rule.id for rule in all_rules().values() if rule.phase == "diff"}
    assert not diff_rules & set(BY_RULE)


def test_the_example_lints_clean(tmp_path: Path) -> None:
    findings = list(lint_root(copy_example(tmp_path / "example"), LINT_DAY).findings)
    assert not findings, _show(findings)


def test_an_edit_whose_old_text_is_gone_fails_loudly(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "example")
    with pytest.raises(MutationError, match="occurs 0 times"):
        apply_edit(root, Edit("pricing/tv.yaml", "trial_days: 41\n", "trial_day: 41\n"))
    with pytest.raises(MutationError, match="occurs 2 times"):
        apply_edit(root, Edit("pricing/tv.yaml", "kind: plan\n", "kind: plan\n"))
    with pytest.raises(MutationError, match="already exists"):
        apply_edit(root, Edit("pricing/tv.yaml", None, "kind: plan\n"))


def test_make_twin_shows_every_rule_firing(tmp_path: Path) -> None:
    out = tmp_path / "twin"
    script = Path(__file__).with_name("make_twin.py")
    done = subprocess.run([sys.executable, str(script), str(out)], capture_output=True,
                          text=True, check=False, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    findings = lint_root(out, LINT_DAY).findings
    fired = Counter(f.rule for f in findings)
    missing = (_non_diff_rules() | set(BY_RULE)) - set(fired)
    assert not missing, f"rules that do not fire on the all-in-one twin: {sorted(missing)}"
    # The mutations edit disjoint text and none masks another: the all-in-one twin
    # reports what the single twins report, finding for finding.
    assert fired == Counter({m.rule: len(m.expected) for m in MUTATIONS}), \
        _show(list(findings))
    again = subprocess.run([sys.executable, str(script), str(out)], capture_output=True,
                           text=True, check=False, cwd=tmp_path)
    assert again.returncode == 2 and "not an empty folder" in again.stderr
