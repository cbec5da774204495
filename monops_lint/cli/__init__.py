"""The ``monops`` command line: parse arguments, call one app workflow, choose the output,
set the exit code.

Exit codes (SPEC section 5): 0 nothing at or above ``--fail-on``; 1 findings
at or above it; 2 a usage, config, git or I/O error, always with one line on
stderr. One module per command in ``cli/commands``; heavy modules are
imported inside the commands so that ``monops --help`` starts fast.
"""

from monops_lint.cli.main import cli, main
from monops_lint.cli.status import StatusLine

__all__ = ["StatusLine", "cli", "main"]
