"""One module per command. ``COMMANDS`` is what ``monops`` offers: each command's name and
where it is defined, imported only when it runs (or when ``--help`` lists it), so that a
command does not pay for importing every other one."""

from __future__ import annotations

import importlib

import click

COMMANDS: dict[str, tuple[str, str]] = {
    "lint": ("lint", "lint"),
    "quote": ("quote", "quote"),
    "render": ("render", "render"),
    "diff": ("diff", "diff"),
    "impact": ("customers", "impact"),
    "metrics": ("customers", "metrics"),
    "rollout": ("rollout", "rollout"),
    "fmt": ("fmt", "fmt"),
    "export": ("killbill", "export_group"),
    "import": ("killbill", "import_group"),
    "customers": ("customers", "customers_group"),
    "init": ("init", "init"),
    "rules": ("docs", "rules_command"),
    "explain": ("docs", "explain"),
    "schema": ("docs", "schema"),
}
"""Command name -> (module in this package, the command object's name there)."""


def load_command(name: str) -> click.Command:
    """The command ``name`` of ``COMMANDS``, imported now."""
    module, attribute = COMMANDS[name]
    command = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
    assert isinstance(command, click.Command) and command.name == name, name
    return command
