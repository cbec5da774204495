"""The fixtures' ``base: example`` cases as a whole: every rule has one, and all at once
they make the twin where every rule fires (tests/rules/example_twin.py).

Each case alone is run by test_cases.py; here: the cases cover every rule
that lints one catalog (the diff rules need a base to compare with), the
example itself lints clean, edits that no longer fit the example fail
loudly, and the twin with every edit reports as many findings of each rule
as its cases do: the edits touch disjoint text and none masks another.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from monops_lint.findings import Finding
from monops_lint.rules import all_rules
from tests.conftest import TODAY, lint_root
from tests.rules.example_twin import (
    EXAMPLE,
    EXAMPLE_CASES,
    Edit,
    EditError,
    apply_edits,
    build_twin,
    config_paths,
    copy_example,
    main,
)
from tests.rules.example_twin import TODAY as TWIN_DAY
from tests.rules.fixtures import FixtureError, check_case


def _show(findings: list[Finding]) -> str:
    return "\n".join(f"  {f.location} {f.rule} {f.severity}: {f.message}" for f in findings)


def _custom_rule_ids() -> set[str]:
    ids = set()
    for folder in config_paths():
        for path in sorted((EXAMPLE / folder).rglob("*.y*ml")):
            for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
                if isinstance(document, dict) and document.get("kind") == "rule":
                    ids.add(str(document["id"]))
    return ids


def test_every_rule_has_an_example_case_with_its_severity() -> None:
    rules = all_rules()
    covered = {case.rule for case in EXAMPLE_CASES}
    non_diff = {rule.id for rule in rules.values() if rule.phase not in ("diff", "customers")}
    missing = non_diff - covered
    assert not missing, f"rules without a `base: example` case in tests/rules/cases: {missing}"
    others = covered - non_diff
    assert others <= _custom_rule_ids(), \
        f"example cases of rules that are neither built-in (and not diff rules) nor the " \
        f"example's custom rules: {others - _custom_rule_ids()}"
    for case in EXAMPLE_CASES:
        assert case.data["expect"], f"{case.fixture}: {case.name}: breaks nothing"
        assert "severity" in case.data, f"{case.fixture}: {case.name}: no `severity`"
        if case.rule in rules:
            assert case.data["severity"] == str(rules[case.rule].severity), case.name
    assert TODAY.isoformat() == TWIN_DAY  # the day the cases are linted on


def test_the_example_lints_clean(tmp_path: Path) -> None:
    findings = list(lint_root(copy_example(tmp_path / "example"), TODAY).findings)
    assert not findings, _show(findings)


def test_an_edit_that_does_not_fit_the_example_fails_loudly(tmp_path: Path) -> None:
    root = copy_example(tmp_path / "example")
    before = (root / "pricing/tv.yaml").read_text(encoding="utf-8")
    with pytest.raises(EditError, match="occurs 0 times"):
        apply_edits(root, [Edit("pricing/tv.yaml", "trial_days: 41\n", "trial_day: 41\n")])
    with pytest.raises(EditError, match="occurs 2 times"):
        apply_edits(root, [Edit("pricing/tv.yaml", "kind: plan\n", "kind: plan\n")])
    with pytest.raises(EditError, match="already exists"):
        apply_edits(root, [Edit("pricing/tv.yaml", None, "kind: plan\n")])
    with pytest.raises(EditError, match="no such file"):
        apply_edits(root, [Edit("pricing/tv-sport.yaml", "kind: plan\n", "")])
    with pytest.raises(EditError, match="inside the catalog"):
        apply_edits(root, [Edit("../monops.yaml", None, "x\n")])
    # Two edits of one text cannot both apply to the twin: refused, whichever comes first,
    # and nothing is written, not even the edit that fits.
    with pytest.raises(EditError, match="overlap"):
        apply_edits(root, [Edit("pricing/tv.yaml", "trial_days: 14\n", "trial_day: 14\n"),
                           Edit("pricing/tv.yaml", "days: 14\n", "days: 15\n")])
    with pytest.raises(EditError, match="overlap"):
        apply_edits(root, [Edit("pricing/tv.yaml", "days: 14\n", "days: 15\n"),
                           Edit("pricing/tv.yaml", "trial_days: 14\n", "trial_day: 14\n")])
    assert (root / "pricing/tv.yaml").read_text(encoding="utf-8") == before


def test_a_case_not_in_the_fixture_form_is_refused() -> None:
    good = {"name": "n", "base": "example", "expect": [],
            "edits": [{"path": "a.yaml", "old": None, "new": "x\n"}]}
    check_case(good, "f.yaml")
    for bad in ({**good, "edit": good["edits"]}, {**good, "base": "examples"},
                {**good, "files": {"a.yaml": "x"}},
                {**good, "edits": [{"path": "a.yaml", "new": "x\n"}]},
                {**good, "severity": "fatal"},
                {"name": "n", "files": {}, "expect": [], "edits": []},
                {"name": "n", "files": {}, "expect": [{"path": "a.yaml", "line": 1}]}):
        with pytest.raises(FixtureError):
            check_case(bad, "f.yaml")


def test_the_twin_with_every_edit_reports_each_cases_findings(tmp_path: Path) -> None:
    root = build_twin(tmp_path / "twin", EXAMPLE_CASES)
    findings = list(lint_root(root, TODAY).findings)
    # Per rule, as many findings as its cases expect, at their severity: no edit masks or
    # adds to another's. (Where and in what words can differ from a case's own: another
    # case's edit earlier in the same file adds lines, or a tier before the one reported.)
    expected = Counter(case.rule for case in EXAMPLE_CASES for _ in case.data["expect"])
    assert Counter(f.rule for f in findings) == expected, _show(findings)
    severity = {case.rule: case.data["severity"] for case in EXAMPLE_CASES}
    assert all(str(f.severity) == severity[f.rule] for f in findings), _show(findings)


def test_the_twin_demo_writes_an_empty_folder_only(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "twin"
    assert main([str(out)]) == 0
    assert f"see them with: monops lint --root {out} --today 2026-11-25" in capsys.readouterr().out
    assert (out / "monops.yaml").is_file() and (out / "pricing/tv-sports.yaml").is_file()
    assert main([str(out)]) == 2
    assert "not an empty folder" in capsys.readouterr().err
    assert main([]) == 2 and main(["--help"]) == 2
