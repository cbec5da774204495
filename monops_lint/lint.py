"""Running the rules over a catalog, then suppressions, the baseline and path filters."""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import localcontext
from typing import Any, TypeVar

from monops_lint.catalog import Catalog
from monops_lint.config import Config
from monops_lint.errors import MonopsError
from monops_lint.findings import Finding, Location, Severity, introduced_findings
from monops_lint.forking import release_free_memory, settle, shared_heap
from monops_lint.money import MONEY_CONTEXT
from monops_lint.rules import Rule, RuleContext, all_rules
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
                 base: Catalog | None = None) -> RuleContext | None:
    """The context ``rule`` runs in under ``config``, or None when the config turns it off."""
    setting = config.setting(rule.id)
    if setting is not None and setting.off:
        return None
    severity = setting.severity if setting is not None and setting.severity else rule.severity
    options = {**rule.options, **(setting.options if setting is not None else {})}
    return RuleContext(rule, severity, config, today, options, base)


# On a large catalog these rules run in a forked worker while the parent runs the others
# (fork shares the catalog for free; only findings come back): the rules that price plans
# through the engine (``ChannelPrice.period_price``, whose prices they share), and lifecycle
# to even out the two sides (measured at N = 10,000 after a 1 % change: 0.79 s and 0.80 s).
HEAVY_RULES = frozenset({"interval-ratio", "margin-floor", "bundle-discount", "upsell-target",
                         "lifecycle"})
PARALLEL_MIN_FILES = 2000


def _run(rules: Sequence[Rule], catalog: Catalog, config: Config, today: dt.date,
         base: Catalog | None) -> list[Finding]:
    findings: list[Finding] = []
    # Price-comparing rules price thousands of charges: one money context for all of them.
    with localcontext(MONEY_CONTEXT):
        for rule in rules:
            context = rule_context(rule, config, today, base)
            if context is not None:
                findings.extend(rule.check(catalog, context))
    return findings


# A forked worker ends up with private copies of much of what it reads (CPython writes
# reference counts into every object it touches, and the worker's new objects land in the
# parent's half-free pages). With every entity built before the fork and the C heap's free
# pages handed back (``check_catalogs``), the process tree peaked at 1.71-1.75 times the
# parent's resident memory at the fork, measured at N = 50,000 (cold lint 483 -> 835 MiB,
# lint after a 1 % change 518 -> 900, diff after a lint 562 -> 960, diff from an empty
# cache 579 -> 1,013). Past this budget the rules run in one process: slower, less memory.
MEMORY_BUDGET = 1 << 30
FORK_GROWTH = 1.8


def _resident_bytes() -> int:
    """This process's resident memory now (0 where /proc does not tell)."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0


def _can_fork(files: int) -> bool:
    return files >= PARALLEL_MIN_FILES and (os.cpu_count() or 1) >= 2 \
        and "fork" in multiprocessing.get_all_start_methods() \
        and not multiprocessing.current_process().daemon \
        and FORK_GROWTH * _resident_bytes() <= MEMORY_BUDGET  # (a daemon worker cannot fork)


T = TypeVar("T")
U = TypeVar("U")
_TASK: Callable[[], Any] | None = None  # what the forked worker runs: it inherits this


def _run_task() -> Any:
    assert _TASK is not None
    return _TASK()


def _meanwhile(background: Callable[[], T], foreground: Callable[[], U]) -> tuple[T, U]:
    """``background()`` in a forked worker while ``foreground()`` runs here; both results.

    Fork shares the parent's data with the worker for free; only the result
    comes back (pickled). Call only where ``_can_fork`` says yes.
    """
    global _TASK
    _TASK = background
    try:
        # The worker shares these pages: its collector stays off them.
        with shared_heap(), multiprocessing.get_context("fork").Pool(1) as pool:
            pending = pool.apply_async(_run_task)
            here = foreground()
            return pending.get(), here
    finally:
        _TASK = None


def run_rules(catalog: Catalog, config: Config, today: dt.date,
              phases: Sequence[str] = ("load", "catalog"),
              base: Catalog | None = None) -> list[Finding]:
    """Every enabled rule of ``phases`` over ``catalog``, findings in report order.

    The ``diff`` phase needs ``base``, the catalog before the change.
    """
    return check_catalogs([(catalog, config)], today, phases, base)[0]


def check_catalogs(sides: Sequence[tuple[Catalog, Config]], today: dt.date,
                   phases: Sequence[str] = ("load", "catalog"),
                   base: Catalog | None = None) -> list[list[Finding]]:
    """``run_rules`` over each (catalog, config) of ``sides``.

    On large catalogs the heaviest rules run in a forked worker over every
    side while this process runs the others over every side: the two sides
    of a diff share the entities and prices of every file the change left
    alone, so one process pricing both prices each shared plan once.
    """
    rules = [rule for rule in all_rules().values() if rule.phase in phases]
    heavy = [rule for rule in rules if rule.id in HEAVY_RULES]

    def each(chosen: list[Rule]) -> Callable[[], list[list[Finding]]]:
        return lambda: [_run(chosen, catalog, config, today, base) for catalog, config in sides]

    files = sum(len(catalog.files) for catalog, _ in sides)
    if heavy and files >= PARALLEL_MIN_FILES:
        for catalog, _ in sides:
            catalog.prepare()  # once, here: a worker would share them, not build them again
        settle()  # the entities live as long as the catalog
        release_free_memory()  # so that the budget check sees what is in use
    if not heavy or not _can_fork(files):
        found = each(rules)()
    else:
        light = [rule for rule in rules if rule.id not in HEAVY_RULES]
        there, here = _meanwhile(each(heavy), each(light))
        found = [a + b for a, b in zip(there, here, strict=True)]
    return [sorted(side, key=Finding.sort_key) for side in found]


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
        checked = run_rules(catalog, config, today)
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
               today: dt.date, paths: Sequence[str] = (), known: Known = (None, None)
               ) -> tuple[LintResult, LintResult]:
    """The lint of ``base`` alone and of ``head`` against it (diff rules too), as
    (before, after); the rules run once over each side whose findings are not ``known``
    (``check_catalogs``)."""
    sides = [(base, base_config), (head, config)]
    unknown = [side for side in (0, 1) if known[side] is None]
    for side in unknown:
        check_custom_rule_settings(*sides[side])  # a config error before any work
    checked = list(known)
    for side, findings in zip(unknown, check_catalogs([sides[i] for i in unknown], today),
                              strict=True):
        checked[side] = findings
    return (lint_catalog(base, base_config, today, checked=checked[0]),
            lint_catalog(head, config, today, paths, base=base, checked=checked[1]))


def with_severity(finding: Finding, severity: Severity) -> Finding:
    """``finding`` at another severity (the loader reports before the config is applied)."""
    return finding if finding.severity == severity else replace(finding, severity=severity)


def lint_changes(catalog: Catalog, base: Catalog, base_config: Config, config: Config,
                 today: dt.date, changed: Sequence[str], paths: Sequence[str] = (),
                 known: Known = (None, None)) -> tuple[LintResult, LintResult]:
    """``monops lint --changed-since``: the whole catalog is linted (rules compare files), the
    report keeps findings in ``changed`` files and those the change introduced elsewhere.

    Returns that report and the lint of the base (whose ``checked`` the cache keeps).
    """
    before, result = lint_sides(base, base_config, catalog, config, today, paths, known)
    new = set(map(id, introduced_findings(result.findings, before.findings)))
    kept = [f for f in result.findings if f.location.path in changed or id(f) in new]
    return replace(result, findings=tuple(kept)), before
