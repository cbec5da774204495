"""Review reporters: what a change does to the catalog and every sample invoice, in one
format each (``monops diff --format``)."""

from __future__ import annotations

from collections.abc import Callable

from monops_lint.diff.review import Review
from monops_lint.reporters.review.html import render_html
from monops_lint.reporters.review.json import render_json
from monops_lint.reporters.review.markdown import render_markdown

REVIEW_REPORTERS: dict[str, Callable[[Review], str]] = {
    "md": render_markdown,
    "html": render_html,
    "json": render_json,
}
"""Format name -> renderer; ``md`` is the pull-request comment, ``html`` the CI artifact."""

__all__ = ["REVIEW_REPORTERS"]
