"""Rollout buckets: which wave of a staged rollout a customer falls in (SPEC section 10).

The bucket is specified exactly so that other systems (the billing system, a
data warehouse) compute the same one: the first 8 bytes of SHA-256 of the
UTF-8 customer id, as a big-endian unsigned integer, modulo 10,000, divided by
100: a number in [0, 100) with two decimals.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from monops_lint.model import BUCKET_ZERO

BUCKETS = 10_000


def bucket_of(customer_id: str) -> Decimal:
    """The rollout bucket of ``customer_id``; 0 (the canary's) for no id."""
    if not customer_id:
        return BUCKET_ZERO
    digest = hashlib.sha256(customer_id.encode("utf-8")).digest()
    return Decimal(int.from_bytes(digest[:8], "big") % BUCKETS) / 100
