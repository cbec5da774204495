"""The bounded code generator: compiled templates and expressions that check sizes, output
and the deadline as they run (``BoundedTemplate``, ``BoundedExpression``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

from jinja2 import Template, Undefined, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.environment import TemplateExpression

from monops_lint.sandbox.deadline import active, evaluation_budget

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


class BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with checks around loops, literals, ``~`` and output."""

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
