"""Broken twins of the example catalog: one small, realistic edit per rule (issues 2 and 4)."""
