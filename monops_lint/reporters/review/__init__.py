"""Review reporters: what a change does to the catalog and every sample invoice, in one
format each (``monops diff --format``)."""

from __future__ import annotations

import json
from collections.abc import Callable

from monops_lint.diff.review import Review
from monops_lint.figures.results import Impact
from monops_lint.figures.rollout import Rollout
from monops_lint.reporters.review.html import render_html
from monops_lint.reporters.review.json import render_json
from monops_lint.reporters.review.markdown import render_markdown

REVIEW_REPORTERS: dict[str, Callable[[Review], str]] = {
    "md": render_markdown,
    "html": render_html,
    "json": render_json,
}
"""Format name -> renderer; ``md`` is the pull-request comment, ``html`` the CI artifact."""



def render_review(review: Review, fmt: str, impact: Impact | None = None,
                  rollout: Rollout | None = None) -> str:
    """The review in ``fmt``; with ``impact`` and ``rollout`` (``diff --customers``), the
    "Impact on N customers" section and the rollout schedule too (never customer ids in
    ``md``: a pull-request comment)."""
    if impact is None:
        return REVIEW_REPORTERS[fmt](review)
    from monops_lint.reporters.figures import (
        impact_section_html,
        impact_section_md,
        render_impact,
    )
    from monops_lint.reporters.rollout import render_rollout, rollout_section_md

    planned = rollout is not None and bool(rollout.versions)
    if fmt == "md":
        sections = [impact_section_md(impact)]
        if planned:
            assert rollout is not None
            sections.append("\n".join(["### Rollout schedule", *rollout_section_md(rollout)]))
        return render_markdown(review, extra=tuple(sections))
    if fmt == "html":
        return render_html(review, extra=(impact_section_html(impact),))
    extra = {"impact": json.loads(render_impact(impact, "json"))}
    if rollout is not None:
        extra["rollout"] = json.loads(render_rollout(rollout, "json"))
    return render_json(review, extra=extra)


__all__ = ["REVIEW_REPORTERS", "render_review"]
