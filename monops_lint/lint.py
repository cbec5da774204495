"""Running the rules over a catalog, then suppressions, the baseline and path filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import localcontext

from monops_lint.catalog import Catalog
from monops_lint.config import Config
from monops_lint.errors import MonopsError
from monops_lint.findings import Finding, Location, Severity, introduced_findings
from monops_lint.money import MONEY_CONTEXT
from monops_lint.rules import Rule, RuleContext, all_rules
from monops_lint.rules.registry import PriceMemo
from monops_lint.source.suppressions import Suppression

UNUSED_SUPPRESSION = "unused-suppression"


@dataclass(frozen=True)
class LintResult:
    """What ``monops lint`` reports, and what it left out and why."""

    findings: tuple[Finding, ...]
    files: int
    suppressed: int = 0
    baselined: int = 0
    checked: tuple[Finding, ...] = field(default=(), compare=False, repr=False)
    """What the load and catalog rules found, before suppressions and filters: a function of
    the catalog's files, the config and the day alone, so the cache keeps it per catalog."""

    def worst(self) -> Severity | None:
        """The highest severity reported, if any."""
        return max((f.severity for f in self.findings), default=None)

    def counts(self) -> dict[str, int]:
        """How many findings of each severity."""
        counts = {str(s): 0 for s in sorted(Severity, reverse=True)}
        for finding in self.findings:
            counts[str(finding.severity)] += 1
        return counts


def rule_context(rule: Rule, config: Config, today: dt.date,
                 base: Catalog | None = None,
                 prices: PriceMemo | None = None) -> RuleContext | None:
    """The context ``rule`` runs in under ``config``, or None when the config turns it off;
    ``prices`` is the run's memo of prices (default: a new one)."""
    setting = config.setting(rule.id)
    if setting is not None and setting.off:
        return None
    severity = setting.severity if setting is not None and setting.severity else rule.severity
    options = {**rule.options, **(setting.options if setting is not None else {})}
    return RuleContext(rule, severity, config, today, options, base,
                       prices if prices is not None else PriceMemo())


def check_with(rules: Sequence[Rule], catalog: Catalog, config: Config, today: dt.date,
               base: Catalog | None = None, prices: PriceMemo | None = None) -> list[Finding]:
    """Each of ``rules`` the config leaves on, over ``catalog``, findings in rule order.

    Price-comparing rules price thousands of charges: they share one money
    context and one memo of prices (``prices``; the two sides of a diff may
    share one too, as they share the entities of every file a change left
    alone).
    """
    prices = prices if prices is not None else PriceMemo()
    findings: list[Finding] = []
    with localcontext(MONEY_CONTEXT):
        for rule in rules:
            context = rule_context(rule, config, today, base, prices)
            if context is not None:
                findings.extend(rule.check(catalog, context))
    return findings


def rules_of(phases: Sequence[str]) -> list[Rule]:
    """Every registered rule of ``phases``, in id order."""
    return [rule for rule in all_rules().values() if rule.phase in phases]


def run_rules(catalog: Catalog, config: Config, today: dt.date,
              phases: Sequence[str] = ("load", "catalog"),
              base: Catalog | None = None) -> list[Finding]:
    """Every enabled rule of ``phases`` over ``catalog``, findings in report order.

    The ``diff`` phase needs ``base``, the catalog before the change.
    """
    return sorted(check_with(rules_of(phases), catalog, config, today, base),
                  key=Finding.sort_key)


Side = tuple[Catalog, Config]
"""A catalog and the config it is checked under (the two sides of a diff may differ)."""

CheckCatalogs = Callable[[Sequence[Side], dt.date], list[list[Finding]]]
"""Runs the load and catalog rules over each side: ``check_catalogs`` here, in one process,
or the app's runner that forks a worker for the rules that price (same findings)."""


def check_catalogs(sides: Sequence[Side], today: dt.date,
                   rules: Sequence[Rule] | None = None,
                   prices: PriceMemo | None = None) -> list[list[Finding]]:
    """``rules`` (default: the load and catalog rules) over each (catalog, config) of
    ``sides``, sharing one memo of prices (``prices``, default: a new one); each side's
    findings in report order."""
    chosen = rules_of(("load", "catalog")) if rules is None else rules
    prices = prices if prices is not None else PriceMemo()
    return [sorted(check_with(chosen, catalog, config, today, prices=prices),
                   key=Finding.sort_key) for catalog, config in sides]


