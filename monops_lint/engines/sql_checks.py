"""The customer base checked for bad data (SPEC section 9), and the subscriptions the
period bills: each row's first problem, or the row in the views that price it."""

from __future__ import annotations

from monops_lint.engines.compiled import CATALOG_PRICE
from monops_lint.engines.sqltext import DAY, DECIMAL, NEGATIVE, SQLText, text


class RowChecks(SQLText):
    """The views ``m_customers``, ``m_subscriptions``, ``m_usage`` and ``m_billed``."""

    def customers(self) -> str:
        tax = "NULLIF(TRIM(tax_rate), '')"
        problem = f"""CASE
            WHEN COUNT(*) OVER (PARTITION BY customer_id) > 1
                THEN 'customers: a duplicate customer_id'
            WHEN {tax} IS NOT NULL AND NOT {self.d.matches(tax, DECIMAL)}
                THEN 'customers: a tax_rate that is not a decimal'
            WHEN {tax} IS NOT NULL AND NOT {self.d.matches(tax, self.places(self.c.scales.tax))}
                THEN 'customers: a tax_rate with more than {self.c.scales.tax} decimals'
            END"""
        return f"""CREATE OR REPLACE VIEW m_customers AS
            SELECT row_no, customer_id, COALESCE(TRIM(country), '') AS country,
                   COALESCE(TRIM(segment), '') AS customer_segment, {tax} AS tax_text,
                   {problem} AS problem
            FROM raw_customers"""

    def subscriptions(self) -> str:
        d = self.d
        q = "COALESCE(NULLIF(TRIM(s.quantity), ''), '1')"
        start = "TRIM(s.start_day)"
        end = "NULLIF(TRIM(s.end_day), '')"
        bcd = "NULLIF(TRIM(s.bill_cycle_day), '')"
        promotion = "NULLIF(TRIM(s.promotion), '')"
        required = " OR ".join(f"COALESCE(TRIM(s.{c}), '') = ''" for c in (
            "subscription_id", "customer_id", "channel", "currency", "plan", "start_day"))
        bad_day = (f"NOT {d.matches(start, DAY)} OR {d.date(start)} IS NULL OR "
                   f"({end} IS NOT NULL AND (NOT {d.matches(end, DAY)} OR {d.date(end)} IS NULL))")
        problem = f"""CASE
            WHEN COUNT(*) OVER (PARTITION BY s.subscription_id) > 1
                THEN 'subscriptions: a duplicate subscription_id'
            WHEN {required} THEN 'subscriptions: a required field is empty'
            WHEN {bad_day} THEN 'subscriptions: a date that is not YYYY-MM-DD'
            WHEN {d.matches(q, NEGATIVE)} THEN 'subscriptions: a negative quantity'
            WHEN NOT {d.matches(q, DECIMAL)}
                OR ({bcd} IS NOT NULL AND NOT {d.matches(bcd, "[0-9]{1,2}")})
                THEN 'subscriptions: a number that is not a decimal'
            WHEN NOT {d.matches(q, self.places(6))}
                THEN 'subscriptions: a quantity with more than 6 decimals'
            WHEN {bcd} IS NOT NULL AND ({d.int(bcd)} < 1 OR {d.int(bcd)} > 31)
                THEN 'subscriptions: a bill_cycle_day outside 1-31'
            WHEN {end} IS NOT NULL AND {d.date(end)} < {d.date(start)}
                THEN 'subscriptions: an end before the start'
            WHEN ch.channel IS NULL THEN 'subscriptions: an unknown channel'
            WHEN p.plan IS NULL THEN 'subscriptions: an unknown plan'
            WHEN {promotion} IS NOT NULL AND pr.promotion IS NULL
                THEN 'subscriptions: an unknown promotion'
            WHEN cc.currency IS NULL THEN 'subscriptions: a currency the channel does not sell'
            WHEN cu.problem IS NOT NULL THEN 'subscriptions: a customer whose row is invalid'
            END"""
        return f"""CREATE OR REPLACE VIEW m_subscriptions AS
            SELECT s.row_no, s.subscription_id, s.customer_id, s.channel, s.currency, s.plan,
                   {promotion} AS promotion, {q} AS q_text, {start} AS start_text,
                   {end} AS end_text, {bcd} AS bcd_text,
                   COALESCE(cu.country, '') AS country,
                   COALESCE(cu.customer_segment, '') AS customer_segment,
                   cu.tax_text, {problem} AS problem
            FROM raw_subscriptions s
            LEFT JOIN c_channels ch ON ch.channel = s.channel
            LEFT JOIN c_plans p ON p.plan = s.plan
            LEFT JOIN c_promotions pr ON pr.promotion = {promotion}
            LEFT JOIN c_channel_currencies cc ON cc.channel = s.channel
                AND cc.currency = s.currency
            LEFT JOIN m_customers cu ON cu.customer_id = s.customer_id"""

    def usage(self) -> str:
        d = self.d
        q = "TRIM(u.quantity)"
        problem = f"""CASE
            WHEN s.subscription_id IS NULL THEN 'usage: a row for an unknown subscription_id'
            WHEN {d.matches(q, NEGATIVE)} THEN 'usage: a negative quantity'
            WHEN NOT {d.matches(q, DECIMAL)} THEN 'usage: a quantity that is not a decimal'
            WHEN NOT {d.matches(q, self.places(6))}
                THEN 'usage: a quantity with more than 6 decimals'
            END"""
        return f"""CREATE OR REPLACE VIEW m_usage AS
            SELECT u.row_no, u.subscription_id, TRIM(u.metric) AS metric, {q} AS q_text,
                   {problem} AS problem
            FROM raw_usage u
            LEFT JOIN (SELECT DISTINCT subscription_id FROM raw_subscriptions) s
                ON s.subscription_id = u.subscription_id"""

    def billed(self) -> str:
        """Valid subscriptions the period bills (SPEC section 9), with their customer."""
        d, p0, p1 = self.d, self.lit_date(self.period.start), self.lit_date(self.period.end)
        start, end = d.date("s.start_text"), d.date("s.end_text")
        months = "GREATEST(p.months, 1)"
        step = d.quotient(self.months_between(start, p1), months)
        renewal = d.add_months(start, f"{step} * {months}")
        bills = f"""CASE
            WHEN p.billing_period = 'one_time' THEN {start} >= {p0} AND {start} <= {p1}
            WHEN p.billing_period = 'month' THEN TRUE
            ELSE {renewal} >= {p0} END"""
        tax = f"COALESCE({self.scaled('s.tax_text', self.c.scales.tax)}, {d.int('0')})"
        return f"""CREATE OR REPLACE VIEW m_billed AS
            SELECT s.row_no, s.subscription_id, s.customer_id, s.channel, s.currency, s.plan,
                   s.promotion, {self.scaled('s.q_text', 6)} AS quantity_u,
                   {start} AS start_day, {end} AS end_day,
                   COALESCE(CAST(s.bcd_text AS INT), DAY({start})) AS bill_cycle_day,
                   s.country, s.customer_segment, {tax} AS tax_u,
                   {d.bucket('s.customer_id')} AS bucket,
                   p.billing_period, p.months, p.trial_days, p.free, p.category, p.product,
                   CASE WHEN o.plan IS NULL THEN {text(CATALOG_PRICE)} ELSE s.channel END
                       AS price_key, ch.tax_inclusive
            FROM m_subscriptions s
            JOIN c_plans p ON p.plan = s.plan
            JOIN c_channels ch ON ch.channel = s.channel
            LEFT JOIN c_override o ON o.plan = s.plan AND o.channel = s.channel
            WHERE s.problem IS NULL AND {start} <= {p1}
                AND ({end} IS NULL OR {end} >= {p0}) AND ({bills})"""
