"""``monops quote``: one plan priced for one billing period, after checking that the plan,
channel and usage metrics named on the command line exist."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from monops_lint.app.workspace import Workspace
from monops_lint.errors import MonopsError
from monops_lint.model import Usage
from monops_lint.pricing import PricingError, Quote, quote
from monops_lint.suggest import closest


def quote_plan(workspace: Workspace, plan: str, *, quantity: Decimal,
               usage: Mapping[str, Usage], currency: str | None, channel: str | None,
               on: dt.date, customer: str = "") -> Quote:
    """``plan``'s quote; a one-line ``MonopsError`` naming the closest plan, channel or
    metric when one does not exist."""
    catalog = workspace.catalog()
    if plan not in catalog.plans:
        raise MonopsError(f"unknown plan `{plan}`{closest(plan, list(catalog.plans))}")
    if channel is not None and channel not in catalog.channels:
        raise MonopsError(f"unknown channel `{channel}`{closest(channel, list(catalog.channels))}")
    metrics = sorted({metric for version in catalog.plans[plan].versions
                      for charge in version.all_charges() if (metric := charge.usage_metric)})
    for metric in usage:
        if metric not in metrics:
            raise MonopsError(f"--usage {metric}: plan {plan} has no usage metric `{metric}`"
                              f"{closest(metric, metrics)} (it meters: "
                              f"{', '.join(metrics) or 'nothing'})")
    if currency is None:
        currency = (catalog.channels[channel].currencies[0] if channel
                    else workspace.config.base_currency)
    try:
        return quote(plan, catalog, currency=currency.upper(), quantity=quantity, usage=usage,
                     channel=channel, on=on, rounding=workspace.config.rounding,
                     customer=customer)
    except PricingError as exc:
        raise MonopsError(str(exc)) from exc
