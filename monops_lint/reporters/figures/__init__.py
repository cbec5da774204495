"""Reporters of the customer base's figures: ``monops impact`` and ``monops metrics`` in
every format, and the impact section ``monops diff --customers`` adds."""

from __future__ import annotations

from collections.abc import Callable

from monops_lint.figures.results import Impact, Metrics
from monops_lint.reporters.figures.impact import (
    impact_html,
    impact_json,
    impact_markdown,
    impact_section_html,
    impact_section_md,
)
from monops_lint.reporters.figures.metrics import (
    metrics_csv,
    metrics_html,
    metrics_json,
    metrics_markdown,
    metrics_text,
)

IMPACT_REPORTERS: dict[str, Callable[..., str]] = {
    "md": lambda result, show_customers=False: impact_markdown(result),  # never an id
    "html": impact_html,
    "json": impact_json,
}
METRICS_REPORTERS: dict[str, Callable[[Metrics], str]] = {
    "text": metrics_text, "md": metrics_markdown, "html": metrics_html, "json": metrics_json,
    "csv": metrics_csv,
}
IMPACT_FORMATS = tuple(IMPACT_REPORTERS)
METRICS_FORMATS = tuple(METRICS_REPORTERS)


def render_impact(result: Impact, fmt: str, *, show_customers: bool = False) -> str:
    """``monops impact --format fmt``."""
    return IMPACT_REPORTERS[fmt](result, show_customers=show_customers)


def render_metrics(result: Metrics, fmt: str) -> str:
    """``monops metrics --format fmt``."""
    return METRICS_REPORTERS[fmt](result)


__all__ = ["IMPACT_FORMATS", "METRICS_FORMATS", "impact_section_html", "impact_section_md",
           "render_impact", "render_metrics"]
