"""custom-rule: the catalog's own checks (``kind: rule``), evaluated in the sandbox."""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from jinja2 import Template, TemplateError, TemplateSyntaxError, UndefinedError
from jinja2.exceptions import SecurityError

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Location, Severity
from monops_lint.model import CustomRule, Entity
from monops_lint.rules.registry import RULES, RuleContext, rule
from monops_lint.sandbox import Limits, Sandbox, SandboxTimeout, make_sandbox, read_only, time_limit

LIMITS = Limits(seconds=1.0, max_output=4_000, max_source=10_000)
"""One evaluation of a custom rule's ``when``, ``assert`` or ``message``."""
RULE_SECONDS = 5.0
"""One custom rule, over every entity it checks."""
TOTAL_SECONDS = 30.0
"""Every custom rule together."""

FIELDS = ("when", "assert", "message")


@dataclass(frozen=True)
class Subject:
    """One thing a custom rule checks: what its expressions see, where it is, its name."""

    variables: Mapping[str, Any]
    location: Location
    name: str
    key: str


def subjects(catalog: Catalog, each: str, today: dt.date,
             views: Views | None = None) -> Iterator[Subject]:
    """What a custom rule with ``each`` checks, with the variables its expressions see."""
    views = views or Views()
    day = today.isoformat()
    if each != "offering":
        for entity in catalog.of_kind(each).values():
            yield Subject({each: views.of(entity), "today": day}, entity.origin.at("id"),
                          f"{each} {entity.id}", f"{each}:{entity.id}")
        return
    for channel in catalog.channels.values():
        for index, offering in enumerate(channel.offerings):
            plan = catalog.plans.get(offering.plan)
            if plan is None:
                continue  # unknown-reference reports it
            channel_view = views.of(channel)
            yield Subject(
                {"offering": channel_view["offerings"][index], "channel": channel_view,
                 "plan": views.of(plan), "today": day},
                channel.origin.at("offerings", index),
                f"offering of plan {offering.plan} in channel {channel.id}",
                f"offering:{channel.id}:{offering.plan}")


class Views:
    """Each entity's read-only view (``sandbox.read_only`` of its YAML), built once."""

    def __init__(self) -> None:
        self._built: dict[tuple[str, str], Any] = {}

    def of(self, entity: Entity) -> Any:
        """The view of ``entity``, named by its kind in error messages."""
        key = (entity.kind, entity.id)
        if key not in self._built:
            data = entity.origin.data if entity.origin.data is not None else {"id": entity.id}
            self._built[key] = read_only(data, entity.kind)
        return self._built[key]


