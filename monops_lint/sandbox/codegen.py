"""The bounded code generator: compiled templates and expressions that check sizes, output
and the deadline as they run (``BoundedTemplate``, ``BoundedExpression``)."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from jinja2 import Template, TemplateSyntaxError, Undefined, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import TemplateExpression
from jinja2.lexer import TOKEN_FLOAT, Token

from monops_lint.sandbox.deadline import active, evaluation_budget, tick

if TYPE_CHECKING:
    from monops_lint.sandbox.environment import Sandbox


class BoundedTemplate(Template):
    """A template whose ``generate`` (and ``stream``) run under the deadline."""

    environment: Sandbox

    def generate(self, *args: Any, **kwargs: Any) -> Iterator[str]:
        """Pieces of output, each produced under the render's deadline."""
        pieces = super().generate(*args, **kwargs)
        budget = evaluation_budget(self.environment.limits)
        while True:
            with active(budget):
                piece = next(pieces, None)
            if piece is None:
                return
            yield piece


class BoundedExpression(TemplateExpression):
    """A compiled expression that evaluates under the deadline."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        environment: Sandbox = self._template.environment  # type: ignore[assignment]
        with active(evaluation_budget(environment.limits)):
            value = super().__call__(*args, **kwargs)
        if isinstance(value, Undefined) and not self._undefined_to_none:
            value._fail_with_undefined_error()
        return value


def checked_tokens(tokens: Iterable[Token], name: str | None,
                   filename: str | None) -> Iterator[Token]:
    """``tokens``, checking the deadline at each; a number literal that would be infinite
    (``1e999``) is a syntax error, the template's own."""
    for token in tokens:
        tick()
        if token.type == TOKEN_FLOAT and not math.isfinite(float(token.value)):
            raise TemplateSyntaxError("a number too large: numbers stay within ±1.8e308",
                                      token.lineno, name, filename)
        yield token


class BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with checks around loops, literals, ``~`` and output, and
    the deadline checked at every node it compiles."""

    def visit(self, node: nodes.Node, *args: Any, **kwargs: Any) -> Any:
        """Compile ``node``, if there is time left."""
        tick()
        return super().visit(node, *args, **kwargs)

    def visit_Const(self, node: nodes.Const, frame: Frame) -> None:
        # Jinja writes floats with str(): an infinity folded from finite literals
        # (`1e308 - -1e308`) would be the name `inf` in the compiled code.
        value = node.as_const(frame.eval_ctx)
        if isinstance(value, float) and not math.isfinite(value):
            self.write(f"float({str(value)!r})")
        else:
            super().visit_Const(node, frame)

    def visit_For(self, node: nodes.For, frame: Frame) -> None:
        guard = nodes.EnvironmentAttribute("guarded_iteration", lineno=node.lineno)
        iterable = nodes.Call(guard, [node.iter], [], None, None, lineno=node.lineno)
        super().visit_For(nodes.For(node.target, iterable, node.body, node.else_, node.test,
                                    node.recursive, lineno=node.lineno), frame)

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        else:
            join = "markup_join" if frame.eval_ctx.autoescape else "str_join"
        self.write(f"{join}(environment.bounded_pieces((")
        for piece in node.nodes:
            self.visit(piece, frame)
            self.write(", ")
        self.write(")))")

    def _bounded_literal(self, visit: Callable[[Any, Frame], None], node: Any,
                         frame: Frame) -> None:
        self.write("environment.bounded(")
        visit(node, frame)
        self.write(")")

    def visit_List(self, node: nodes.List, frame: Frame) -> None:
        self._bounded_literal(super().visit_List, node, frame)

    def visit_Dict(self, node: nodes.Dict, frame: Frame) -> None:
        self._bounded_literal(super().visit_Dict, node, frame)

    def visit_Tuple(self, node: nodes.Tuple, frame: Frame) -> None:
        if node.ctx == "load":
            self._bounded_literal(super().visit_Tuple, node, frame)
        else:
            super().visit_Tuple(node, frame)

    def _output_const_repr(self, group: Iterable[Any]) -> str:
        return f"environment.counted({super()._output_const_repr(group)})"

    def _output_child_pre(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        self.write("environment.counted(")
        super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node: nodes.Expr, frame: Frame, finalize: Any) -> None:
        super()._output_child_post(node, frame, finalize)
        self.write(")")
