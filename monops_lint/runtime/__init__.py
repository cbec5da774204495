"""Speed machinery, in one place: the heap and the collector, forked workers and their
memory budget, and the caches.

Only ``monops_lint.app`` imports this package (an import-linter contract in
pyproject.toml checks it): the pure core - source, model, catalog, pricing,
rules, lint, diff, reporters - never sees a fork, a frozen heap or a cache,
and gives the same results with or without them.
"""
