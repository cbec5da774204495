"""The sandbox custom rules and invoice templates run in: known escapes and resource abuse.

Resource tests measure how long the refusal took (``record_property``) but
assert only the error: CI machines are too uneven for timing thresholds.
"""

from __future__ import annotations

import decimal
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from jinja2 import TemplateRuntimeError, UndefinedError
from jinja2.exceptions import SecurityError

from monops_lint.sandbox import (
    Limits,
    Sandbox,
    SandboxLimitError,
    SandboxTimeout,
    make_sandbox,
    read_only,
    sandbox_callable,
    time_limit,
)

FAST = Limits(seconds=0.2)
"""For the deadline tests."""
ROOMY = Limits(seconds=10)
"""For the rest: a size limit, not a busy CI machine, is what must stop them."""


@pytest.fixture
def env() -> Sandbox:
    return make_sandbox(limits=ROOMY)


@pytest.fixture
def channel() -> Any:
    return read_only({"id": "retail", "currencies": ["EUR", "JPY"], "tax_inclusive": True,
                      "offerings": [{"plan": "tv-basic", "upsell": ["tv-premium"]}]}, "channel")


def evaluate(env: Sandbox, source: str, **variables: Any) -> Any:
    return env.compile_expression(source)(**variables)


def render(env: Sandbox, source: str, **variables: Any) -> str:
    return env.from_string(source).render(**variables)


def timed(record_property: Callable[[str, object], None], run: Callable[[], object]) -> None:
    """Run ``run`` (which must raise), recording how long it took before it did."""
    start = time.monotonic()
    try:
        run()
    finally:
        record_property("seconds_to_refuse", round(time.monotonic() - start, 3))


# --- what expressions can do ----------------------------------------------------------

def test_views_read_like_the_yaml(env: Sandbox, channel: Any) -> None:
    assert evaluate(env, "'EUR' in channel.currencies", channel=channel) is True
    assert evaluate(env, "channel.currencies == ['EUR', 'JPY']", channel=channel) is True
    assert evaluate(env, "channel['offerings'][0].upsell[0]", channel=channel) == "tv-premium"
    assert evaluate(env, "channel.currencies + ['USD']", channel=channel) == ["EUR", "JPY", "USD"]
    assert evaluate(env, "channel.offerings|map(attribute='plan')|join(',')",
                    channel=channel) == "tv-basic"
    assert evaluate(env, "channel.nope is defined", channel=channel) is False
    assert evaluate(env, "channel.get('nope', 'x')", channel=channel) == "x"
    assert render(env, "{{ channel.id|upper }}: {{ channel.currencies|join('/') }}",
                  channel=channel) == "RETAIL: EUR/JPY"


def test_amounts_are_exact_decimals_at_28_digits_whatever_the_host_set(env: Sandbox) -> None:
    plan = read_only({"minimum": {"USD": Decimal("10.00")}}, "plan")
    assert evaluate(env, "plan.minimum.USD * 3", plan=plan) == Decimal("30.00")
    decimal.getcontext().prec = 50
    try:
        # 1/3 at the default 28 significant digits, not the host's 50.
        assert evaluate(env, "one / 3", one=Decimal(1)) == Decimal("0." + "3" * 28)
    finally:
        decimal.getcontext().prec = 28


def test_a_misspelled_field_is_an_error_with_a_suggestion(env: Sandbox, channel: Any) -> None:
    with pytest.raises(UndefinedError, match=r"channel has no field 'curencies' "
                                             r"\(did you mean `currencies`\?\)"):
        evaluate(env, "'EUR' in channel.curencies", channel=channel)
    with pytest.raises(UndefinedError, match=r"channel.offerings\[0\] has no field 'plna'"):
        render(env, "{{ channel.offerings[0].plna }}", channel=channel)


def test_an_expression_that_is_undefined_raises_instead_of_being_none(env: Sandbox) -> None:
    with pytest.raises(UndefinedError, match="'missing' is undefined"):
        evaluate(env, "missing")


def test_views_cannot_be_changed(env: Sandbox, channel: Any) -> None:
    with pytest.raises(UndefinedError):
        evaluate(env, "channel.currencies.append('USD')", channel=channel)
    with pytest.raises(TemplateRuntimeError, match="non-namespace"):
        render(env, "{% set channel.id = 'web' %}", channel=channel)
    with pytest.raises(SecurityError, match="unsafe"):
        evaluate(env, "[].append(1)")
    assert channel["currencies"] == ("EUR", "JPY")


# --- escapes ----------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["cycler", "joiner", "namespace", "lipsum", "dict"])
def test_only_a_bounded_range_is_global(env: Sandbox, name: str) -> None:
    assert set(env.globals) == {"range"}
    with pytest.raises(UndefinedError, match=f"'{name}' is undefined"):
        render(env, f"{{{{ {name}() }}}}")


