"""What the figures read besides the invoices (SPEC section 9): each subscription's share of
its invoice's net revenue, the cost of what it bills, and its MRR.

* **Net** of a subscription: its lines (charges, true-up, discount); in a
  tax-inclusive channel less the tax they include, rounded to the minor
  unit (so the parts of an invoice may differ from its net by a minor unit).
* **Cost**: the product's ``cost`` (per unit, and per month for what a
  subscription pays by the period) times the units each line bills: the
  quantity for each month of the billing period a recurring line bills
  (pro-rated as it is), the quantity once for a one-time charge, the billable
  units of a metered usage charge; nothing for flat usage fees and
  percentage fees, nor where the product has no cost in the currency. Kept
  at 10^-18 of the currency, summed exactly.
* **MRR**: for each subscription active on the period's last day and past
  its trial, its recurring charges for a whole billing period at the
  version (and phase) in effect that day, no proration, less a promotion
  still running that day, less the tax a tax-inclusive price includes;
  divided by the months of the billing period when the figures are made.
"""

from __future__ import annotations

from monops_lint.engines.compiled import EVERGREEN
from monops_lint.engines.sql import PricingSQL
from monops_lint.engines.sqltext import prefixed, text

COST_SCALE = 18


class OutputSQL(PricingSQL):
    """The pricing views, and the views the figures read."""

    def statements(self) -> list[str]:
        """The pricing views, then ``m_subscription_net``, ``m_costs`` and ``m_mrr``."""
        outputs = [self.subscription_net(), self.costs(), self.mrr_base(),
                   self.versioned("m_mrr_base", "m_mrr_versioned", self.period.end),
                   *self.phased("m_mrr_versioned", "m_mrr_days"), self.mrr_lines(),
                   self.tier_parts("m_mrr_lines", "m_mrr_tier_parts"),
                   self.priced_lines("m_mrr_lines", "m_mrr_tier_parts", "m_fees",
                                     "m_mrr_priced"), self.mrr()]
        return [*super().statements(), *(prefixed(s, self.prefix) for s in outputs)]

    def included_tax(self, amount: str, row: str = "x") -> str:
        """The tax a tax-inclusive ``amount`` (minor units) holds, at ``row.tax_u``."""
        hundred = f"{self.pow10(self.c.scales.tax)} * 100"
        return self.d.round_div(f"{amount} * {row}.tax_u", f"{hundred} + {row}.tax_u",
                                self.c.rounding)

    def subscription_net(self) -> str:
        gross = "(x.charged + x.true_up - x.discount)"
        net = f"CASE WHEN x.tax_inclusive THEN {gross} - {self.included_tax(gross)} " \
              f"ELSE {gross} END"
        return f"""CREATE OR REPLACE VIEW m_subscription_net AS
            SELECT x.subscription_id, x.customer_id, x.channel, x.currency, x.digits, x.plan,
                   x.category, x.product, COALESCE(pr.campaign, '') AS campaign,
                   x.country, x.customer_segment, x.quantity_u, {gross} AS gross,
                   {net} AS net
            FROM m_subscription_totals x
            JOIN m_invoices i ON i.customer_id = x.customer_id AND i.channel = x.channel
                AND i.currency = x.currency
            LEFT JOIN c_promotions pr ON pr.promotion = x.promotion"""

    def costs(self) -> str:
        d, s = self.d, self.c.scales
        # cost × quantity × 10^COST_SCALE / (10^(price + quantity) × ...): the powers of ten
        # are cancelled before multiplying, so that a catalog priced to many decimals does
        # not overflow the 38 digits of the integers (same rational, same rounding).
        shift = COST_SCALE - s.price - s.quantity
        up = self.pow10(max(shift, 0))
        down = self.pow10(max(-shift, 0))
        recurring = (f"k.cost * l.quantity_u * l.seg_paid * p.months * {up}",
                     f"{down} * {self.period.days}")
        one_time = (f"k.cost * l.quantity_u * {up}", down)
        usage = (f"k.cost * l.qn * {up}", f"{down} * l.qd")
        metered = "l.model IN ('per_unit', 'package', 'volume', 'graduated', 'tapered')"
        numerator = f"""CASE
            WHEN l.type = 'recurring' AND l.model <> 'percentage' THEN {recurring[0]}
            WHEN l.type = 'one_time' AND l.seg_one_time THEN {one_time[0]}
            WHEN l.type = 'usage' AND {metered} THEN {usage[0]}
            ELSE {d.int('0')} END"""
        denominator = f"""CASE
            WHEN l.type = 'recurring' AND l.model <> 'percentage' THEN {recurring[1]}
            WHEN l.type = 'one_time' AND l.seg_one_time THEN {one_time[1]}
            WHEN l.type = 'usage' AND {metered} THEN {usage[1]}
            ELSE {d.int('1')} END"""
        cost = d.round_div("c.num", "c.den", "half_even")
        return f"""CREATE OR REPLACE VIEW m_costs AS
            SELECT c.subscription_id, SUM({cost}) AS cost_e18
            FROM (SELECT l.subscription_id, {d.int(numerator)} AS num,
                         {d.int(denominator)} AS den
                  FROM (SELECT pl.*, b.quantity_u FROM m_priced_lines pl
                        JOIN m_billed b ON b.subscription_id = pl.subscription_id) l
                  JOIN c_plans p ON p.plan = l.plan
                  JOIN c_costs k ON k.product = p.product AND k.currency = l.currency) c
            GROUP BY c.subscription_id"""

    def mrr_base(self) -> str:
        """Valid subscriptions active on the period's last day, past their trial."""
        d = self.d
        p1 = self.lit_date(self.period.end)
        start, end = d.date("s.start_text"), d.date("s.end_text")
        tax = f"COALESCE({self.scaled('s.tax_text', self.c.scales.tax)}, {d.int('0')})"
        return f"""CREATE OR REPLACE VIEW m_mrr_base AS
            SELECT s.row_no, s.subscription_id, s.customer_id, s.channel, s.currency, s.plan,
                   s.promotion, {self.scaled('s.q_text', 6)} AS quantity_u,
                   {start} AS start_day, {end} AS end_day, s.country, s.customer_segment,
                   {tax} AS tax_u, {d.bucket('s.customer_id')} AS bucket,
                   p.billing_period, p.months, p.trial_days, p.free, p.category, p.product,
                   CASE WHEN o.plan IS NULL THEN {text('')} ELSE s.channel END AS price_key,
                   ch.tax_inclusive
            FROM m_subscriptions s
            JOIN c_plans p ON p.plan = s.plan
            JOIN c_channels ch ON ch.channel = s.channel
            LEFT JOIN c_override o ON o.plan = s.plan AND o.channel = s.channel
            WHERE s.problem IS NULL AND p.months > 0 AND {start} <= {p1}
                AND ({end} IS NULL OR {end} >= {p1})
                AND {d.add_days(start, 'p.trial_days')} <= {p1}"""

    def mrr_lines(self) -> str:
        """The recurring charges in effect on the period's last day, for a whole period."""
        m = self.c.max_phases
        p1 = self.lit_date(self.period.end)
        x = f"m_mrr_days_{m}"
        cases = [f"WHEN x.phases >= {i} AND x.b_{i - 1} <= {p1} AND {p1} < x.b_{i} THEN {i}"
                 for i in range(1, m + 1)]
        segment = f"CASE {' '.join(cases)} ELSE {EVERGREEN} END" if cases else str(EVERGREEN)
        one = self.d.int("1")
        return f"""CREATE OR REPLACE VIEW m_mrr_lines AS
            SELECT s.subscription_id, s.customer_id, s.channel, s.currency, s.plan,
                   s.version_no, s.price_key, s.segment, {self.period.days} AS seg_paid,
                   FALSE AS seg_one_time, s.free, s.row_no,
                   c.charge_no, c.charge_id, c.type, c.model, c.metric, c.package_size,
                   c.round_down, c.rate, m.amount, m.unit_amount, m.fixed, m.min_fee,
                   m.max_fee, cur.digits, s.quantity_u AS qn, {one} AS qd,
                   {one} AS usage_paid, {one} AS usage_active
            FROM (SELECT x.*, {segment} AS segment FROM {x} x) s
            JOIN c_charges c ON c.plan = s.plan AND c.version_no = s.version_no
                AND c.segment = s.segment AND c.channel = s.price_key
            LEFT JOIN c_money m ON m.plan = c.plan AND m.version_no = c.version_no
                AND m.segment = c.segment AND m.channel = c.channel
                AND m.charge_no = c.charge_no AND m.currency = s.currency
            JOIN c_currencies cur ON cur.currency = s.currency
            WHERE c.type = 'recurring' AND c.model <> 'percentage'"""

    def mrr(self) -> str:
        """Each subscription's recurring revenue for one billing period, net of a running
        promotion and of included tax, in minor units (``months`` to divide by)."""
        d, s = self.d, self.c.scales
        zero = d.int("0")
        p1 = self.lit_date(self.period.end)
        passed = d.quotient(self.months_between("x.start_day", p1), "GREATEST(x.months, 1)")
        applies = f"""(x.promotion IS NOT NULL AND pc.promotion IS NOT NULL
            AND pp.promotion IS NOT NULL AND pr.valid_from <= {p1} AND {p1} <= pr.valid_until
            AND (pr.duration IS NULL OR {passed} < pr.duration))"""
        total = "x.recurring"
        hundred = f"{self.pow10(s.percent)} * 100"
        off_percent = d.round_div(
            f"LEAST({total} * pr.percent_off, GREATEST({total}, {zero}) * {hundred})",
            hundred, self.c.rounding)
        amount_off = f"pa.amount_off * {self.pow10('x.digits')}"
        off_amount = f"""CASE WHEN {amount_off} <= GREATEST({total}, {zero}) * {self.pow10(s.price)}
            THEN {d.round_div(amount_off, self.pow10(s.price), self.c.rounding)}
            ELSE GREATEST({total}, {zero}) END"""
        discount = f"""CASE WHEN NOT {applies} THEN {zero}
            WHEN pr.percent_off IS NOT NULL THEN {off_percent}
            WHEN pa.amount_off IS NOT NULL THEN {off_amount} ELSE {zero} END"""
        # Layered (the amount after the discount, then its net) so that each step names the
        # one before: an expression repeated inside the rounding stays one column.
        net = f"CASE WHEN y.tax_inclusive THEN y.after - {self.included_tax('y.after', 'y')} " \
              "ELSE y.after END"
        return f"""CREATE OR REPLACE VIEW m_mrr AS
            WITH x AS (
                SELECT v.*, cur.digits, COALESCE(l.recurring, {zero}) AS recurring
                FROM m_mrr_versioned v
                JOIN c_currencies cur ON cur.currency = v.currency
                LEFT JOIN (SELECT subscription_id, SUM(amount_minor) AS recurring
                           FROM m_mrr_priced GROUP BY subscription_id) l
                    ON l.subscription_id = v.subscription_id
                WHERE v.pricing_problem IS NULL),
            y AS (
                SELECT x.*, COALESCE(pr.campaign, '') AS campaign,
                       {d.int(f"{total} - ({discount})")} AS after
                FROM x
                LEFT JOIN c_promotions pr ON pr.promotion = x.promotion
                LEFT JOIN c_promo_channels pc ON pc.promotion = x.promotion
                    AND pc.channel = x.channel
                LEFT JOIN c_promo_plans pp ON pp.promotion = x.promotion AND pp.plan = x.plan
                LEFT JOIN c_promo_amounts pa ON pa.promotion = x.promotion
                    AND pa.currency = x.currency)
            SELECT y.subscription_id, y.customer_id, y.channel, y.currency, y.digits, y.plan,
                   y.category, y.campaign, y.country, y.customer_segment, y.months,
                   {net} AS mrr_period
            FROM y"""
