"""Review reporters: what a change does to the catalog and every sample invoice, in one
format each (``monops diff --format``)."""

from __future__ import annotations

import json
from collections.abc import Callable

from monops_lint.diff.review import Review
from monops_lint.figures.results import Impact
from monops_lint.reporters.review.html import render_html
from monops_lint.reporters.review.json import render_json
from monops_lint.reporters.review.markdown import render_markdown

REVIEW_REPORTERS: dict[str, Callable[[Review], str]] = {
    "md": render_markdown,
    "html": render_html,
    "json": render_json,
}
"""Format name -> renderer; ``md`` is the pull-request comment, ``html`` the CI artifact."""



def render_review(review: Review, fmt: str, impact: Impact | None = None) -> str:
    """The review in ``fmt``; with ``impact`` (``diff --customers``), its "Impact on N
    customers" section too (never customer ids in ``md``: a pull-request comment)."""
    if impact is None:
        return REVIEW_REPORTERS[fmt](review)
    from monops_lint.reporters.figures import (
        impact_section_html,
        impact_section_md,
        render_impact,
    )

    if fmt == "md":
        return render_markdown(review, extra=(impact_section_md(impact),))
    if fmt == "html":
        return render_html(review, extra=(impact_section_html(impact),))
    return render_json(review, extra={"impact": json.loads(render_impact(impact, "json"))})


__all__ = ["REVIEW_REPORTERS", "render_review"]
