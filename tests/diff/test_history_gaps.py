"""The holes issue 15 (item 1) found in price history: a plan in effect deleted, and the
plan-level terms (``minimum``, ``trial_days``, ``limits``, ``free``) that versions do not
date, changed in place.

Today is 2026-11-25 (as in test_diff_rules.py). In ``terms_plan`` the document's lines are
1 kind, 2 id, 3 name, 4 product, 5 billing_period, then the terms given (one line each),
then ``versions:`` and one version of 6 lines.
"""

from __future__ import annotations

from pathlib import Path

from tests.diff.conftest import CatalogRepo
from tests.diff.test_diff_rules import (
    MakeCatalog,
    diff_findings,
    plan_yaml,
    plans,
    product_yaml,
    version,
    where,
)


def terms_plan(*terms: str, day: str = "2026-01-01") -> dict[str, str]:
    head = "kind: plan\nid: storage-standard\nname: Storage Standard\nproduct: storage\n" \
        "billing_period: month\n"
    text = head + "".join(f"{t}\n" for t in terms) + "versions:\n" + version(day, "40.00")
    return {"catalog/products.yaml": product_yaml(), "pricing/plan.yaml": text}


# --- a plan in effect deleted --------------------------------------------------------------

def test_deleting_a_plan_in_effect_is_a_history_rewrite(catalog_dir: MakeCatalog) -> None:
    base = {**plans(version("2026-01-01", "40.00")),
            "pricing/old.yaml": plan_yaml(version("2025-01-01", "9.00"), plan_id="storage-mini",
                                          name="Mini")}
    head = plans(version("2026-01-01", "40.00"))
    findings = diff_findings(catalog_dir, base, head, "history-rewrite")
    # Reported where the plan was: the base's pricing/old.yaml, `id: storage-mini` on line 2,
    # its value at column 5.
    assert where(findings) == [("pricing/old.yaml", 2, 5)]
    assert "storage-mini" in findings[0].message and "deleted" in findings[0].message
    assert "2025-01-01" in findings[0].message
    # The fix: keep it for its subscribers and take it off sale.
    assert "offerings" in findings[0].hint and "status" in findings[0].hint \
        and "available_until" in findings[0].hint


def test_deleting_a_plan_not_yet_in_effect_is_fine(catalog_dir: MakeCatalog) -> None:
    base = {**plans(version("2026-01-01", "40.00")),
            "pricing/new.yaml": plan_yaml(version("2027-02-01", "9.00"), plan_id="storage-mini",
                                          name="Mini")}
    head = plans(version("2026-01-01", "40.00"))
    assert diff_findings(catalog_dir, base, head, "history-rewrite") == []


def test_a_plan_that_fails_its_schema_is_not_deleted(catalog_dir: MakeCatalog) -> None:
    # A typo'd field: the schema rule reports it; the plan is still there.
    base = plans(version("2026-01-01", "40.00"))
    head = terms_plan("trial_dayz: 14")
    assert diff_findings(catalog_dir, base, head, "history-rewrite") == []


# --- plan-level terms changed in place -----------------------------------------------------

def test_minimum_raised_in_place_is_a_history_rewrite_and_a_notice_period(
        catalog_dir: MakeCatalog) -> None:
    base = terms_plan("minimum: {USD: 2000.00}")
    head = terms_plan("minimum: {USD: 3000.00}")
    rewrite = diff_findings(catalog_dir, base, head, "history-rewrite")
    # `minimum: {USD: 3000.00}` is line 6: `minimum: {` is 10 characters, `USD: ` 5 more:
    # the amount at column 16.
    assert where(rewrite) == [("pricing/plan.yaml", 6, 16)]
    assert "minimum" in rewrite[0].message and "USD 2000.00 → USD 3000.00" in rewrite[0].message
    notice = diff_findings(catalog_dir, base, head, "notice-period")
    assert where(notice) == [("pricing/plan.yaml", 6, 16)]
    # (3000.00 − 2000.00) / 2000.00 = +50.0 %
    assert "USD 2000.00 → USD 3000.00 (+50.0 %)" in notice[0].message
    assert "at once" in notice[0].message and "30 days" in notice[0].message


