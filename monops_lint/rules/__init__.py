"""Rules: discovered from the modules of this package (see ``registry``)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Mapping
from functools import cache

from monops_lint.rules.registry import RULES, Rule, RuleContext, rule

__all__ = ["Rule", "RuleContext", "all_rules", "rule"]


@cache
def _discover() -> None:
    for module in pkgutil.iter_modules(__path__):
        if module.name not in ("registry", "support"):
            importlib.import_module(f"{__name__}.{module.name}")


def all_rules() -> Mapping[str, Rule]:
    """Every registered rule by id, sorted by id."""
    _discover()
    return dict(sorted(RULES.items()))