@rule("custom-rule", Severity.ERROR)
def custom_rule(catalog: Catalog, ctx: RuleContext) -> list[Finding]:
    """Runs the catalog's own rules (`kind: rule`), and reports those that cannot run.

    ## What it does
    Evaluates every custom rule over the entities its `each` names: for
    each one where `when` holds (every one, without `when`), `assert` must
    hold, or the rendered `message` (and the `hint`, as written) is
    reported at the entity's `id` - for `each: offering`, at the offering's
    item in its channel's `offerings`. Those findings carry the custom
    rule's id and severity; `rules: {acme/x: warning}` (or `off`) in
    monops.yaml changes them, `# monops: disable=acme/x` suppresses one.

    `custom-rule` itself reports, at the custom rule's file, a rule whose
    `when`, `assert` or `message` does not compile, fails while it runs
    (an undefined field, a type error, something the sandbox refuses, a
    time limit), or takes a built-in rule's id. Setting `custom-rule: off`
    turns every custom rule off.

    `when` and `assert` are Jinja2 expressions and `message` a Jinja2
    template, run in monops' sandbox. The variables:

    * `each: product | bundle | plan | channel | promotion | scenario`: the
      entity, named by its kind (`plan.id`);
    * `each: offering`: `offering` (one item of a channel's `offerings`),
      `channel` and `plan` (the plan it offers; offerings of plans that do
      not exist are skipped - `unknown-reference` reports them);
    * everywhere: `today`, the lint date (`--today`) as `YYYY-MM-DD`.

    An entity is its YAML document as written, read-only. Mappings read as
    `plan.limits.storage` or `plan['limits']`, lists as
    `channel.currencies[0]`; dates are `YYYY-MM-DD` strings, which compare
    in date order (`promotion.valid_until >= today`); amounts are exact
    decimals (`plan.minimum.USD >= 10`). A field the file leaves out is
    undefined - not its default - and using it is an error, as is a
    misspelled one: test optional fields with `is defined`, or give them a
    default (`channel.tax_inclusive | default(false)`).

    The sandbox refuses names starting with `_`, `str.format`, and calls
    other than macros and read-only methods of strings, mappings and
    lists; a value over 1,000,000 characters; a message over 4,000. One
    evaluation may take 1 s, one rule 5 s over the catalog, all custom
    rules 30 s.

    ## Why is this bad?
    A policy written as a check runs on every pull request. A custom rule
    that cannot run checks nothing, and says nothing: a typo in `assert`
    would pass every entity for ever, so the typo is what gets reported.

    ## Example
    ```yaml
    kind: rule
    id: acme/retail-sells-eur
    each: channel
    when: "channel.id == 'retail'"
    assert: "'EUR' in channel.currency"      # no such field
    message: "channel {{ channel.id }} must sell in EUR"
    ```

    ## Use instead
    ```yaml
    kind: rule
    id: acme/retail-sells-eur
    each: channel
    when: "channel.id == 'retail'"
    assert: "'EUR' in channel.currencies"
    message: "channel {{ channel.id }} must sell in EUR"
    ```
    """
    sandbox = make_sandbox(limits=LIMITS)
    views = Views()
    findings: list[Finding] = []
    with time_limit(TOTAL_SECONDS, "custom rules together"):
        for custom in sorted(catalog.rules.values(), key=lambda r: r.id):
            setting = ctx.config.setting(custom.id)
            if setting is not None and setting.off:
                continue
            severity = setting.severity if setting is not None and setting.severity \
                else Severity.parse(custom.severity)
            findings.extend(_run(custom, severity, sandbox, views, catalog, ctx))
    return findings


@dataclass
class _Failure:
    """The first error of one field of a custom rule, and how many subjects it hit."""

    subject: str
    error: Exception
    count: int = 1


def _run(custom: CustomRule, severity: Severity, sandbox: Sandbox, views: Views,
         catalog: Catalog, ctx: RuleContext) -> list[Finding]:
    if custom.id in RULES:
        return [ctx.finding(
            custom.origin.at("id"), f"custom rule id `{custom.id}` is a built-in rule's id",
            f"give it a namespace, e.g. `acme/{custom.id}`", key=f"{custom.id}:id")]
    findings: list[Finding] = []
    failures: dict[str, _Failure] = {}

    def violation(subject: Subject, text: str) -> Finding:
        return Finding(custom.id, severity, subject.location,
                       text or f"{subject.name} fails custom rule {custom.id}", custom.hint,
                       key=subject.key)

    with time_limit(RULE_SECONDS, f"custom rule {custom.id}"):  # compiling counts too
        compiled = _Compiled.of(custom, sandbox)
        if compiled.problems:
            return [ctx.finding(
                custom.origin.at(field),
                f"custom rule {custom.id}: `{field}` does not compile: {_reason(error)}",
                _time_hint() if isinstance(error, SandboxTimeout) else
                "`when` and `assert` are Jinja2 expressions, `message` a Jinja2 template; "
                "see `monops explain custom-rule`", key=f"{custom.id}:{field}:compile")
                for field, error in compiled.problems]
        for subject in subjects(catalog, custom.each, ctx.today, views):
            field = "when"
            try:
                if not compiled.applies(subject):
                    continue
                field = "assert"
                if compiled.holds(subject):
                    continue
                field = "message"
                text = compiled.message_for(subject)
            except Exception as exc:  # catalog text must never crash the linter
                if field in failures:
                    failures[field].count += 1
                else:
                    failures[field] = _Failure(subject.name, exc)
                if field == "message":  # the entity does fail the rule: still say so
                    findings.append(violation(subject, ""))
                if isinstance(exc, SandboxTimeout):
                    break
                continue
            findings.append(violation(subject, text))
    for field, failure in failures.items():
        findings.append(_failure_finding(custom, field, failure, ctx))
    return findings


