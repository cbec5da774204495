"""Rendering one (possibly untrusted) Jinja2 template in the sandbox."""

from __future__ import annotations

from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from monops_lint.errors import MonopsError

_MARKDOWN_SPECIAL = str.maketrans({
    "\\": "\\\\", "|": "\\|", "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]",
    "`": "\\`", "*": "\\*", "_": "\\_", "\n": " ", "\r": " ",
    "@": "@\u200b",  # no @mention from catalog text
})


def markdown_text(value: object) -> str:
    """Catalog text made inert in Markdown: no table break, link, emphasis, HTML or mention."""
    return str(value).translate(_MARKDOWN_SPECIAL)


def render_template(source: str, context: dict[str, Any], *, autoescape: bool, name: str) -> str:
    """Render ``source`` with ``context``; any template error is a one-line ``MonopsError``.

    The loader knows only this template, so ``include``/``extends`` of any
    other file fail; undefined names fail (StrictUndefined) instead of
    rendering empty.
    """
    environment = ImmutableSandboxedEnvironment(
        loader=jinja2.DictLoader({name: source}), autoescape=autoescape,
        undefined=jinja2.StrictUndefined, keep_trailing_newline=True)
    environment.filters["md"] = markdown_text
    try:
        return environment.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise MonopsError(f"line {exc.lineno}: {exc.message}") from exc
    except (jinja2.TemplateError, SecurityError) as exc:
        raise MonopsError(f"{type(exc).__name__}: {exc}") from exc
