"""Invoice reporters: sample invoices in md, html or txt (Jinja2 templates) or json.

Templates ship in the package (``monops_lint/templates/invoice.<fmt>.j2``)
and a catalog may override any of them from its ``templates:`` folder.
Catalog templates are untrusted: they render in the sandbox (see
``monops_lint.sandbox``) from a loader that knows only the invoice
templates, so an ``{% include %}`` can never read another file.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import ClassVar, Protocol

from monops_lint.errors import MonopsError
from monops_lint.pricing import Invoice
from monops_lint.reporters.invoices.view import JSON_VERSION, invoice_json, invoice_view
from monops_lint.reporters.templating import packaged_template, render_template

TemplateReader = Callable[[str], str | None]
"""Reads one template file of the catalog by name (None: not overridden)."""


class InvoiceFormat(Protocol):
    """Renders invoices in one format."""

    extension: ClassVar[str]

    def render(self, invoices: Iterable[Invoice]) -> str:
        """One document holding every invoice, ending with a newline."""
        ...


@dataclass(frozen=True)
class TemplatedInvoices:
    """md, html or txt: the packaged template of the format, or the catalog's own."""

    extension: ClassVar[str] = ""
    overrides: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def template_name(cls) -> str:
        """The template file this format renders (``invoice.md.j2``)."""
        return f"invoice.{cls.extension}.j2"

    def render(self, invoices: Iterable[Invoice]) -> str:
        """Every invoice through the template, in the sandbox."""
        name = self.template_name()
        source = self.overrides.get(name) or packaged_template(name)
        views = [invoice_view(invoice) for invoice in invoices]
        origin = "the catalog's" if name in self.overrides else "the packaged"
        try:
            text = render_template(source, {"invoices": views},
                                   autoescape=self.extension == "html", name=name)
        except MonopsError as exc:
            raise MonopsError(f"{origin} template {name}: {exc}") from exc
        return text if text.endswith("\n") else text + "\n"


class MarkdownInvoices(TemplatedInvoices):
    """Invoices as Markdown (``invoice.md.j2``)."""

    extension = "md"


class HtmlInvoices(TemplatedInvoices):
    """Invoices as one self-contained HTML page (``invoice.html.j2``), autoescaped."""

    extension = "html"


class TextInvoices(TemplatedInvoices):
    """Invoices as plain text (``invoice.txt.j2``)."""

    extension = "txt"


@dataclass(frozen=True)
class JsonInvoices:
    """``{"version": 1, "invoices": [...]}`` with exact amounts (SPEC section 5)."""

    extension: ClassVar[str] = "json"
    overrides: Mapping[str, str] = field(default_factory=dict)  # (no template)

    def render(self, invoices: Iterable[Invoice]) -> str:
        """Every invoice as JSON."""
        document = {"version": JSON_VERSION, "invoices": [invoice_json(i) for i in invoices]}
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


INVOICE_FORMATS: dict[str, type[TemplatedInvoices] | type[JsonInvoices]] = {
    "md": MarkdownInvoices,
    "html": HtmlInvoices,
    "txt": TextInvoices,
    "json": JsonInvoices,
}
"""Format name -> renderer class; the CLI's ``--format`` choices."""


def invoice_renderer(fmt: str, read_template: TemplateReader | None = None) -> InvoiceFormat:
    """The renderer for ``fmt``, with the catalog's template overrides that ``read_template``
    finds."""
    kind = INVOICE_FORMATS.get(fmt)
    if kind is None:
        raise MonopsError(f"unknown format {fmt!r}; one of {', '.join(INVOICE_FORMATS)}")
    overrides: dict[str, str] = {}
    if read_template is not None:
        for other in INVOICE_FORMATS.values():
            if issubclass(other, TemplatedInvoices):
                text = read_template(other.template_name())
                if text is not None:
                    overrides[other.template_name()] = text
    return kind(overrides)


__all__ = ["INVOICE_FORMATS", "InvoiceFormat", "TemplateReader", "invoice_renderer"]
