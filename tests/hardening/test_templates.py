"""Templates and custom rules (issue 7): sandbox escapes, resource abuse, includes,
StrictUndefined and HTML escaping, through catalog templates (``templates:`` in
monops.yaml, ``invoice.<fmt>.j2`` overrides) and custom rules (``kind: rule``).

See also tests/sandbox/test_sandbox.py: the same escapes against the sandbox alone.
"""

from __future__ import annotations

import contextlib
import io
import resource
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from monops_lint import cli
from monops_lint.reporters import templating
from monops_lint.sandbox import Limits
from tests.conftest import write_catalog
from tests.hardening.conftest import (
    Expect,
    assert_clean_exit,
    assert_findings,
    assert_one_line_error,
    lint_json,
    monops,
)

pytestmark = pytest.mark.e2e  # monops runs in a subprocess

HTML_NAME = '<script>alert("pwned")</script>'
HTML_CUSTOMER = "<img src=x onerror=alert(1)>&amp;"
CATALOG = {
    "catalog/p.yaml": "kind: product\nid: gadget\nname: Gadget\nstatus: draft\n",
    "pricing/p.yaml": f"kind: plan\nid: p\nname: '{HTML_NAME}'\nproduct: gadget\n"
                      "billing_period: month\nversions:\n  - effective_from: 2026-01-01\n"
                      "    charges:\n"
                      "      - {id: base, type: recurring, model: flat, amount: {USD: 5.00}}\n",
    "catalog/c.yaml": "kind: channel\nid: web\nname: Web\ncurrencies: [USD]\n"
                      "offerings: [{plan: p}]\n",
    "scenarios/s.yaml": "kind: scenario\nid: s\nchannel: web\ncurrency: USD\n"
                        "period: {start: 2027-01-01, end: 2027-01-31}\n"
                        f"customer: {{name: '{HTML_CUSTOMER}', country: US, tax_rate: 0}}\n"
                        "subscriptions: [{plan: p}]\n",
}
CONFIG = "paths: [catalog, pricing, scenarios, rules]\ntemplates: templates/\n"
PREFIX = "the catalog's template invoice.md.j2: "


def with_template(tmp_path: Path, source: str, name: str = "invoice.md.j2") -> Path:
    return write_catalog(tmp_path / "c", {**CATALOG, f"templates/{name}": source}, CONFIG)


def limit_memory() -> None:
    """In the child: 1 GiB of address space, so a value of 10^9 characters cannot exist."""
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


# --- the known Jinja2 escapes ------------------------------------------------------------

@pytest.mark.parametrize(("source", "message"), [
    # `cycler` is gone, and its `__init__` is refused before that is even noticed
    ("{{ cycler.__init__.__globals__.os }}",
     "SecurityError: attribute '__init__' is refused: names starting with `_` are private"),
    ("{{ cycler }}", "UndefinedError: 'cycler' is undefined"),
    ("{{ joiner }}{{ namespace }}", "UndefinedError: 'joiner' is undefined"),
    ("{{ lipsum.__globals__['os'].popen('id').read() }}",
     "SecurityError: attribute '__globals__' is refused: names starting with `_` are private"),
    ("{{ lipsum() }}", "UndefinedError: 'lipsum' is undefined"),
    ("{{ ''.__class__.__mro__[1].__subclasses__() }}",
     "SecurityError: attribute '__class__' is refused"),
    ("{{ invoices.__class__.__mro__ }}", "SecurityError: attribute '__class__' is refused"),
    ("{{ invoices[0]['__class__'] }}", "SecurityError: attribute '__class__' is refused"),
    ("{{ invoices|map(attribute='__class__')|list }}",
     "SecurityError: attribute '__class__' is refused"),
    ("{{ invoices[0]|attr('__class__') }}", "SecurityError: attribute '__class__' is refused"),
    ("{{ range.__self__ }}", "SecurityError: attribute '__self__' is refused"),
    ("{{ self.__init__.__globals__ }}", "SecurityError: attribute '__init__' is refused"),
    ("{{ '{0.__class__.__mro__}'.format(invoices) }}",
     "SecurityError: str.format and str.format_map are refused in the sandbox"),
    ("{{ '{0}'.format_map(invoices) }}", "SecurityError: str.format and str.format_map"),
    ("{{ ('{0.__class__}'|attr('format'))(invoices) }}",
     "SecurityError: str.format and str.format_map are refused in the sandbox"),
    ("{{ config }}{{ request }}", "UndefinedError: 'config' is undefined"),
])
def test_template_escapes_are_refused(tmp_path: Path, source: str, message: str) -> None:
    run = monops("render", "--root", str(with_template(tmp_path, source)))
    assert_one_line_error(run, PREFIX + message)
    assert run.stdout == ""


# --- resource abuse ----------------------------------------------------------------------

