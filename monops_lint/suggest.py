"""Did you mean …? The nearest valid name to a mistyped one, for errors and hints."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def nearest(word: str, options: Iterable[str], cutoff: float = 0.5) -> str | None:
    """The option most like ``word``, if any is alike enough (``difflib``'s ratio)."""
    match = difflib.get_close_matches(word, list(options), n=1, cutoff=cutoff)
    return match[0] if match else None


def closest(word: str, options: Iterable[str], cutoff: float = 0.5) -> str:
    """`` (did you mean `x`?)`` for the option closest to ``word``, or nothing."""
    match = nearest(word, options, cutoff)
    return f" (did you mean `{match}`?)" if match else ""
