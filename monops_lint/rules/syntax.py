"""Rules the loader reports: yaml-syntax, yaml-trap, schema.

The loader and the schema check find these while reading files (see
``monops_lint.source.yamlstrict`` and ``monops_lint.load``); the checks here
hand them on at the severity the config gives.
"""

from __future__ import annotations

from collections.abc import Iterator

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Severity
from monops_lint.rules.registry import RuleContext, rule


def _reported(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    for finding in catalog.load_findings:
        if finding.rule == ctx.rule.id:
            yield ctx.finding(finding.location, finding.message, finding.hint, key=finding.key,
                              related=finding.related)


@rule("yaml-syntax", Severity.ERROR, phase="load")
def yaml_syntax(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A file that is not valid YAML, holds tabs, or is not UTF-8.

    ## What it does
    Reports YAML that cannot be parsed (an unclosed bracket, a bad indent),
    tab characters, bytes that are not UTF-8 and control characters, at the
    line and column where the parser stopped.

    ## Why is this bad?
    A file monops cannot read is a part of the catalog nobody checks: its
    prices are neither linted nor rendered.

    ## Example
    ```yaml
    kind: product
    id: storage
    features: [encryption, versioning
    ```

    ## Use instead
    ```yaml
    kind: product
    id: storage
    features: [encryption, versioning]
    ```
    """
    return _reported(catalog, ctx)


@rule("yaml-trap", Severity.ERROR, phase="load")
def yaml_trap(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """YAML that parses, but not into what its author meant.

    ## What it does
    Reports duplicate keys (naming both lines), keys that are not strings
    (`1:`, `true:`), anchors, aliases and `<<` merge keys, explicit tags
    (`!!python/object`, `!!binary`), `.nan` and `.inf`, nesting deeper than
    64 levels and files over `max_file_bytes`.

    ## Why is this bad?
    Most YAML readers keep the *last* of two duplicate keys without a word,
    so a price written twice silently becomes the second one. Aliases hide
    where a value comes from (and can blow up into billions of nodes), and
    tags can make a YAML reader construct objects. monops refuses them all,
    so every value is written where it is used.

    ## Example
    ```yaml
    kind: plan
    id: storage-standard
    name: Storage Standard
    name: Storage Premium
    ```

    ## Use instead
    ```yaml
    kind: plan
    id: storage-standard
    name: Storage Standard
    ```
    """
    return _reported(catalog, ctx)


@rule("schema", Severity.ERROR, phase="load")
def schema(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A document that does not match its kind's JSON Schema.

    ## What it does
    Checks every document against the schema of its `kind` (`monops schema
    KIND` prints it) and reports each problem at the exact field: an unknown
    field (with the closest valid name), a missing one, a value of the wrong
    type or outside its allowed values. YAML 1.1 habits get a hint: `yes`
    is text in YAML 1.2, so where a boolean is expected monops says to write
    `true`; a comma inside an unquoted value of a flow mapping
    (`{description: Suite, yearly}`) ends the value, and the unknown field it
    makes (`yearly`) gets the hint to quote the whole text.

    ## Why is this bad?
    A misspelt field is silently ignored by most tools; here it would drop a
    trial or a minimum from every invoice.

    ## Example
    ```yaml
    kind: plan
    id: storage-standard
    name: Storage Standard
    product: storage
    billing_period: monthly
    trial_day: 14
    versions: [...]
    ```

    ## Use instead
    ```yaml
    kind: plan
    id: storage-standard
    name: Storage Standard
    product: storage
    billing_period: month
    trial_days: 14
    versions: [...]
    ```
    """
    return _reported(catalog, ctx)
