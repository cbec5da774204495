"""The pricing engine: pure functions from the catalog to exact, rounded invoices and quotes.

SPEC section 3 is the math; docs/pricing.md writes down every choice SPEC
leaves open. Money is ``Decimal`` throughout; nothing here prints or does
I/O.
"""

from monops_lint.pricing.charges import (
    PricedCharge,
    PricingError,
    TierPortion,
    TransactionFee,
    charges_in_channel,
    price_charge,
    scale_charge,
    transaction_fee,
)
from monops_lint.pricing.invoice import Invoice, invoice_for, tax_of
from monops_lint.pricing.lines import InvoiceLine, Terms, plan_lines, plan_total, round_money
from monops_lint.pricing.periods import Window, periods_passed, window
from monops_lint.pricing.quote import Quote, quote
from monops_lint.pricing.words import Money, Words, plain, written

__all__ = [
    "Invoice",
    "InvoiceLine",
    "Money",
    "PricedCharge",
    "PricingError",
    "Quote",
    "Terms",
    "TierPortion",
    "TransactionFee",
    "Window",
    "Words",
    "charges_in_channel",
    "invoice_for",
    "periods_passed",
    "plain",
    "plan_lines",
    "plan_total",
    "price_charge",
    "quote",
    "round_money",
    "scale_charge",
    "tax_of",
    "transaction_fee",
    "window",
    "written",
]