@pytest.mark.parametrize("source", [
    "cycler.__init__.__globals__",
    "lipsum.__globals__['os']",
    "''.__class__",
    "''.__class__.__mro__[1].__subclasses__()",
    "().__class__.__base__.__subclasses__()",
    "range.__globals__",
    "range.__self__",
    "channel.__class__",
    "channel._fields",
    "channel['__class__']",
    "channel.currencies['__class__']",
    "''|attr('__class__')",
    "channel.offerings|map(attribute='__class__')|list",
    "channel.offerings|sort(attribute='__dict__')",
])
def test_private_attributes_are_refused(env: Sandbox, channel: Any, source: str) -> None:
    with pytest.raises(SecurityError, match="names starting with `_` are private"):
        evaluate(env, source, channel=channel)


def test_template_objects_keep_their_privates(env: Sandbox) -> None:
    for source in ("{{ self.__init__.__globals__ }}",
                   "{% for x in [1] %}{{ loop.__class__ }}{% endfor %}",
                   "{% macro m() %}{% endmacro %}{{ m.__call__.__globals__ }}"):
        with pytest.raises(SecurityError, match="private"):
            render(env, source)


@pytest.mark.parametrize("source", [
    "'{0.__class__}'.format(1)",
    "'{x}'.format_map({'x': 1})",
    "('{0}'|attr('format'))(1)",
    "('{0}'|safe).format(1)",
])
def test_str_format_is_refused_however_it_is_reached(env: Sandbox, source: str) -> None:
    with pytest.raises(SecurityError, match=r"str\.format and str\.format_map are refused"):
        evaluate(env, source)


def test_generator_frames_are_refused(env: Sandbox) -> None:
    with pytest.raises(SecurityError, match="'gi_frame' of 'generator' object is unsafe"):
        evaluate(env, "(range(3)|map('string')).gi_frame")


@pytest.mark.parametrize(("source", "name"), [
    ("(7).to_bytes(8, 'big')", "int.to_bytes"),
    ("'x'.encode()", "str.encode"),
    ("'{}'.maketrans('a', 'b')", "str.maketrans"),
])
def test_only_read_only_methods_can_be_called(env: Sandbox, source: str, name: str) -> None:
    with pytest.raises(SecurityError, match=f"calling `{name}` is not allowed"):
        evaluate(env, source)


def test_host_functions_are_called_only_when_marked() -> None:
    def shout(text: str) -> str:
        return text.upper() + "!"

    env = make_sandbox(limits=ROOMY)
    with pytest.raises(SecurityError, match=r"calling `.*shout` is not allowed"):
        evaluate(env, "shout('hi')", shout=shout)
    assert evaluate(env, "shout('hi')", shout=sandbox_callable(shout)) == "HI!"


def test_host_filters_are_guarded_like_jinjas() -> None:
    env = make_sandbox(limits=ROOMY, filters={"twice": lambda text: text * 2})
    assert evaluate(env, "'ab'|twice") == "abab"
    with pytest.raises(SandboxLimitError, match="a value over 1,000,000 characters"):
        evaluate(env, "('x' * 600000)|twice")


# --- resources ----------------------------------------------------------------------------

def test_string_repetition_is_refused_before_it_allocates(
        env: Sandbox, record_property: Callable[[str, object], None]) -> None:
    with pytest.raises(SandboxLimitError, match="repeating 1,000,000,000 times would make a "
                                                "value over 1,000,000 characters"):
        timed(record_property, lambda: render(env, "{{ 'x' * 10**9 }}"))
    assert len(render(env, "{{ 'x' * 10**6 }}")) == 1_000_000  # the limit itself is fine


def test_huge_powers_are_refused_before_python_computes_them(
        env: Sandbox, record_property: Callable[[str, object], None]) -> None:
    # Jinja's ** is left-associative: 7 ** 10**8 is (7**10)**8 = 7**80, 68 digits
    # (80 × log10 7 = 67.6), and 2 ** 3 ** 2 is 64, not 512.
    assert len(render(env, "{{ 7 ** 10**8 }}")) == 68
    assert render(env, "{{ 2 ** 3 ** 2 }}") == "64"
    with pytest.raises(SandboxLimitError, match=r"`7 \*\* 100000000` would be a number over "
                                                "16,384 bits"):
        timed(record_property, lambda: render(env, "{{ 7 ** (10 ** 8) }}"))
    with pytest.raises(SandboxLimitError, match="`\\*` would make a number over 16,384 bits"):
        evaluate(env, "(2 ** 10000) * (2 ** 10000)")


def test_huge_ranges_are_refused(env: Sandbox) -> None:
    with pytest.raises(SandboxLimitError, match="range of 1,000,000,000 items; the sandbox "
                                                "allows 10,000"):
        evaluate(env, "range(10**9)")
    assert evaluate(env, "range(10000)|length") == 10_000


