"""A catalog with every pricing feature the engines must agree on: all seven models, tiers
with flat fees, included units, trials, minimums, one-time charges, free plans, monthly,
quarterly, yearly and one-time plans, introductory phases (months and days), a staged
rollout, channel overrides (percent and whole charges), a tax-inclusive channel,
promotions (percent with a duration, amount off), and currencies with 0, 2, 3 and 8 digits
(BTC declared in monops.yaml)."""

from __future__ import annotations

CONFIG = """\
paths: [catalog, pricing]
base_currency: USD
currencies: {BTC: {digits: 8}}
fx: {rates: {EUR: 0.92, JPY: 150, BHD: 0.376, BTC: 0.000025}, tolerance: 0.5}
rounding: {rounding}
"""

PRODUCTS = """\
kind: product
id: cloud
name: Cloud
category: infrastructure
unit: GB
cost: {USD: 0.004, EUR: 0.0037}
---
kind: product
id: seats
name: Seats
category: software
cost: {USD: 3.00}
---
kind: product
id: pay
name: Payments
category: fintech
"""

PLANS = """\
kind: plan
id: flat-monthly
name: Flat
product: seats
billing_period: month
trial_days: 10
minimum: {USD: 30.00, EUR: 28.00, JPY: 4500, BHD: 11.250, BTC: 0.00075}
versions:
  - effective_from: 2026-01-01
    charges:
      - {id: base, type: recurring, model: flat, amount: {USD: 19.99, EUR: 18.49, JPY: 2990, BHD: 7.515, BTC: 0.00049975}}
      - {id: seats, type: recurring, model: per_unit, unit_amount: {USD: 4.333, EUR: 3.997, JPY: 650, BHD: 1.6293, BTC: 0.000108325}}
      - {id: setup, type: one_time, model: flat, amount: {USD: 49.00, EUR: 45.00, JPY: 7350, BHD: 18.424, BTC: 0.001225}}
  - effective_from: 2027-04-01
    rollout:
      - {share: 10, from: 2027-04-01}
      - {share: 55.55, from: 2027-04-12}
      - {share: 100, from: 2027-05-01}
    charges:
      - {id: base, type: recurring, model: flat, amount: {USD: 21.49, EUR: 19.79, JPY: 3220, BHD: 8.080, BTC: 0.00053725}}
      - {id: seats, type: recurring, model: per_unit, unit_amount: {USD: 4.333, EUR: 3.997, JPY: 650, BHD: 1.6293, BTC: 0.000108325}}
      - {id: setup, type: one_time, model: flat, amount: {USD: 49.00, EUR: 45.00, JPY: 7350, BHD: 18.424, BTC: 0.001225}}
---
kind: plan
id: metered
name: Metered
product: cloud
billing_period: month
versions:
  - effective_from: 2026-01-01
    phases:
      - id: intro
        duration: {months: 2}
        charges:
          - {id: base, type: recurring, model: flat, amount: {USD: 2.50, EUR: 2.30, JPY: 375, BHD: 0.940, BTC: 0.0000625}}
          - id: gb
            type: usage
            metric: gb
            model: per_unit
            unit_amount: {USD: 0.0123, EUR: 0.0111, JPY: 2, BHD: 0.00463, BTC: 0.0000003075}
      - id: bridge
        duration: {days: 17}
        charges:
          - {id: base, type: recurring, model: flat, amount: {USD: 3.75, EUR: 3.45, JPY: 560, BHD: 1.410, BTC: 0.00009375}}
    charges:
      - {id: base, type: recurring, model: flat, amount: {USD: 4.99, EUR: 4.59, JPY: 750, BHD: 1.876, BTC: 0.00012475}}
      - id: gb
        type: usage
        metric: gb
        included: 100.5
        model: graduated
        tiers:
          - {up_to: 1000, unit_amount: {USD: 0.02, EUR: 0.018, JPY: 3, BHD: 0.0075, BTC: 0.0000005}, flat_amount: {USD: 1.00, EUR: 0.92, JPY: 150, BHD: 0.376, BTC: 0.000025}}
          - {up_to: 10000.25, unit_amount: {USD: 0.014, EUR: 0.013, JPY: 2, BHD: 0.0053, BTC: 0.00000035}}
          - {up_to: null, unit_amount: {USD: 0.007, EUR: 0.0065, JPY: 1, BHD: 0.0026, BTC: 0.000000175}, flat_amount: {USD: 5.00, EUR: 4.60, JPY: 750, BHD: 1.880, BTC: 0.000125}}
      - id: api
        type: usage
        metric: api_calls
        model: volume
        tiers:
          - {up_to: 10000, unit_amount: {USD: 0.0004, EUR: 0.00037, JPY: 0.06, BHD: 0.00015, BTC: 0.00000001}}
          - {up_to: 100000, unit_amount: {USD: 0.0003, EUR: 0.00028, JPY: 0.045, BHD: 0.000113, BTC: 0.0000000075}, flat_amount: {USD: 2.00, EUR: 1.84, JPY: 300, BHD: 0.752, BTC: 0.00005}}
          - {up_to: null, unit_amount: {USD: 0.0002, EUR: 0.000185, JPY: 0.03, BHD: 0.0000752, BTC: 0.000000005}}
      - id: egress
        type: usage
        metric: egress
        model: tapered
        tiers:
          - {up_to: 50, unit_amount: {USD: 0.09, EUR: 0.083, JPY: 13, BHD: 0.0338, BTC: 0.00000225}}
          - {up_to: null, unit_amount: {USD: 0.05, EUR: 0.046, JPY: 7, BHD: 0.0188, BTC: 0.00000125}}
      - id: packs
        type: usage
        metric: sms
        model: package
        package_size: 250
        amount: {USD: 2.00, EUR: 1.84, JPY: 300, BHD: 0.752, BTC: 0.00005}
      - id: bulk
        type: usage
        metric: bulk
        model: package
        package_size: 1000.5
        round: down
        amount: {USD: 7.00, EUR: 6.44, JPY: 1050, BHD: 2.632, BTC: 0.000175}
      - id: support
        type: usage
        metric: tickets
        model: flat
        amount: {USD: 15.00, EUR: 13.80, JPY: 2250, BHD: 5.640, BTC: 0.000375}
---
kind: plan
id: pay-as-you-go
name: Pay
product: pay
billing_period: month
versions:
  - effective_from: 2026-01-01
    charges:
      - {id: cards, type: usage, metric: cards, model: percentage, rate: 2.95, fixed: {USD: 0.30, EUR: 0.28, JPY: 45, BHD: 0.113, BTC: 0.0000075}, min: {USD: 0.50, EUR: 0.46, JPY: 75, BHD: 0.188, BTC: 0.0000125}, max: {USD: 15.00, EUR: 13.80, JPY: 2250, BHD: 5.640, BTC: 0.000375}}
      - {id: wires, type: usage, metric: wires, model: percentage, rate: 0.5}
---
kind: plan
id: annual
name: Annual
product: seats
billing_period: year
versions:
  - effective_from: 2026-01-01
    charges:
      - {id: base, type: recurring, model: per_unit, unit_amount: {USD: 215.88, EUR: 198.61, JPY: 32382, BHD: 81.171, BTC: 0.005397}}
---
kind: plan
id: quarterly
name: Quarterly
product: seats
billing_period: quarter
trial_days: 30
versions:
  - effective_from: 2026-01-01
    charges:
      - {id: base, type: recurring, model: flat, amount: {USD: 59.97, EUR: 55.17, JPY: 8995, BHD: 22.549, BTC: 0.00149925}}
---
kind: plan
id: device
name: Device
product: seats
billing_period: one_time
versions:
  - effective_from: 2026-01-01
    charges:
      - {id: device, type: one_time, model: flat, amount: {USD: 199.00, EUR: 183.00, JPY: 29850, BHD: 74.824, BTC: 0.004975}}
---
kind: plan
id: free
name: Free
product: cloud
billing_period: month
free: true
versions:
  - effective_from: 2026-01-01
    charges:
      - {id: base, type: recurring, model: flat, amount: {USD: 0.00}}
      - {id: gb, type: usage, metric: gb, model: per_unit, unit_amount: {USD: 0.00}}
"""

