"""``monops render``: the sample invoice of every scenario, at a revision or in the working
tree, in one of the invoice formats."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from monops_lint.app.files import write_atomic
from monops_lint.app.workspace import Workspace
from monops_lint.catalog import Catalog
from monops_lint.errors import MonopsError
from monops_lint.pricing import Invoice, PricingError, invoice_for
from monops_lint.reporters.invoices import invoice_renderer
from monops_lint.suggest import closest


def invoices_for(catalog: Catalog, scenario_ids: Sequence[str] = (),
                 rounding: str = "half_up") -> list[Invoice]:
    """The invoice of every scenario (or of ``scenario_ids``), in id order."""
    unknown = [s for s in scenario_ids if s not in catalog.scenarios]
    if unknown:
        raise MonopsError(f"unknown scenario `{unknown[0]}`"
                          f"{closest(unknown[0], list(catalog.scenarios))}")
    chosen = sorted(scenario_ids or catalog.scenarios)
    if not chosen:
        raise MonopsError("the catalog has no scenarios (kind: scenario) to render")
    invoices = []
    for scenario_id in chosen:
        try:
            invoices.append(invoice_for(catalog.scenarios[scenario_id], catalog, rounding))
        except PricingError as exc:
            raise MonopsError(f"scenario {scenario_id} "
                              f"({catalog.scenarios[scenario_id].origin.location()}): {exc} "
                              "(`monops lint` explains what to fix)") from exc
    return invoices


def render_invoices(workspace: Workspace, fmt: str, scenario_ids: Sequence[str] = (),
                    rev: str | None = None, out: Path | None = None) -> str | list[Path]:
    """The invoices of ``scenario_ids`` (default: every scenario) at ``rev`` (default: the
    working tree) in ``fmt``: one document, or with ``out`` one file per scenario written
    there (the paths written)."""
    source, config = workspace.source(rev)
    catalog = workspace.catalog(source, config)
    invoices = invoices_for(catalog, scenario_ids, config.rounding)
    renderer = invoice_renderer(fmt, workspace.template_reader(source, config))
    if out is None:
        return renderer.render(invoices)
    written = []
    for invoice in invoices:
        path = out / f"{invoice.scenario}.{renderer.extension}"
        write_atomic(path, renderer.render([invoice]))
        written.append(path)
    return written
