"""unused-suppression: reported by the lint engine after it applies suppressions."""

from __future__ import annotations

from collections.abc import Iterator

from monops_lint.catalog import Catalog
from monops_lint.findings import Finding, Severity
from monops_lint.rules.registry import RuleContext, rule


@rule("unused-suppression", Severity.WARNING, phase="engine")
def unused_suppression(catalog: Catalog, ctx: RuleContext) -> Iterator[Finding]:
    """A `# monops: disable=...` comment that silences nothing.

    ## What it does
    Reports a suppression comment whose rule finds nothing on the line it
    covers (or in the file, for `disable-file`), and one that names a rule
    that does not exist.

    ## Why is this bad?
    A stale suppression hides the next real problem on that line: when the
    price it excused is fixed, the comment should go too.

    ## Example
    ```yaml
    name: Storage Standard  # monops: disable=price-drift -- fixed in PR 42
    ```

    ## Use instead
    ```yaml
    name: Storage Standard
    ```
    """
    return iter(())