@dataclass(frozen=True)
class _Compiled:
    """A custom rule's expressions and message, compiled; or why they do not compile."""

    when: Callable[..., Any] | None
    check: Callable[..., Any] | None
    message: Template | None
    problems: tuple[tuple[str, Exception], ...]

    @classmethod
    def of(cls, custom: CustomRule, sandbox: Sandbox) -> _Compiled:
        problems: list[tuple[str, Exception]] = []

        def build(field: str, source: str, make: Callable[[str], Any]) -> Any:
            if any(isinstance(error, SandboxTimeout) for _, error in problems):
                return None  # out of time: one finding says so
            try:
                return make(source)
            except Exception as exc:  # a syntax error, or a source too long
                problems.append((field, exc))
                return None

        when = build("when", custom.when, sandbox.compile_expression) if custom.when else None
        check = build("assert", custom.assert_, sandbox.compile_expression)
        message = build("message", custom.message, sandbox.from_string)
        return cls(when, check, message, tuple(problems))

    def applies(self, subject: Subject) -> bool:
        """Whether ``when`` holds for ``subject`` (always, without ``when``)."""
        return self.when is None or bool(self.when(**subject.variables))

    def holds(self, subject: Subject) -> bool:
        """Whether ``assert`` holds for ``subject``."""
        assert self.check is not None
        return bool(self.check(**subject.variables))

    def message_for(self, subject: Subject) -> str:
        """The rendered message, on one line."""
        assert self.message is not None
        return " ".join(self.message.render(**subject.variables).split())


def _time_hint() -> str:
    return f"each evaluation may take {LIMITS.seconds:g} s, a rule {RULE_SECONDS:g} s " \
           f"over the catalog, all custom rules {TOTAL_SECONDS:g} s: simplify the rule"


def _failure_finding(custom: CustomRule, field: str, failure: _Failure,
                     ctx: RuleContext) -> Finding:
    more = f" (and on {failure.count - 1} more)" if failure.count > 1 else ""
    stopped = "; the rule stopped there" if isinstance(failure.error, SandboxTimeout) else ""
    if isinstance(failure.error, SandboxTimeout):
        hint = _time_hint()
    elif isinstance(failure.error, UndefinedError):
        hint = "test an optional field with `is defined`, or give it a default: " \
               "`x | default(...)`"
    elif isinstance(failure.error, SecurityError):
        hint = "the sandbox refuses this; `monops explain custom-rule` lists what it allows"
    else:
        hint = "`monops explain custom-rule` shows what expressions see"
    return ctx.finding(
        custom.origin.at(field),
        f"custom rule {custom.id}: `{field}` failed on {failure.subject}: "
        f"{_reason(failure.error)}{more}{stopped}",
        hint, key=f"{custom.id}:{field}:error")


def _reason(exc: Exception) -> str:
    """One line, short, saying what went wrong."""
    text = " ".join(str(exc).split())
    if isinstance(exc, decimal.DecimalException):
        text = f"decimal {type(exc).__name__}"  # str() is a list of signal classes
    elif isinstance(exc, TemplateSyntaxError):
        text = f"{text} (line {exc.lineno})" if exc.lineno > 1 else text
    elif not isinstance(exc, TemplateError):
        text = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return text if len(text) <= 300 else text[:299] + "…"
