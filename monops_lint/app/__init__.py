"""One function per command workflow: what ``monops lint``, ``render``, ``diff``... do, with
the caches, git revisions and workers chosen here.

The CLI parses arguments, calls one of these and sets the exit code; these
call the pure core (source, catalog, pricing, rules, lint, diff, reporters)
and the speed machinery (``monops_lint.runtime``), and never print.
"""
