"""One module per command; ``COMMANDS`` is what ``monops`` offers, in ``--help`` order."""

from __future__ import annotations

import click

from monops_lint.cli.commands.customers import customers_group, impact, metrics
from monops_lint.cli.commands.diff import diff
from monops_lint.cli.commands.docs import explain, rules_command, schema
from monops_lint.cli.commands.fmt import fmt
from monops_lint.cli.commands.init import init
from monops_lint.cli.commands.killbill import export_group, import_group
from monops_lint.cli.commands.lint import lint
from monops_lint.cli.commands.quote import quote
from monops_lint.cli.commands.render import render
from monops_lint.cli.commands.rollout import rollout

COMMANDS: tuple[click.Command, ...] = (lint, quote, render, diff, impact, metrics, rollout, fmt,
                                       export_group, import_group, customers_group, init,
                                       rules_command, explain, schema)
