"""Presenting prices: invoices and quotes as documents for people and as JSON."""