@pytest.mark.parametrize(("source", "message"), [
    ("{{ 'x' * 10**9 }}",
     "SandboxLimitError: repeating 1,000,000,000 times would make a value over 8,000,000 "
     "characters"),
    ("{{ 7 ** (10**8) }}", "SandboxLimitError: `7 ** 100000000` would be a number over "
                           "16,384 bits"),
    ("{{ '%0999999999d' % 1 }}", "SandboxLimitError"),
    ("{{ 'x'|center(10**9) }}", "SandboxLimitError"),
    ("{% for i in range(10**8) %}{% endfor %}",
     "SandboxLimitError: range of 100,000,000 items; the sandbox allows 10,000"),
    ("{% for a in range(10000) %}{% for b in range(10000) %}{{ 'x' * 1000 }}{% endfor %}"
     "{% endfor %}", "SandboxLimitError: the output is over 64,000,000 characters"),
    ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "RecursionError"),
])
def test_resource_abuse_is_bounded_in_time_and_memory(tmp_path: Path, source: str,
                                                      message: str) -> None:
    started = time.perf_counter()
    run = monops("render", "--root", str(with_template(tmp_path, source)), timeout=120,
                 preexec_fn=limit_memory)
    elapsed = time.perf_counter() - started
    print(f"{source[:60]!r}: {elapsed:.2f} s")
    assert_one_line_error(run, PREFIX + message)
    assert elapsed < 30  # refused before the work, not after it


def test_jinja_reads_7_pow_10_pow_8_as_a_small_number(tmp_path: Path) -> None:
    # Jinja's ** binds left to right: `7 ** 10**8` is (7**10)**8 = 7**80, 68 digits
    # (40536215597144386832065866109016673800875222251012083746192454448001): harmless.
    run = monops("render", "--root", str(with_template(tmp_path, "{{ 7 ** 10**8 }}")),
                 preexec_fn=limit_memory)
    assert_clean_exit(run)
    assert run.stdout == "40536215597144386832065866109016673800875222251012083746192454448001\n"


@contextlib.contextmanager
def template_seconds(seconds: float) -> Iterator[None]:
    saved = templating.TEMPLATE_LIMITS
    templating.TEMPLATE_LIMITS = Limits(seconds=seconds, max_size=saved.max_size,
                                        max_output=saved.max_output)
    try:
        yield
    finally:
        templating.TEMPLATE_LIMITS = saved


def test_nested_loops_that_print_nothing_stop_at_the_deadline(tmp_path: Path) -> None:
    # 10^8 empty iterations would take minutes; a render is cut at TEMPLATE_LIMITS.seconds
    # (60 s in production: lowered to 1 s here, in-process, to keep the suite fast).
    root = with_template(tmp_path, "{% for a in range(10000) %}{% for b in range(10000) %}"
                                   "{% endfor %}{% endfor %}")
    err = io.StringIO()
    started = time.perf_counter()
    with template_seconds(1.0), contextlib.redirect_stderr(err), \
            contextlib.redirect_stdout(io.StringIO()), pytest.raises(SystemExit) as stop:
        cli.main(["render", "--root", str(root)])
    elapsed = time.perf_counter() - started
    print(f"nested loops stopped after {elapsed:.2f} s")
    assert stop.value.code == 2
    assert err.getvalue() == (f"monops: error: {PREFIX}SandboxTimeout: evaluation took longer "
                              "than 1 s\n")
    assert elapsed < 10


# --- includes, undefined fields, HTML ------------------------------------------------------

@pytest.mark.parametrize(("source", "message"), [
    ("{% include '../../etc/passwd' %}", "TemplateNotFound: ../../etc/passwd"),
    ("{% include '/etc/passwd' %}", "TemplateNotFound: /etc/passwd"),
    ("{% extends '../../etc/passwd' %}", "TemplateNotFound: ../../etc/passwd"),
    ("{% import 'secret.txt' as s %}", "TemplateNotFound: secret.txt"),
    ("{% include 'secret.txt' %}", "TemplateNotFound: secret.txt"),
    ("{% include 'invoice.html.j2' %}", "TemplateNotFound: invoice.html.j2"),
])
def test_includes_read_no_other_file(tmp_path: Path, source: str, message: str) -> None:
    root = with_template(tmp_path, source)
    (root / "templates" / "secret.txt").write_text("SECRET-IN-THE-TEMPLATE-FOLDER\n")
    run = monops("render", "--root", str(root))
    assert_one_line_error(run, PREFIX + message)
    assert "SECRET" not in run.stdout + run.stderr and "root:" not in run.stdout


@pytest.mark.parametrize(("source", "message"), [
    ("{{ invoices[0].custmer }}", "UndefinedError: 'dict object' has no attribute 'custmer'"),
    ("{{ invoices[0].customer.nmae }}", "UndefinedError: 'dict object' has no attribute 'nmae'"),
    ("{% for i in invoices %}{{ i.totl }}{% endfor %}",
     "UndefinedError: 'dict object' has no attribute 'totl'"),
    ("{{ invoice.total }}", "UndefinedError: 'invoice' is undefined"),
])
def test_a_misspelt_field_is_an_error_not_an_empty_string(tmp_path: Path, source: str,
                                                          message: str) -> None:
    assert_one_line_error(monops("render", "--root", str(with_template(tmp_path, source))),
                          PREFIX + message)


