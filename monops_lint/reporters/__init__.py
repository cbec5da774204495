"""Reporters: what monops writes, one registry per product, one entry per output format.

* ``reporters.lint.LINT_REPORTERS``: findings (text, json, sarif, github, junit);
* ``reporters.review.REVIEW_REPORTERS``: the review of a change (md, html, json);
* ``reporters.invoices.INVOICE_FORMATS``: sample invoices (md, html, txt, json).

The CLI's ``--format`` choices are each registry's keys; adding a format is
adding an entry. Catalog text is made safe for where it goes in one place,
``reporters.escaping``.
"""
