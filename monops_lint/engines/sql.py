"""The invoice of every customer, channel and currency, in SQL: written once for DuckDB and
Spark (``dialect``), exact to the minor unit (SPEC section 9, the exactness contract).

The statements create views over the customer base (``raw_*``: every
column as text, with a row number) and the compiled catalog (``c_*``,
``compiled``): the rows checked for bad data, the subscriptions the period
bills, the version, days and phases of each, every invoice line as an exact
fraction rounded once, the minimum's true-up, the promotion's discount, and
the invoices with their tax. Each step mirrors the reference engine
(``monops_lint.pricing``); docs/pricing.md is the contract of both.
"""

from __future__ import annotations

import datetime as dt

from monops_lint.engines.compiled import EVERGREEN
from monops_lint.engines.sql_checks import RowChecks
from monops_lint.engines.sqltext import prefixed

SHOWN_ROWS = 5
"""How many row numbers a problem lists."""


class PricingSQL(RowChecks):
    """The pricing of one period of a customer base against one compiled catalog."""

    # --- the statements -----------------------------------------------------------------

    def statements(self) -> list[str]:
        """Every CREATE VIEW, in order; the catalog's tables and the views are named with
        ``prefix`` (``base_``, ``head_``) so that two catalogs price one base side by
        side."""
        return [prefixed(statement, self.prefix) for statement in self._statements()]

    def _statements(self) -> list[str]:
        return [self.customers(), self.subscriptions(), self.usage(), self.billed(),
                self.versioned(), *self.phased(), self.segments(), self.usage_totals(),
                self.lines(), self.tier_parts(), self.fees(), self.priced_lines(),
                self.subscription_totals(), self.invoice_errors(), self.invoices(),
                self.problems()]

    def versioned(self, source: str = "m_billed", name: str = "m_versioned",
                  day: dt.date | None = None) -> str:
        """Each subscription's version on ``day`` (default: the period's start): of the
        versions that have taken effect for its customer's bucket by then, the latest
        (``Plan.version_on``)."""
        p0 = self.lit_date(day or self.period.start)
        share = "w.share"
        bucket = f"CAST(b.bucket AS BIGINT) * {10 ** (self.c.scales.share - 2)}"
        return f"""CREATE OR REPLACE VIEW {name} AS
            WITH dated AS (
                SELECT b.subscription_id, v.version_no, v.effective_from, v.phases,
                       CASE WHEN v.rolled_out THEN MIN(w.wave_from) ELSE v.effective_from END
                           AS effective
                FROM {source} b
                JOIN c_versions v ON v.plan = b.plan
                LEFT JOIN c_waves w ON w.plan = v.plan AND w.version_no = v.version_no
                    AND {share} > {bucket}
                GROUP BY b.subscription_id, v.version_no, v.effective_from, v.phases,
                         v.rolled_out),
            chosen AS (
                SELECT subscription_id, version_no, phases,
                       ROW_NUMBER() OVER (PARTITION BY subscription_id
                                          ORDER BY effective_from DESC) AS pick
                FROM dated WHERE effective IS NOT NULL AND effective <= {p0})
            SELECT b.*, c.version_no, COALESCE(c.phases, 0) AS phases,
                   CASE
                       WHEN c.version_no IS NULL
                           THEN 'no version of the plan in effect on the period start'
                       WHEN pr.plan IS NULL THEN 'no price in the invoice currency'
                       WHEN NOT b.free AND mn.any_min AND m.plan IS NULL
                           THEN 'no price in the invoice currency'
                   END AS pricing_problem
            FROM {source} b
            LEFT JOIN (SELECT * FROM chosen WHERE pick = 1) c
                ON c.subscription_id = b.subscription_id
            LEFT JOIN c_priced pr ON pr.plan = b.plan AND pr.version_no = c.version_no
                AND pr.channel = b.price_key AND pr.currency = b.currency
            LEFT JOIN (SELECT plan, TRUE AS any_min FROM c_minimum GROUP BY plan) mn
                ON mn.plan = b.plan
            LEFT JOIN c_minimum m ON m.plan = b.plan AND m.currency = b.currency"""

    def phased(self, source: str = "m_versioned", name: str = "m_days") -> list[str]:
        """The days of each subscription in the period and, layer by layer, the first day
        of each introductory phase (``pricing.periods.segments``): views ``name_0`` to
        ``name_M``."""
        d = self.d
        p0, p1 = self.lit_date(self.period.start), self.lit_date(self.period.end)
        active_from = f"GREATEST(v.start_day, {p0})"
        active_until = f"LEAST(COALESCE(v.end_day, {p1}), {p1})"
        last_trial = d.add_days("v.start_day", "v.trial_days - 1")
        in_trial = (f"CASE WHEN v.trial_days > 0 THEN GREATEST(0, "
                    f"{d.days_between(active_from, f'LEAST({active_until}, {last_trial})')} + 1)"
                    " ELSE 0 END")
        first = f"""CREATE OR REPLACE VIEW {name}_0 AS
            SELECT v.*, {active_from} AS active_from, {active_until} AS active_until,
                   {d.days_between(active_from, active_until)} + 1 AS active_days,
                   {in_trial} AS trial_in_period,
                   v.start_day >= {p0} AS new_sub,
                   {d.add_days('v.start_day', 'v.trial_days')} AS b_0
            FROM {source} v WHERE v.pricing_problem IS NULL"""
        views = [first]
        for i in range(1, self.c.max_phases + 1):
            prev = f"b_{i - 1}"
            moved = (f"CASE WHEN ph.months > 0 THEN {d.add_months(f'x.{prev}', 'ph.months')} "
                     f"ELSE {d.add_days(f'x.{prev}', 'ph.days')} END")
            views.append(f"""CREATE OR REPLACE VIEW {name}_{i} AS
                SELECT x.*, CASE WHEN x.phases >= {i} THEN {moved} END AS b_{i}
                FROM {name}_{i - 1} x
                LEFT JOIN c_phases ph ON ph.plan = x.plan AND ph.version_no = x.version_no
                    AND ph.phase_no = {i}""")
        return views

    def segments(self) -> str:
        """One row per part of the period under one set of charges (a phase, or the
        version's own charges), with its paid days and what it bills."""
        d, m = self.d, self.c.max_phases
        x = f"m_days_{m}"
        usage_at = "GREATEST(x.active_until, x.b_0)"

        def paid(begin: str, end: str | None) -> str:
            low = f"GREATEST({begin}, x.active_from)"
            high = "x.active_until" if end is None else \
                f"LEAST({d.add_days(end, '-1')}, x.active_until)"
            return f"GREATEST(0, {d.days_between(low, high)} + 1)"

        def bills_usage(begin: str, end: str | None) -> str:
            return f"({begin} <= {usage_at}" + (f" AND {usage_at} < {end})" if end else ")")

        paid_days = "x.active_days - x.trial_in_period"
        parts = [f"""SELECT x.*, {EVERGREEN} AS segment, {paid_days} AS seg_paid,
                     x.new_sub AS seg_one_time, TRUE AS seg_usage
                 FROM {x} x WHERE x.phases = 0"""]
        for i in range(1, m + 1):
            begin, end = f"x.b_{i - 1}", f"x.b_{i}"
            one_time = "x.new_sub" if i == 1 else \
                f"(x.active_from <= {begin} AND {begin} <= x.active_until)"
            parts.append(f"""SELECT x.*, {i} AS segment, {paid(begin, end)} AS seg_paid,
                             {one_time} AS seg_one_time, {bills_usage(begin, end)} AS seg_usage
                         FROM {x} x WHERE x.phases >= {i}""")
        for n in range(1, m + 1):
            begin = f"x.b_{n}"
            parts.append(f"""SELECT x.*, {EVERGREEN} AS segment, {paid(begin, None)} AS seg_paid,
                             (x.active_from <= {begin} AND {begin} <= x.active_until)
                                 AS seg_one_time, {bills_usage(begin, None)} AS seg_usage
                         FROM {x} x WHERE x.phases = {n}""")
        union = "\nUNION ALL\n".join(parts)
        return f"""CREATE OR REPLACE VIEW m_segments AS
            SELECT * FROM ({union}) s
            WHERE s.phases = 0 OR s.seg_paid > 0 OR s.seg_usage OR s.seg_one_time"""

    def usage_totals(self) -> str:
        return f"""CREATE OR REPLACE VIEW m_usage_totals AS
            SELECT subscription_id, metric, SUM({self.scaled('q_text', 6)}) AS used_u
            FROM m_usage WHERE problem IS NULL GROUP BY subscription_id, metric"""

    def lines(self) -> str:
        """Every charge line of every segment, with its billable quantity as a fraction
        ``qn / qd`` in units of 10^-6 (``pricing.lines``)."""
        d = self.d
        trial = "s.trial_in_period > 0"
        paid, active = (f"CASE WHEN {trial} THEN s.active_days - s.trial_in_period ELSE 1 END",
                        f"CASE WHEN {trial} THEN s.active_days ELSE 1 END")
        used = f"COALESCE(ut.used_u, {d.int('0')})"
        usage_q = f"GREATEST({d.int('0')}, {used} * ({paid}) - c.included * ({active}))"
        return f"""CREATE OR REPLACE VIEW m_lines AS
            SELECT s.subscription_id, s.customer_id, s.channel, s.currency, s.plan,
                   s.version_no, s.price_key,
                   s.segment, s.seg_paid, s.seg_one_time, s.free, s.row_no,
                   c.charge_no, c.charge_id, c.type, c.model, c.metric, c.package_size,
                   c.round_down, c.rate, m.amount, m.unit_amount, m.fixed, m.min_fee,
                   m.max_fee, cur.digits,
                   CASE WHEN c.metric = '' THEN s.quantity_u ELSE {usage_q} END AS qn,
                   CASE WHEN c.metric = '' THEN {d.int('1')} ELSE {d.int(active)} END AS qd,
                   {d.int(paid)} AS usage_paid, {d.int(active)} AS usage_active
            FROM m_segments s
            JOIN c_charges c ON c.plan = s.plan AND c.version_no = s.version_no
                AND c.segment = s.segment AND c.channel = s.price_key
            LEFT JOIN c_money m ON m.plan = c.plan AND m.version_no = c.version_no
                AND m.segment = c.segment AND m.channel = c.channel
                AND m.charge_no = c.charge_no AND m.currency = s.currency
            JOIN c_currencies cur ON cur.currency = s.currency
            LEFT JOIN m_usage_totals ut ON ut.subscription_id = s.subscription_id
                AND ut.metric = c.metric
            WHERE c.metric = '' OR s.seg_usage"""

    def tier_parts(self, lines: str = "m_lines", name: str = "m_tier_parts") -> str:
        """The tiered value of every tiered line: graduated (and tapered) sums the tiers
        the quantity reaches; volume prices all of it at the tier that holds it."""
        d, q = self.d, self.c.scales.quantity
        one_q = self.pow10(q)
        bound = "(t.up_to * l.qd)"
        start = "(t.above * l.qd)"
        units = f"(LEAST(l.qn, COALESCE({bound}, l.qn)) - {start})"
        graduated = f"SUM(CASE WHEN l.qn > {start} THEN {units} * t.unit_amount + " \
                    f"t.flat_amount * {one_q} * l.qd ELSE {d.int('0')} END)"
        volume_tier = f"MIN(CASE WHEN t.up_to IS NULL OR l.qn <= {bound} THEN t.tier_no END)"
        beyond = f"MAX(CASE WHEN t.last AND t.up_to IS NOT NULL AND l.qn > {bound} " \
                 "THEN 1 ELSE 0 END)"
        return f"""CREATE OR REPLACE VIEW {name} AS
            SELECT l.subscription_id, l.segment, l.charge_no,
                   {graduated} AS graduated_num, {volume_tier} AS volume_tier,
                   {beyond} AS beyond_last
            FROM {lines} l
            JOIN c_tiers t ON t.plan = l.plan AND t.version_no = l.version_no
                AND t.segment = l.segment AND t.channel = l.price_key
                AND t.charge_no = l.charge_no AND t.currency = l.currency
            WHERE l.model IN ('volume', 'graduated', 'tapered')
            GROUP BY l.subscription_id, l.segment, l.charge_no"""

    def fees(self) -> str:
        """The fee of every transaction of every percentage line, as a numerator over
        ``100 × 10^(6 + rate + price)``: ``amount × rate / 100 + fixed``, clamped."""
        d, s = self.d, self.c.scales
        to_fee = f"{self.pow10(s.quantity + s.rate)} * 100"
        fee = (f"({self.scaled('u.q_text', 6)} * l.rate * {self.pow10(s.price)}"
               f" + COALESCE(l.fixed, {d.int('0')}) * {to_fee})")
        low = (f"CASE WHEN l.min_fee IS NULL THEN {fee} "
               f"ELSE GREATEST({fee}, l.min_fee * {to_fee}) END")
        clamped = (f"CASE WHEN l.max_fee IS NULL THEN {low} "
                   f"ELSE LEAST({low}, l.max_fee * {to_fee}) END")
        return f"""CREATE OR REPLACE VIEW m_fees AS
            SELECT l.subscription_id, l.segment, l.charge_no, SUM({clamped}) AS fees
            FROM m_lines l
            JOIN m_usage u ON u.subscription_id = l.subscription_id AND u.metric = l.metric
                AND u.problem IS NULL
            WHERE l.model = 'percentage'
            GROUP BY l.subscription_id, l.segment, l.charge_no"""

    def priced_lines(self, lines: str = "m_lines", tiers: str = "m_tier_parts",
                     fees: str = "m_fees", name: str = "m_priced_lines") -> str:
        """Every line's exact value ``vn / vd`` and its amount rounded to the currency's
        minor unit (each line rounded once, as the reference engine does)."""
        d, s = self.d, self.c.scales
        zero = d.int("0")
        price = self.pow10(s.price)
        qp = self.pow10(s.quantity + s.price)
        one_q = self.pow10(s.quantity)
        fee_den = f"({self.pow10(s.quantity + s.rate + s.price)} * 100)"
        packages = (f"CASE WHEN l.round_down THEN {d.quotient('l.qn', 'l.package_size * l.qd')}"
                    f" ELSE {d.ceil_div('l.qn', 'l.package_size * l.qd')} END")
        numerator = f"""CASE l.model
            WHEN 'flat' THEN CASE WHEN l.type = 'usage' AND l.qn = 0 THEN {zero}
                                  ELSE COALESCE(l.amount, {zero}) END
            WHEN 'per_unit' THEN l.qn * COALESCE(l.unit_amount, {zero})
            WHEN 'package' THEN {packages} * COALESCE(l.amount, {zero})
            WHEN 'volume' THEN CASE WHEN l.qn = 0 THEN {zero}
                ELSE l.qn * COALESCE(vt.unit_amount, {zero})
                     + COALESCE(vt.flat_amount, {zero}) * {one_q} * l.qd END
            WHEN 'percentage' THEN COALESCE(f.fees, {zero}) * l.usage_paid
            ELSE COALESCE(tp.graduated_num, {zero}) END"""
        denominator = f"""CASE l.model
            WHEN 'flat' THEN {price} WHEN 'package' THEN {price}
            WHEN 'percentage' THEN {fee_den} * l.usage_active
            ELSE {qp} * l.qd END"""
        recurring = "l.model <> 'percentage' AND l.type = 'recurring'"
        prorated = f"{recurring} AND l.seg_paid < {self.period.days}"
        vn = f"""CASE WHEN l.free THEN {zero}
            WHEN l.type = 'one_time' AND l.model <> 'percentage' AND NOT l.seg_one_time
                THEN {zero}
            WHEN {prorated} THEN ({numerator}) * l.seg_paid
            ELSE ({numerator}) END"""
        vd = f"CASE WHEN {prorated} THEN ({denominator}) * {self.period.days} " \
             f"ELSE ({denominator}) END"
        amount = d.round_div(f"v.vn * {self.pow10('v.digits')}", "v.vd", self.c.rounding)
        # The exact value first, then its rounding: each expression is written once.
        return f"""CREATE OR REPLACE VIEW {name} AS
            WITH v AS (
                SELECT l.*, {vn} AS vn, {vd} AS vd,
                       CASE WHEN l.model IN ('volume', 'graduated', 'tapered')
                            AND COALESCE(tp.beyond_last, 0) = 1 AND NOT l.free THEN 1 ELSE 0
                       END AS beyond_last
                FROM {lines} l
                LEFT JOIN {tiers} tp ON tp.subscription_id = l.subscription_id
                    AND tp.segment = l.segment AND tp.charge_no = l.charge_no
                LEFT JOIN c_tiers vt ON l.model = 'volume' AND vt.plan = l.plan
                    AND vt.version_no = l.version_no AND vt.segment = l.segment
                    AND vt.channel = l.price_key AND vt.charge_no = l.charge_no
                    AND vt.currency = l.currency AND vt.tier_no = tp.volume_tier
                LEFT JOIN {fees} f ON f.subscription_id = l.subscription_id
                    AND f.segment = l.segment AND f.charge_no = l.charge_no)
            SELECT v.*, {amount} AS amount_minor FROM v"""

    def subscription_totals(self) -> str:
        """Each subscription's charge lines, its true-up to the minimum and its promotion's
        discount (``pricing.invoice``)."""
        d, s = self.d, self.c.scales
        zero = d.int("0")
        p0 = self.lit_date(self.period.start)
        share_num = f"CASE WHEN x.paid_days < {self.period.days} THEN x.paid_days ELSE 1 END"
        share_den = f"CASE WHEN x.paid_days < {self.period.days} THEN {self.period.days} " \
                    "ELSE 1 END"
        minimum = d.round_div(f"m.minimum * {d.int(share_num)} * {self.pow10('x.digits')}",
                              f"{self.pow10(s.price)} * {d.int(share_den)}", self.c.rounding)
        true_up = f"""CASE WHEN x.free OR m.minimum IS NULL OR x.charged >= {minimum}
            THEN {zero} ELSE {minimum} - x.charged END"""
        passed = d.quotient(self.months_between("x.start_day", p0), "GREATEST(x.months, 1)")
        periods = "CASE WHEN x.months = 0 THEN 0 ELSE " + passed + " END"
        applies = f"""(x.promotion IS NOT NULL AND pc.promotion IS NOT NULL
            AND pp.promotion IS NOT NULL AND pr.valid_from <= {p0} AND {p0} <= pr.valid_until
            AND (pr.duration IS NULL OR {periods} < pr.duration))"""
        total = "(x.charged + t.true_up)"
        hundred = f"{self.pow10(s.percent)} * 100"
        off_percent = d.round_div(
            f"LEAST({total} * pr.percent_off, GREATEST({total}, {zero}) * {hundred})",
            hundred, self.c.rounding)
        amount_off = f"pa.amount_off * {self.pow10('x.digits')}"
        off_amount = f"""CASE WHEN {amount_off} <= GREATEST({total}, {zero}) * {self.pow10(s.price)}
            THEN {d.round_div(amount_off, self.pow10(s.price), self.c.rounding)}
            ELSE GREATEST({total}, {zero}) END"""
        return f"""CREATE OR REPLACE VIEW m_subscription_totals AS
            WITH charged AS (
                SELECT subscription_id, SUM(amount_minor) AS charged,
                       MAX(beyond_last) AS beyond_last
                FROM m_priced_lines GROUP BY subscription_id),
            subs AS (
                SELECT v.*, COALESCE(c.charged, {zero}) AS charged,
                       COALESCE(c.beyond_last, 0) AS beyond_last, cur.digits,
                       v.active_days - v.trial_in_period AS paid_days
                FROM m_days_0 v
                JOIN c_currencies cur ON cur.currency = v.currency
                LEFT JOIN charged c ON c.subscription_id = v.subscription_id),
            trued AS (
                SELECT x.subscription_id, {true_up} AS true_up
                FROM subs x
                LEFT JOIN c_minimum m ON m.plan = x.plan AND m.currency = x.currency)
            SELECT x.*, t.true_up, {applies} AS promoted, pr.campaign,
                   CASE WHEN NOT {applies} THEN {zero}
                        WHEN pr.percent_off IS NOT NULL THEN {off_percent}
                        WHEN pa.amount_off IS NOT NULL THEN {off_amount} END AS discount,
                   CASE WHEN {applies} AND pr.percent_off IS NULL AND pa.amount_off IS NULL
                        THEN 1 ELSE 0 END AS promotion_unpriced
            FROM subs x
            JOIN trued t ON t.subscription_id = x.subscription_id
            LEFT JOIN c_promotions pr ON pr.promotion = x.promotion
            LEFT JOIN c_promo_channels pc ON pc.promotion = x.promotion
                AND pc.channel = x.channel
            LEFT JOIN c_promo_plans pp ON pp.promotion = x.promotion AND pp.plan = x.plan
            LEFT JOIN c_promo_amounts pa ON pa.promotion = x.promotion
                AND pa.currency = x.currency"""

    def invoice_errors(self) -> str:
        """Invoices that cannot be priced (the reference engine raises for them), with why:
        every subscription of such an invoice is left out."""
        return """CREATE OR REPLACE VIEW m_invoice_errors AS
            SELECT customer_id, channel, currency, MIN(reason) AS reason
            FROM (
                SELECT customer_id, channel, currency, pricing_problem AS reason
                FROM m_versioned WHERE pricing_problem IS NOT NULL
                UNION ALL
                SELECT customer_id, channel, currency,
                       'usage above the plan''s last tier' AS reason
                FROM m_subscription_totals WHERE beyond_last = 1
                UNION ALL
                SELECT customer_id, channel, currency,
                       'a promotion without an amount in the invoice currency' AS reason
                FROM m_subscription_totals WHERE promotion_unpriced = 1
            ) e
            GROUP BY customer_id, channel, currency"""

    def invoices(self) -> str:
        """One invoice per customer, channel and currency: subtotal, tax (rounded once per
        invoice) and total, in minor units."""
        d, s = self.d, self.c.scales
        hundred = f"{self.pow10(s.tax)} * 100"
        inclusive = d.round_div("i.subtotal * i.tax_u", f"{hundred} + i.tax_u", self.c.rounding)
        exclusive = d.round_div("i.subtotal * i.tax_u", hundred, self.c.rounding)
        return f"""CREATE OR REPLACE VIEW m_invoices AS
            WITH i AS (
                SELECT t.customer_id, t.channel, t.currency, MIN(t.digits) AS digits,
                       SUM(t.charged + t.true_up - t.discount) AS subtotal,
                       MIN(t.tax_u) AS tax_u, BOOL_AND(t.tax_inclusive) AS tax_inclusive,
                       MIN(t.country) AS country, MIN(t.customer_segment) AS customer_segment,
                       MIN(t.bill_cycle_day) AS invoice_day
                FROM m_subscription_totals t
                LEFT JOIN m_invoice_errors e ON e.customer_id = t.customer_id
                    AND e.channel = t.channel AND e.currency = t.currency
                WHERE e.customer_id IS NULL
                GROUP BY t.customer_id, t.channel, t.currency)
            SELECT i.*, CASE WHEN i.tax_inclusive THEN {inclusive} ELSE {exclusive} END AS tax,
                   i.subtotal + CASE WHEN i.tax_inclusive THEN {d.int('0')}
                                     ELSE {exclusive} END AS total
            FROM i"""

    def problems(self) -> str:
        """Every kind of bad data, with how many rows and the first few row numbers."""
        invoice_rows = """SELECT e.reason AS problem, v.row_no
            FROM m_invoice_errors e
            JOIN m_versioned v ON v.customer_id = e.customer_id AND v.channel = e.channel
                AND v.currency = e.currency"""
        union = f"""SELECT problem, row_no FROM m_customers WHERE problem IS NOT NULL
            UNION ALL SELECT problem, row_no FROM m_subscriptions WHERE problem IS NOT NULL
            UNION ALL SELECT problem, row_no FROM m_usage WHERE problem IS NOT NULL
            UNION ALL {invoice_rows}"""
        return f"""CREATE OR REPLACE VIEW m_problems AS
            SELECT problem, row_no,
                   COUNT(*) OVER (PARTITION BY problem) AS count,
                   ROW_NUMBER() OVER (PARTITION BY problem ORDER BY row_no) AS rank
            FROM ({union}) p"""