def test_html_in_catalog_text_is_escaped_in_render_html(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "c", CATALOG)
    run = monops("render", "--format", "html", "--root", str(root))
    assert_clean_exit(run)
    assert run.returncode == 0
    assert "<script>alert" not in run.stdout and "<img src=x" not in run.stdout
    assert "&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;" in run.stdout
    assert "&lt;img src=x onerror=alert(1)&gt;&amp;amp;" in run.stdout
    # a catalog's own HTML template is autoescaped too
    root = with_template(tmp_path / "own", "{{ invoices[0].lines[0].plan_name }}|"
                                           "{{ invoices[0].customer.name }}", "invoice.html.j2")
    run = monops("render", "--format", "html", "--root", str(root))
    assert run.returncode == 0
    assert run.stdout == ("&lt;script&gt;alert(&#34;pwned&#34;)&lt;/script&gt;|"
                          "&lt;img src=x onerror=alert(1)&gt;&amp;amp;\n")


# --- custom rules (kind: rule) --------------------------------------------------------------

def rule(name: str, field: str, source: str) -> str:
    """A custom rule on every channel whose ``field`` is ``source`` (single-quoted YAML)."""
    quoted = "'" + source.replace("'", "''") + "'"
    body = {"assert": f"assert: {quoted}\nmessage: m\n",
            "message": f"assert: 'false'\nmessage: {quoted}\n"}[field]
    return f"kind: rule\nid: acme/{name}\nseverity: error\neach: channel\n{body}"


# name -> (field, source, message fragment). `assert: '` puts the expression at 5:9,
# `message: '` at 6:10.
RULES = {
    "cycler": ("assert", "cycler.__init__.__globals__.os", "attribute '__init__' is refused"),
    "cycler-bare": ("assert", "cycler", "'cycler' is undefined"),
    "lipsum": ("assert", "lipsum.__globals__", "attribute '__globals__' is refused"),
    "lipsum-call": ("assert", "lipsum()", "'lipsum' is undefined"),
    "mro": ("assert", "''.__class__.__mro__[1].__subclasses__()",
            "attribute '__class__' is refused: names starting with `_` are private"),
    "view-class": ("assert", "channel.__class__", "attribute '__class__' is refused"),
    "format": ("assert", "'{0.__class__}'.format(channel)",
               "str.format and str.format_map are refused in the sandbox"),
    "attr-format": ("assert", "('{0.__class__}'|attr('format'))(channel)",
                    "str.format and str.format_map are refused in the sandbox"),
    "repeat": ("assert", "'x' * 10**9",
               "repeating 1,000,000,000 times would make a value over 1,000,000 characters"),
    "power": ("assert", "7 ** (10**8)", "`7 ** 100000000` would be a number over 16,384 bits"),
    "loops": ("message", "{% for a in range(10000) %}{% for b in range(10000) %}{% endfor %}"
                         "{% endfor %}x", "evaluation took longer than 1 s; the rule stopped "
                                          "there"),
    "loud": ("message", "{% for a in range(10000) %}{{ a }}{% endfor %}",
             "the output is over 4,000 characters"),
    "include": ("message", "{% include '../../etc/passwd' %}",
                "TypeError: no loader for this environment specified"),
    "typo": ("assert", "'EUR' in channel.currency",
             "channel has no field 'currency' (did you mean `currencies`?)"),
}


@pytest.fixture(scope="module")
def custom_findings(tmp_path_factory: pytest.TempPathFactory) -> list[object]:
    files = {**CATALOG, **{f"rules/{n}.yaml": rule(n, f, s) for n, (f, s, _) in RULES.items()}}
    root = write_catalog(tmp_path_factory.mktemp("rules") / "c", files)
    started = time.perf_counter()
    run, findings = lint_json(root)
    print(f"lint with {len(RULES)} hostile custom rules: {time.perf_counter() - started:.2f} s")
    assert run.returncode == 1
    return findings


@pytest.mark.parametrize("name", list(RULES))
def test_custom_rule_abuse_is_a_finding(name: str, custom_findings: list[dict[str, object]]
                                        ) -> None:
    field, _, message = RULES[name]
    line, column = (5, 9) if field == "assert" else (6, 10)
    assert_findings(custom_findings, f"rules/{name}.yaml", [Expect(
        "custom-rule", line, column, f"custom rule acme/{name}: `{field}` failed on channel "
        f"web: {message}")])
    # a rule whose message fails still reports the entity that fails it, at its id
    at_channel = [f for f in custom_findings if f["rule"] == f"acme/{name}"]
    if field == "message":
        assert [(f["path"], f["line"], f["column"], f["message"]) for f in at_channel] == [
            ("catalog/c.yaml", 2, 5, f"channel web fails custom rule acme/{name}")]
    else:
        assert at_channel == []


@pytest.mark.parametrize("source", ["{{ 'x'|attr('format') }}", "{{ 'x'.format_map }}"])
def test_a_refused_format_prints_no_address(tmp_path: Path, source: str) -> None:
    run = monops("render", "--root", str(with_template(tmp_path, source)))
    assert_clean_exit(run)
    assert run.stdout == "<str.format: refused in the sandbox>\n"
