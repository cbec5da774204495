"""The sandbox, round two (issue 19, items 5, 13 and 14): compiling a custom rule counts in
its time budget; macro recursion fails fast, in little memory; ``wordwrap`` stops at the
deadline; a number literal that would be infinite is the template's error, not monops';
printing a callable shows nothing of the implementation.

Deadlines here are short (``Limits(seconds=1)``, custom-rule budgets of tenths of a
second), and an elapsed time is only checked against a generous upper bound (five times
the deadline): what is tested is that the deadline is honoured, not how fast monops is.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jinja2 import Environment, TemplateSyntaxError
from jinja2.filters import do_wordwrap

from monops_lint.config import Config
from monops_lint.findings import Finding
from monops_lint.lint import lint_catalog
from monops_lint.load import assemble, load_file
from monops_lint.rules import custom
from monops_lint.sandbox import Limits, SandboxTimeout, make_sandbox
from tests.hardening.checks import run_in_process
from tests.hardening.conftest import assert_clean_exit, assert_one_line_error, monops
from tests.hardening.test_templates import CATALOG, PREFIX, limit_memory, with_template

pytestmark = pytest.mark.e2e  # monops runs in a subprocess

TODAY = dt.date(2026, 11, 25)

# --- item 5: compiling custom rules runs inside their time budget ----------------------------

# Jinja's code generator scans the body of every `for` once per enclosing `for`: 178 loops
# around 983 outputs, 178 * 16 + 983 * 5 + 178 * 12 = 9,899 characters (under the 10,000 a
# custom rule's field may have), take seconds to compile.
SLOW_TO_COMPILE = "{% for a in x %}" * 178 + "{{v}}" * 983 + "{% endfor %}" * 178


def slow_rule(name: str) -> str:
    """A custom rule on every channel whose ``message`` is slow to compile."""
    return (f"kind: rule\nid: acme/{name}\nseverity: error\neach: channel\n"
            f"assert: 'false'\nmessage: '{SLOW_TO_COMPILE}'\n")


def lint_with_rules(tmp_path: Path, rules: dict[str, str]) -> list[Finding]:
    """The findings of the catalog plus ``rules`` (name -> YAML), linted in this process."""
    files = {**CATALOG, **{f"rules/{name}.yaml": text for name, text in rules.items()}}
    catalog = assemble(load_file(path, text.encode()) for path, text in files.items())
    return list(lint_catalog(catalog, Config(root=tmp_path), TODAY).findings)


def messages_at(findings: list[Finding], path: str) -> list[str]:
    return [f.message for f in findings if f.location.path == path]


def test_compiling_a_custom_rule_counts_in_the_rule_s_budget(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(custom, "RULE_SECONDS", 0.2)
    started = time.monotonic()
    findings = lint_with_rules(tmp_path, {"slow": slow_rule("slow")})
    elapsed = time.monotonic() - started
    print(f"a rule slow to compile stopped after {elapsed:.2f} s")
    assert messages_at(findings, "rules/slow.yaml") == [
        "custom rule acme/slow: `message` does not compile: custom rule acme/slow took longer "
        "than 0.2 s"]
    assert elapsed < 1.0  # 5 x the rule's 0.2 s


def test_compiling_custom_rules_counts_in_the_budget_of_all_rules(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(custom, "TOTAL_SECONDS", 0.3)
    names = [f"slow-{i}" for i in range(4)]
    started = time.monotonic()
    findings = lint_with_rules(tmp_path, {name: slow_rule(name) for name in names})
    elapsed = time.monotonic() - started
    print(f"{len(names)} rules slow to compile stopped after {elapsed:.2f} s")
    # The first runs out of time compiling its message; the others have none left for the
    # first field they compile, `assert`.
    for name, field in zip(names, ["message", "assert", "assert", "assert"], strict=True):
        assert messages_at(findings, f"rules/{name}.yaml") == [
            f"custom rule acme/{name}: `{field}` does not compile: custom rules together took "
            "longer than 0.3 s"]
    assert elapsed < 1.5  # 5 x the 0.3 s of all rules


def test_a_compile_timeout_hint_names_the_time_limits(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(custom, "RULE_SECONDS", 0.2)
    [finding] = [f for f in lint_with_rules(tmp_path, {"slow": slow_rule("slow")})
                 if f.location.path == "rules/slow.yaml"]
    assert finding.hint == ("each evaluation may take 1 s, a rule 0.2 s over the catalog, all "
                            "custom rules 30 s: simplify the rule")


# --- item 5: macro recursion fails fast, in little memory -----------------------------------

# Each level makes a value of 8,000,000 characters (TEMPLATE_LIMITS.max_size), 32 MB of
# emoji, and recursion runs ~190 levels deep before Python's RecursionError: 6 GB. Nested
# calls may hold 4 x 8,000,000 = 32,000,000 characters: after 5 levels they hold
# 5 x 8,000,000 = 40,000,000, and the sixth call is refused.
HELD = ("SandboxLimitError: macro and block calls nested 5 deep made values of 40,000,000 "
        "characters; nested calls may hold at most 32,000,000")


@pytest.mark.parametrize("source", [
    "{% macro f(n) %}{% set s = '😀' * 8000000 %}{{ s[:1] }}{{ f(n + 1) }}{% endmacro %}"
    "{{ f(1) }}",
    # held only for the time of the call, in a `~` or a list
    "{% macro f() %}{{ ('😀' * 8000000)[:1] ~ f() }}{% endmacro %}{{ f() }}",
    "{% macro f() %}{{ ['😀' * 8000000, f()]|length }}{% endmacro %}{{ f() }}",
    # a block that calls itself
    "{% block b %}{% set s = '😀' * 8000000 %}{{ self.b() }}{% endblock %}",
])
def test_macro_recursion_holding_big_values_fails_fast_in_little_memory(
        tmp_path: Path, source: str) -> None:
    started = time.monotonic()
    run = monops("render", "--root", str(with_template(tmp_path, source)), timeout=120,
                 preexec_fn=limit_memory)  # 1 GiB of address space: 6 GB cannot happen
    elapsed = time.monotonic() - started
    print(f"{source[:50]!r}: {elapsed:.2f} s")
    assert_one_line_error(run, PREFIX + HELD)
    assert elapsed < 30


def test_macro_recursion_with_small_values_still_ends_in_recursion_error() -> None:
    # (the same case as tests/hardening/test_templates.py, in-process, with small limits)
    env = make_sandbox(limits=Limits(seconds=10))
    with pytest.raises(RecursionError):
        env.from_string("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}").render()


def test_values_a_macro_made_and_let_go_of_are_not_held_by_later_calls() -> None:
    # A loop calling a macro that makes a big value, more times than nested calls may hold
    # together (10 x 1,000,000 > 4 x 1,000,000): each call lets go of its value on return.
    env = make_sandbox(limits=Limits(seconds=10, max_size=1_000_000))
    source = ("{% macro f() %}{{ ('x' * 1000000)|length }}{% endmacro %}"
              "{% for i in range(10) %}{{ f() }},{% endfor %}")
    assert env.from_string(source).render() == "1000000," * 10


# --- item 5: wordwrap stops at the deadline -------------------------------------------------

def test_wordwrap_stops_at_the_deadline() -> None:
    # One word of 800,000 characters (the most wordwrap takes with max_size 8,000,000) at
    # width 1: textwrap copies what is left of the word for each of its 800,000 lines,
    # 800,000^2 / 2 = 3.2 * 10^11 characters, half a minute and more.
    env = make_sandbox(limits=Limits(seconds=1, max_size=8_000_000, max_output=64_000_000))
    # Linear now, it may even finish inside the 1 s budget on an idle machine; either way it
    # must not run on past the deadline.
    template = env.from_string("{{ ('x' * 800000)|wordwrap(1)|length }}")
    started = time.monotonic()
    try:
        # 800,000 one-character lines and 799,999 newlines between them
        assert template.render() == "1599999"
    except SandboxTimeout as stopped:
        assert "evaluation took longer than 1 s" in str(stopped)
    elapsed = time.monotonic() - started
    print(f"wordwrap ended after {elapsed:.2f} s")
    assert elapsed < 5


TEXT = st.lists(st.sampled_from(["a", "b", "é", "-", "--", "---", " ", "  ", "\t", "\n",
                                 "\r\n", "\xa0", "\u2003", ".", "!", "x" * 9, " " * 9]),
                max_size=40).map("".join)


WORDWRAP = make_sandbox().from_string("{{ text|wordwrap(width, long, none, hyphens) }}")


@settings(max_examples=300, deadline=None)
@given(text=TEXT, width=st.integers(1, 12), break_long_words=st.booleans(),
       break_on_hyphens=st.booleans())
def test_wordwrap_wraps_as_jinja_does(text: str, width: int, break_long_words: bool,
                                      break_on_hyphens: bool) -> None:
    expected = do_wordwrap(Environment(), text, width, break_long_words, None,
                           break_on_hyphens)
    assert WORDWRAP.render(text=text, width=width, long=break_long_words,
                           hyphens=break_on_hyphens) == expected


# --- item 13: a number literal that would be infinite is the template's error -------------

def test_an_infinite_number_literal_is_a_one_line_template_error(tmp_path: Path) -> None:
    run = monops("render", "--root",
                 str(with_template(tmp_path, "A\n{% set x = 1e999 %}{{ x }}")))
    assert_one_line_error(run, PREFIX + "line 2: a number too large: numbers stay within "
                                        "±1.8e308")


def test_an_infinite_number_literal_in_a_custom_rule_does_not_compile(
        tmp_path: Path) -> None:
    rule = ("kind: rule\nid: acme/huge\nseverity: error\neach: channel\n"
            "assert: 'channel.id < 1e999'\nmessage: m\n")
    assert messages_at(lint_with_rules(tmp_path, {"huge": rule}), "rules/huge.yaml") == [
        "custom rule acme/huge: `assert` does not compile: a number too large: numbers stay "
        "within ±1.8e308"]


def test_an_infinity_folded_from_finite_numbers_prints(tmp_path: Path) -> None:
    # 1e308 - -1e308 = 2e308, over the largest float (about 1.8e308): inf
    run = monops("render", "--root",
                 str(with_template(tmp_path, "{% set x = 1e308 - -1e308 %}{{ x }}")))
    assert_clean_exit(run)
    assert (run.returncode, run.stdout) == (0, "inf\n")


def test_the_sandbox_refuses_an_infinite_literal_before_it_runs() -> None:
    env = make_sandbox()
    with pytest.raises(TemplateSyntaxError, match="a number too large"):
        env.compile_expression("-1e999")


# --- item 14: printing a callable shows nothing of the implementation -----------------------

def render_in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                      source: str) -> tuple[int, str, str]:
    """``monops render`` of the catalog with ``source`` as its markdown template, run in
    this process (exit code, stdout, stderr), with a cache of its own."""
    monkeypatch.setenv("MONOPS_CACHE_DIR", str(tmp_path / "cache"))
    return run_in_process(["render", "--root", str(with_template(tmp_path, source))])


IMPLEMENTATION = ("0x", "Sandbox", "sandbox", "monops", "method", "bound", "object",
                  "builtin", "function", "class", "Macro", "BlockReference", "LoopContext",
                  "TemplateReference", "jinja2")


@pytest.mark.parametrize(("source", "name"), [
    ("{{ range }}", "range"),
    ("{{ [range] }}|{{ range ~ '' }}|{{ range|string }}", "range"),
    ("{{ 'abc'.upper }}|{{ ['abc'.upper] }}|{{ 'abc'.upper|string }}", "upper"),
    ("{{ invoices[0].get }}|{{ invoices[0]|attr('items') }}|{{ invoices[0]['keys'] }}", "get"),
    ("{% for i in invoices %}{{ loop }}|{{ loop.cycle }}{% endfor %}", "cycle"),
    ("{% macro m() %}{% endmacro %}{{ m }}", "m"),
    ("{{ self }}|{{ self.b }}{% block b %}{% endblock %}", "b"),
])
def test_a_callable_prints_without_its_implementation(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, source: str, name: str) -> None:
    code, out, err = render_in_process(tmp_path, monkeypatch, source)
    assert (code, err) == (0, "")
    assert name in out
    shown = [word for word in IMPLEMENTATION if word in out]
    assert shown == [], out


def test_a_printed_callable_still_works(tmp_path: Path,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    source = ("{{ range(3)|list }} {{ 'abc'.upper() }} {{ invoices[0].get('currency') }} "
              "{% for k in invoices[0].keys()|sort %}{% if loop.first %}{{ k }}{% endif %}"
              "{% endfor %} {% for i in [1, 2] %}{{ loop.cycle('x', 'y') }}{% endfor %}")
    assert render_in_process(tmp_path, monkeypatch, source) == (
        0, "[0, 1, 2] ABC USD channel xy\n", "")


@pytest.mark.parametrize("source", ["{{ range|tojson }}", "{{ 'abc'.upper|tojson }}"])
def test_a_callable_written_as_json_is_refused_without_its_implementation(
        source: str) -> None:
    with pytest.raises(TypeError) as refused:
        make_sandbox().from_string(source).render()
    assert str(refused.value) == "a callable cannot be written as JSON"
