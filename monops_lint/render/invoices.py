"""Sample invoices for scenarios, in md, html, txt (Jinja2 templates) or json.

Templates ship in the package (``monops_lint/templates/invoice.<fmt>.j2``)
and a catalog may override any of them from its ``templates:`` folder.
Catalog templates are untrusted: they render in the sandbox (see
``monops_lint.sandbox``) from a loader that knows only the invoice
templates, so an ``{% include %}`` can never read another file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources

from monops_lint.catalog import Catalog
from monops_lint.errors import MonopsError
from monops_lint.pricing import Invoice, PricingError, invoice_for
from monops_lint.render.present import JSON_VERSION, invoice_json, invoice_view

FORMATS = ("md", "html", "txt", "json")
TEMPLATE_NAMES = {fmt: f"invoice.{fmt}.j2" for fmt in FORMATS if fmt != "json"}

TemplateReader = Callable[[str], str | None]
"""Reads one template file of the catalog by name (None: not overridden)."""


def packaged_template(name: str) -> str:
    """The text of a template shipped with monops."""
    return resources.files("monops_lint").joinpath("templates", name).read_text(encoding="utf-8")


def invoices_for(catalog: Catalog, scenario_ids: Sequence[str] = (),
                 rounding: str = "half_up") -> list[Invoice]:
    """The invoice of every scenario (or of ``scenario_ids``), in id order."""
    unknown = [s for s in scenario_ids if s not in catalog.scenarios]
    if unknown:
        from monops_lint.suggest import closest

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


@dataclass(frozen=True)
class InvoiceRenderer:
    """Renders invoices in one format, with the catalog's template overrides if any."""

    fmt: str
    overrides: Mapping[str, str]

    @classmethod
    def create(cls, fmt: str, read_template: TemplateReader | None = None) -> InvoiceRenderer:
        """A renderer for ``fmt``; ``read_template`` reads the catalog's own templates."""
        if fmt not in FORMATS:
            raise MonopsError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
        overrides: dict[str, str] = {}
        if read_template is not None:
            for name in TEMPLATE_NAMES.values():
                text = read_template(name)
                if text is not None:
                    overrides[name] = text
        return cls(fmt, overrides)

    def render(self, invoices: Iterable[Invoice]) -> str:
        """One document holding every invoice."""
        invoices = list(invoices)
        if self.fmt == "json":
            document = {"version": JSON_VERSION, "invoices": [invoice_json(i) for i in invoices]}
            return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        from monops_lint.render.templating import render_template

        name = TEMPLATE_NAMES[self.fmt]
        source = self.overrides.get(name) or packaged_template(name)
        views = [invoice_view(invoice) for invoice in invoices]
        origin = "the catalog's" if name in self.overrides else "the packaged"
        try:
            text = render_template(source, {"invoices": views}, autoescape=self.fmt == "html",
                                   name=name)
        except MonopsError as exc:
            raise MonopsError(f"{origin} template {name}: {exc}") from exc
        return text if text.endswith("\n") else text + "\n"

    @property
    def extension(self) -> str:
        """The file extension of this format."""
        return self.fmt
