"""Where an engine keeps one priced side's results: what the figures read."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Side:
    """The relations holding one side's results (``{prefix}m_invoices``...)."""

    prefix: str
    invoices: str
    subscriptions: str
    problems: str

    @classmethod
    def priced(cls, prefix: str) -> Side:
        """The views of a side priced by an SQL engine."""
        return cls(prefix, f"{prefix}m_invoices", f"{prefix}m_subscription_net",
                   f"{prefix}m_problems")

    @property
    def costs(self) -> str:
        """Each subscription's cost (10^-18 of its currency)."""
        return f"{self.prefix}m_costs"

    @property
    def mrr(self) -> str:
        """Each subscription's recurring revenue for one billing period."""
        return f"{self.prefix}m_mrr"
