"""Allow ``python -m monops_lint``."""

from monops_lint.cli import main

main()
