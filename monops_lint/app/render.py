"""``monops render``: the sample invoice of every scenario, at a revision or in the working
tree, in one of the invoice formats.

A scenario that cannot be priced (it is invalid, or the engine refuses it)
is never skipped silently: rendering every scenario, each one is named in
``Rendered.problems`` (the CLI prints them and exits 1); a scenario named
with ``--scenario`` that cannot be priced is an error (exit 2).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from monops_lint.app.files import write_atomic
from monops_lint.app.workspace import Workspace
from monops_lint.catalog import Catalog
from monops_lint.errors import MonopsError
from monops_lint.pricing import Invoice, PricingError, invoice_for
from monops_lint.reporters.invoices import invoice_renderer
from monops_lint.suggest import closest

_FIX = "(`monops lint` explains what to fix)"


@dataclass(frozen=True)
class Rendered:
    """What ``render_invoices`` made: one document (``text``) or the files written
    (``written``), and one line for each scenario it could not price (``problems``)."""

    text: str | None = None
    written: tuple[Path, ...] = ()
    problems: tuple[str, ...] = field(default=())


def _invalid(catalog: Catalog, scenario_id: str) -> str:
    where = catalog.id_locations["scenario"][scenario_id][0]
    return f"scenario {scenario_id} ({where}) is invalid and cannot be priced {_FIX}"


def priced_invoices(catalog: Catalog, scenario_ids: Sequence[str] = (),
                    rounding: str = "half_up") -> tuple[list[Invoice], list[str]]:
    """The invoice of every scenario (or of ``scenario_ids``), in id order, and one line for
    each scenario of the catalog that could not be priced (invalid, or refused by the
    engine). A scenario named in ``scenario_ids`` that cannot be priced, or that names
    nothing, is a ``MonopsError``."""
    for scenario_id in scenario_ids:
        if scenario_id not in catalog.scenarios:
            if catalog.knows("scenario", scenario_id):
                raise MonopsError(_invalid(catalog, scenario_id))
            raise MonopsError(f"unknown scenario `{scenario_id}`"
                              f"{closest(scenario_id, catalog.ids('scenario'))}")
    chosen = sorted(scenario_ids or catalog.ids("scenario"))
    if not chosen:
        raise MonopsError("the catalog has no scenarios (kind: scenario) to render")
    invoices: list[Invoice] = []
    problems: list[str] = []
    for scenario_id in chosen:
        scenario = catalog.scenarios.get(scenario_id)
        if scenario is None:
            problems.append(_invalid(catalog, scenario_id))
            continue
        try:
            invoices.append(invoice_for(scenario, catalog, rounding))
        except PricingError as exc:
            problem = (f"scenario {scenario_id} ({scenario.origin.location()}) cannot be "
                       f"priced: {exc} {_FIX}")
            if scenario_ids:
                raise MonopsError(problem) from exc
            problems.append(problem)
    return invoices, problems


def render_invoices(workspace: Workspace, fmt: str, scenario_ids: Sequence[str] = (),
                    rev: str | None = None, out: Path | None = None) -> Rendered:
    """The invoices of ``scenario_ids`` (default: every scenario) at ``rev`` (default: the
    working tree) in ``fmt``: one document, or with ``out`` one file per scenario written
    there; and the scenarios that could not be priced."""
    source, config = workspace.source(rev)
    catalog = workspace.catalog(source, config)
    invoices, problems = priced_invoices(catalog, scenario_ids, config.rounding)
    renderer = invoice_renderer(fmt, workspace.template_reader(source, config))
    if out is None:
        return Rendered(renderer.render(invoices), problems=tuple(problems))
    written = []
    for invoice in invoices:
        path = out / f"{invoice.scenario}.{renderer.extension}"
        write_atomic(path, renderer.render([invoice]))
        written.append(path)
    return Rendered(None, tuple(written), tuple(problems))