def test_a_minimum_added_is_a_rise(catalog_dir: MakeCatalog) -> None:
    base = terms_plan()
    head = terms_plan("minimum: {USD: 50.00}")
    notice = diff_findings(catalog_dir, base, head, "notice-period")
    # The new `minimum:` mapping, line 6, column 10.
    assert where(notice) == [("pricing/plan.yaml", 6, 10)]
    assert "minimum" in notice[0].message and "USD 50.00" in notice[0].message


def test_minimum_lowered_in_place_is_history_but_no_notice(catalog_dir: MakeCatalog) -> None:
    base = terms_plan("minimum: {USD: 2000.00}")
    head = terms_plan("minimum: {USD: 1500.00}")
    assert len(diff_findings(catalog_dir, base, head, "history-rewrite")) == 1
    assert diff_findings(catalog_dir, base, head, "notice-period") == []


def test_trial_limits_and_free_changed_in_place(catalog_dir: MakeCatalog) -> None:
    base = terms_plan("trial_days: 30", "limits: {storage: 100}", "free: true")
    head = terms_plan("trial_days: 14", "limits: {storage: 50}", "free: false")
    findings = diff_findings(catalog_dir, base, head, "history-rewrite")
    # line 6 `trial_days: 14` (value at 13), line 7 `limits: {storage: 50}` (`storage: ` from
    # column 10: 50 at 19), line 8 `free: false` (value at 7).
    assert sorted(where(findings)) == [("pricing/plan.yaml", 6, 13), ("pricing/plan.yaml", 7, 19),
                                       ("pricing/plan.yaml", 8, 7)]
    texts = " ".join(f.message for f in findings)
    assert "trial_days: 30 → 14" in texts and "limits.storage: 100 → 50" in texts
    assert "free: true → false" in texts
    # A free plan that starts charging is a rise for every subscriber, at once.
    notice = diff_findings(catalog_dir, base, head, "notice-period")
    assert where(notice) == [("pricing/plan.yaml", 8, 7)]


def test_terms_of_a_plan_not_yet_in_effect_may_change(catalog_dir: MakeCatalog) -> None:
    base = terms_plan("minimum: {USD: 2000.00}", "trial_days: 30", day="2027-02-01")
    head = terms_plan("minimum: {USD: 3000.00}", "trial_days: 14", day="2027-02-01")
    assert diff_findings(catalog_dir, base, head, "history-rewrite") == []
    assert diff_findings(catalog_dir, base, head, "notice-period") == []


# --- through monops diff and lint --changed-since, in a real repository --------------------

def test_a_deleted_plan_in_effect_fails_the_review(example: CatalogRepo) -> None:
    # storage-free is in effect since 2025; deleting it (with its offerings and the scenario
    # that uses it) passed with only "plan removed" before.
    text = example.read("pricing/storage.yaml")
    start = text.index("kind: plan\nid: storage-free")
    end = text.index("---", start)
    example.write("pricing/storage.yaml", text[:start] + text[end + 4:])
    for channel in Path(example.path / "catalog/channels").glob("*.yaml"):
        name = f"catalog/channels/{channel.name}"
        lines = example.read(name).splitlines(keepends=True)
        kept = []
        skip = False
        for line in lines:
            if line.strip().startswith("- plan: storage-free"):
                skip = True
                continue
            if skip and line.startswith("      "):
                continue
            skip = False
            kept.append(line)
        example.write(name, "".join(kept))
    for name in ("scenarios/us-web-fiber-welcome.yaml", "scenarios/jp-web-home-duo-move.yaml"):
        example.write(name, example.read(name).replace("storage-free", "storage-plus"))
    lint = example.monops("lint", "--changed-since", "main", "--format", "json")
    rules = {f["rule"] for f in lint.json()["findings"]}
    assert "history-rewrite" in rules, lint
    assert lint.returncode == 1
    reports = example.reports("main", html=False)
    assert ("history-rewrite", "pricing/storage.yaml") in {
        (f[0], f[1]) for f in reports.introduced()}
    assert reports.returncode == 1