def apply_suppressions(findings: Iterable[Finding],
                       suppressions: Mapping[str, tuple[Suppression, ...]],
                       config: Config, today: dt.date) -> tuple[list[Finding], int]:
    """Drop suppressed findings; report suppression comments that silence nothing.

    Returns the kept findings (with ``unused-suppression`` findings added)
    and how many were suppressed.
    """
    used: set[tuple[str, int, str]] = set()
    kept: list[Finding] = []
    suppressed = 0
    for finding in findings:
        comments = suppressions.get(finding.location.path, ())
        hit = next((s for s in comments if s.covers(finding.rule, finding.location.line)), None)
        if hit is None:
            kept.append(finding)
        else:
            suppressed += 1
            used.add((finding.location.path, hit.comment_line, finding.rule))
    rules = all_rules()
    unused_rule = rules.get(UNUSED_SUPPRESSION)
    context = rule_context(unused_rule, config, today) if unused_rule else None
    if context is not None:
        for path, comments in suppressions.items():
            for comment in comments:
                for rule_id in comment.rules:
                    if (path, comment.comment_line, rule_id) in used:
                        continue
                    where = Location(path, comment.comment_line, comment.comment_column)
                    if rule_id not in rules and "/" not in rule_id:
                        message = f"suppression names unknown rule `{rule_id}`"
                    else:
                        message = f"suppression of `{rule_id}` silences nothing"
                    kept.append(context.finding(
                        where, message, "remove it (or the rule id) from the comment",
                        key=f"{rule_id}:{(comment.target_line and 'line') or 'file'}"))
    return sorted(kept, key=Finding.sort_key), suppressed


def in_paths(finding: Finding, paths: Sequence[str]) -> bool:
    """Whether ``finding`` lies in one of ``paths`` (files or folders, root-relative)."""
    target = finding.location.path
    return any(target == p or target.startswith(p.rstrip("/") + "/") for p in paths)


def check_custom_rule_settings(catalog: Catalog, config: Config) -> None:
    """monops.yaml may set custom rules (``acme/x``) only if the catalog defines them."""
    from monops_lint.suggest import closest

    for rule_id in config.rules:
        if "/" in rule_id and rule_id not in catalog.rules:
            raise MonopsError(f"monops.yaml: rules: `{rule_id}` is not a custom rule of this "
                              f"catalog{closest(rule_id, list(catalog.rules))} (custom rules are "
                              "`kind: rule` documents)")


def lint_catalog(catalog: Catalog, config: Config, today: dt.date,
                 paths: Sequence[str] = (), base: Catalog | None = None,
                 checked: Sequence[Finding] | None = None) -> LintResult:
    """All rules, then suppressions, then the path filter: what ``monops lint`` reports.

    With ``base`` (the catalog before a change) the ``diff`` rules run too.
    ``checked``, when known (``LintResult.checked`` of an earlier run over
    the same files, config and day), stands for the load and catalog rules.
    """
    check_custom_rule_settings(catalog, config)
    if checked is None:
        checked = check_catalogs([(catalog, config)], today)[0]
    findings = list(checked)
    if base is not None:
        findings = sorted(findings + run_rules(catalog, config, today, ("diff",), base),
                          key=Finding.sort_key)
    findings, suppressed = apply_suppressions(findings, catalog.suppressions, config, today)
    if paths:
        findings = [f for f in findings if in_paths(f, paths)]
    return LintResult(tuple(findings), len(catalog.files), suppressed=suppressed,
                      checked=tuple(checked))


Known = tuple[Sequence[Finding] | None, Sequence[Finding] | None]
"""The ``checked`` findings already known for (base, head), each None when not known."""


def lint_sides(base: Catalog, base_config: Config, head: Catalog, config: Config,
               today: dt.date, paths: Sequence[str] = (), known: Known = (None, None),
               check: CheckCatalogs = check_catalogs) -> tuple[LintResult, LintResult]:
    """The lint of ``base`` alone and of ``head`` against it (diff rules too), as
    (before, after); ``check`` runs the rules once over each side whose findings are not
    ``known``."""
    sides = [(base, base_config), (head, config)]
    unknown = [side for side in (0, 1) if known[side] is None]
    for side in unknown:
        check_custom_rule_settings(*sides[side])  # a config error before any work
    checked = list(known)
    for side, findings in zip(unknown, check([sides[i] for i in unknown], today), strict=True):
        checked[side] = findings
    return (lint_catalog(base, base_config, today, checked=checked[0]),
            lint_catalog(head, config, today, paths, base=base, checked=checked[1]))


def with_severity(finding: Finding, severity: Severity) -> Finding:
    """``finding`` at another severity (the loader reports before the config is applied)."""
    return finding if finding.severity == severity else replace(finding, severity=severity)


def lint_changes(catalog: Catalog, base: Catalog, base_config: Config, config: Config,
                 today: dt.date, changed: Sequence[str], paths: Sequence[str] = (),
                 known: Known = (None, None), check: CheckCatalogs = check_catalogs
                 ) -> tuple[LintResult, LintResult]:
    """``monops lint --changed-since``: the whole catalog is linted (rules compare files), the
    report keeps findings in ``changed`` files and those the change introduced elsewhere.

    Returns that report and the lint of the base (whose ``checked`` the cache keeps).
    """
    before, result = lint_sides(base, base_config, catalog, config, today, paths, known, check)
    new = set(map(id, introduced_findings(result.findings, before.findings)))
    kept = [f for f in result.findings if f.location.path in changed or id(f) in new]
    return replace(result, findings=tuple(kept)), before