CHANNELS = """\
kind: channel
id: web
name: Web
currencies: [USD, EUR, JPY, BHD, BTC]
offerings:
  - plan: flat-monthly
  - plan: metered
  - plan: pay-as-you-go
  - plan: annual
  - plan: quarterly
  - plan: device
  - plan: free
---
kind: channel
id: retail
name: Retail
currencies: [EUR, JPY]
tax_inclusive: true
offerings:
  - plan: flat-monthly
    price_override: {reason: store margin, percent: 7.5}
  - plan: metered
    price_override: {reason: store margin, percent: -3.25}
  - plan: annual
  - plan: device
---
kind: channel
id: partner
name: Partner
currencies: [USD, EUR]
offerings:
  - plan: flat-monthly
    price_override:
      reason: partner price list
      charges:
        - {id: base, type: recurring, model: flat, amount: {USD: 15.00, EUR: 13.80}}
        - {id: seats, type: recurring, model: volume, tiers: [{up_to: 3, unit_amount: {USD: 5.00, EUR: 4.60}}, {up_to: null, unit_amount: {USD: 3.00, EUR: 2.76}, flat_amount: {USD: 1.00, EUR: 0.92}}]}
  - plan: pay-as-you-go
  - plan: quarterly
"""

PROMOTIONS = """\
kind: promotion
id: half-off
campaign: spring
channels: [web, retail, partner]
plans: [flat-monthly, metered, quarterly]
percent_off: 50
duration_periods: 2
valid_from: 2026-01-01
---
kind: promotion
id: five-off
campaign: loyalty
channels: [web, partner]
plans: [pay-as-you-go, metered, annual]
amount_off: {USD: 5.00, EUR: 4.60, JPY: 750, BHD: 1.881, BTC: 0.000125}
valid_from: 2026-01-01
---
kind: promotion
id: third-off
campaign: spring
channels: [retail, web]
plans: [annual, device, flat-monthly]
percent_off: 33.333
valid_from: 2026-06-01
valid_until: 2027-12-31
"""


def files(rounding: str = "half_up") -> dict[str, str]:
    """The catalog's files (``tests.conftest.write_catalog`` writes them) and its config."""
    return {"catalog/products.yaml": PRODUCTS, "pricing/plans.yaml": PLANS,
            "catalog/channels.yaml": CHANNELS, "catalog/promotions.yaml": PROMOTIONS}


def config(rounding: str = "half_up") -> str:
    """monops.yaml with the given rounding."""
    return CONFIG.replace("{rounding}", rounding)
