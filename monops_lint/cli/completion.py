"""Shell completion of ids: rule ids (``explain``), plan ids (``quote``), scenario ids
(``render --scenario``) and kinds (``schema``).

Click drives completion (``eval "$(_MONOPS_COMPLETE=bash_source monops)"``, README:
Commands); these functions say what an argument's values are. Completion must never fail
loudly: a catalog that cannot be read completes nothing.
"""

from __future__ import annotations

from pathlib import Path

import click
from click.shell_completion import CompletionItem


def complete_rules(ctx: click.Context, param: click.Parameter,
                   incomplete: str) -> list[CompletionItem]:
    """Every rule id starting with what was typed, with its summary."""
    from monops_lint.rules import all_rules

    return [CompletionItem(rule.id, help=rule.summary) for rule in all_rules().values()
            if rule.id.startswith(incomplete)]


def complete_kinds(ctx: click.Context, param: click.Parameter,
                   incomplete: str) -> list[CompletionItem]:
    """The kinds ``monops schema`` knows."""
    from monops_lint.model import KINDS

    return [CompletionItem(kind) for kind in (*KINDS, "config", "catalog")
            if kind.startswith(incomplete)]


def _ids(ctx: click.Context, kind: str, incomplete: str) -> list[CompletionItem]:
    from monops_lint.app.workspace import Workspace

    root = ctx.params.get("root")
    try:
        workspace = Workspace.open(Path(root) if root else None)
        catalog = workspace.catalog()
        return [CompletionItem(entity_id) for entity_id in sorted(catalog.ids(kind))
                if entity_id.startswith(incomplete)]
    except Exception:  # completion offers nothing rather than a traceback in the shell
        return []


def complete_plans(ctx: click.Context, param: click.Parameter,
                   incomplete: str) -> list[CompletionItem]:
    """The plan ids of the catalog (at ``--root``, else found upward from here)."""
    return _ids(ctx, "plan", incomplete)


def complete_scenarios(ctx: click.Context, param: click.Parameter,
                       incomplete: str) -> list[CompletionItem]:
    """The scenario ids of the catalog."""
    return _ids(ctx, "scenario", incomplete)
