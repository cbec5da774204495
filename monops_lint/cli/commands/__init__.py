"""One module per command. ``COMMANDS`` is what ``monops`` offers: each command's name,
where it is defined, and its summary, so that a command is imported only when it runs and
``monops --help`` imports none (a test checks each summary is its command's own)."""

from __future__ import annotations

import importlib
from typing import NamedTuple

import click


class Entry(NamedTuple):
    module: str  # in this package
    attribute: str  # the command object's name there
    summary: str  # the first paragraph of its help, as ``monops --help`` lists it


COMMANDS: dict[str, Entry] = {
    "lint": Entry("lint", "lint", "Check the catalog against every rule."),
    "quote": Entry("quote", "quote", "Price one PLAN for one billing period: its lines, tier "
                   "breakdown and total."),
    "render": Entry("render", "render", "Render the sample invoices of the scenarios."),
    "diff": Entry("diff", "diff", "Show what a change does to the catalog and to every sample "
                  "invoice."),
    "impact": Entry("customers", "impact", "Show what a change does to every customer's "
                    "invoice."),
    "metrics": Entry("customers", "metrics", "Report the business's key metrics on the "
                     "customer base."),
    "rollout": Entry("rollout", "rollout", "Show when a price change reaches which customers, "
                     "wave by wave."),
    "fmt": Entry("fmt", "fmt", "Rewrite catalog files (and monops.yaml) in the canonical "
                 "layout, keeping comments."),
    "export": Entry("killbill", "export_group", "Write the catalog in a billing system's own "
                    "format."),
    "import": Entry("killbill", "import_group", "Read a billing system's catalog into a new "
                    "monops catalog."),
    "customers": Entry("customers", "customers_group", "Work with customer bases (SPEC "
                       "section 9)."),
    "init": Entry("init", "init", "Start a new catalog repository in DIRECTORY (new, empty, or "
                  "holding only .git)."),
    "rules": Entry("docs", "rules_command", "List every rule with its default severity."),
    "explain": Entry("docs", "explain", "Explain RULE: what it checks, why it matters, a "
                     "failing and a passing example."),
    "schema": Entry("docs", "schema", "Print the JSON Schema (draft-07) of KIND, or of any "
                    "catalog document."),
}


def load_command(name: str) -> click.Command:
    """The command ``name`` of ``COMMANDS``, imported now."""
    entry = COMMANDS[name]
    command = getattr(importlib.import_module(f"{__name__}.{entry.module}"), entry.attribute)
    assert isinstance(command, click.Command) and command.name == name, name
    return command