def test_nested_loops_that_do_nothing_stop_at_the_deadline(
        record_property: Callable[[str, object], None]) -> None:
    env = make_sandbox(limits=FAST)
    loops = "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}"
    with pytest.raises(SandboxTimeout, match=r"evaluation took longer than 0\.2 s"):
        timed(record_property, lambda: render(env, loops))
    with pytest.raises(SandboxTimeout, match=r"evaluation took longer than 0\.2 s"):
        timed(record_property, lambda: "".join(env.from_string(loops).generate()))
    listed = "{% set a = [0] * 10000 %}{% for i in a %}{% for j in a %}{% endfor %}{% endfor %}"
    with pytest.raises(SandboxTimeout):
        render(env, listed)


def test_nested_loops_that_print_stop_at_the_output_limit(
        env: Sandbox, record_property: Callable[[str, object], None]) -> None:
    loops = "{% for i in range(10000) %}{% for j in range(10000) %}xy{% endfor %}{% endfor %}"
    with pytest.raises(SandboxLimitError, match="the output is over 1,000,000 characters"):
        timed(record_property, lambda: render(env, loops))
    hidden = "{% set x %}{% for i in range(10000) %}{{ 'y' * 1000 }}{% endfor %}{% endset %}"
    with pytest.raises(SandboxLimitError, match="the output is over 1,000,000 characters"):
        render(env, hidden)


def test_infinite_recursion_is_an_error(env: Sandbox) -> None:
    with pytest.raises(RecursionError):
        render(env, "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}")


@pytest.mark.parametrize(("source", "what"), [
    ("'x'|center(10**9)", "a width of 1,000,000,000"),
    ("'x'.center(10**9)", r"str.center\(1,000,000,000\)"),
    ("'x'.zfill(10**9)", r"str.zfill\(1,000,000,000\)"),
    ("('x' * 1000)|replace('x', 'x' * 1000)|replace('x', 'x' * 1000)", "replace"),
    ("('x' * 1000).replace('x', 'y' * 1001)", "str.replace"),
    ("'%0999999999d' % 1", "%-formatting"),
    ("'%s'|format('x' * 1000000)", "%-formatting"),
    # nine pieces of 100,000 fit; 8 glues of 20,000 between them do not
    ("('-' * 20000).join(['x' * 100000] * 9)", "str.join"),
    ("(['x' * 100000] * 9)|join('-' * 20000)", "join"),
    ("[[0] * 1000] * 1000", "repeating 1,000 times"),
    ("('x' * 600000) ~ ('x' * 600000)", "`~`"),
    ("('x' * 600000) + ('x' * 600000)", "`\\+`"),
    ("range(10000)|map('center', 1000000)|list", "iterating"),
    ("range(10000)|map('center', 1000000)|sort", "iterating"),
    ("[1]|batch(10000, 'x' * 1000)|list", "iterating"),
])
def test_growing_operations_are_refused_before_they_allocate(
        env: Sandbox, source: str, what: str) -> None:
    with pytest.raises(SandboxLimitError, match=f"{what} would make a value over 1,000,000 "
                                                "characters"):
        evaluate(env, source)


def test_quadratic_or_unbounded_helpers_are_refused(env: Sandbox) -> None:
    with pytest.raises(SecurityError, match="`sum` adds numbers only"):
        evaluate(env, "([[1]] * 1000)|sum(start=[])")
    with pytest.raises(SecurityError, match="`\\*` widths in %-formatting are refused"):
        evaluate(env, "'%*d' % (999999999, 1)")
    with pytest.raises(SandboxLimitError, match="100,000 groups"):
        evaluate(env, "[1]|batch(100000)|list")
    with pytest.raises(SandboxLimitError, match="source of 100,001 characters"):
        env.compile_expression("1" * 100_001)
    assert "random" not in env.filters and "striptags" not in env.filters
    assert evaluate(env, "[1, 2, 3]|sum") == 6


def test_html_is_escaped_when_asked(env: Sandbox) -> None:
    html = make_sandbox(autoescape=True, limits=ROOMY)
    assert render(html, "{{ name }}", name="<b>&") == "&lt;b&gt;&amp;"
    assert render(env, "{{ name }}", name="<b>") == "<b>"


# --- time limits ------------------------------------------------------------------------

def test_the_sooner_of_nested_deadlines_applies_and_is_named() -> None:
    env = make_sandbox(limits=Limits(seconds=10))
    busy = env.compile_expression("range(10000)|map('string')|map('upper')|list|length")
    with pytest.raises(SandboxTimeout, match=r"custom rule acme/x took longer than 0\.1 s"), \
            time_limit(0.1, "custom rule acme/x"):
        while True:
            busy()


def test_deadlines_belong_to_their_thread(env: Sandbox) -> None:
    results: list[object] = []
    with time_limit(0, "the main thread's budget"):
        with pytest.raises(SandboxTimeout, match="the main thread's budget took longer than 0 s"):
            evaluate(env, "1 + 1")
        worker = threading.Thread(target=lambda: results.append(evaluate(env, "1 + 1")))
        worker.start()
        worker.join()
    assert results == [2]
