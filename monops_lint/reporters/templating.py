"""Rendering one (possibly untrusted) Jinja2 template in the sandbox; the templates that
ship with monops."""

from __future__ import annotations

from importlib import resources
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError

from monops_lint.errors import MonopsError
from monops_lint.reporters.escaping import markdown_text
from monops_lint.sandbox import Limits, make_sandbox

# One render holds every invoice of a catalog (hundreds): bounded, but not like one
# custom-rule expression.
TEMPLATE_LIMITS = Limits(seconds=60.0, max_size=8_000_000, max_output=64_000_000)

def render_template(source: str, context: dict[str, Any], *, autoescape: bool, name: str) -> str:
    """Render ``source`` with ``context`` in the sandbox; any failure is a one-line error.

    The sandbox (``monops_lint.sandbox``) bounds time, output and the size of
    every value; the loader knows only this template, so ``include`` or
    ``extends`` of any other file fail; undefined names fail (StrictUndefined)
    instead of rendering empty.
    """
    environment = make_sandbox(autoescape=autoescape, loader=jinja2.DictLoader({name: source}),
                               filters={"md": markdown_text}, keep_trailing_newline=True,
                               limits=TEMPLATE_LIMITS)
    try:
        return environment.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        raise MonopsError(f"line {exc.lineno}: {exc.message}") from exc
    except (jinja2.TemplateError, SecurityError) as exc:
        raise MonopsError(f"{type(exc).__name__}: {' '.join(str(exc).split())}") from exc
    except (TypeError, ValueError, ArithmeticError, LookupError, RecursionError) as exc:
        raise MonopsError(f"{type(exc).__name__}: {' '.join(str(exc).split())}") from exc


def packaged_template(name: str) -> str:
    """The text of a template shipped with monops (``monops_lint/templates/``)."""
    return resources.files("monops_lint").joinpath("templates", name).read_text(encoding="utf-8")
