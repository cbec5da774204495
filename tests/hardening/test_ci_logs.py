"""CI logs (issue 7): catalog text cannot forge GitHub workflow commands, and SARIF and
JUnit stay valid documents whatever Unicode the messages hold.

See also tests/reporters/test_reporters.py (the escaping functions on their own).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tests.conftest import REPO, write_catalog
from tests.hardening.conftest import TODAY, assert_clean_exit, monops

pytestmark = pytest.mark.e2e  # monops runs in a subprocess

# Double-quoted YAML escapes put NUL, BEL, ESC, CR and LF into the values themselves.
FORGERY = r"Web\n::add-mask::hunter2\r\n::error file=x.yaml,line=1::forged 100% %0A %25"
UNICODE = (r"\u0000 \x07 \e \U0001F600 \u202Eevil\u202C \u200F \u0301lone "
           r"\uFFFF \u2028 \x85 ::notice::y")
FILES = {
    "catalog/c.yaml": f'kind: channel\nid: web\nname: "{FORGERY}"\ncurrencies: [USD]\n'
                      "offerings: []\n",
    "catalog/u.yaml": f'kind: channel\nid: uni\nname: "{UNICODE}"\ncurrencies: [USD]\n'
                      "offerings: []\n",
    "catalog/dup.yaml": 'kind: product\nid: dup\nname: D\nstatus: draft\n'
                        '"::error::k\\n%0A\\u0000": 1\n"::error::k\\n%0A\\u0000": 2\n',
    "catalog/kind.yaml": 'kind: "::warning::x\\n\\x07"\nid: k\n',
    "catalog/we:ird,na%me.yaml": "kind: product\nid: w\nname: W\nstatus: draft\n"
                                 "status: draft\n",
    "rules/r.yaml": "kind: rule\nid: acme/names\nseverity: warning\neach: channel\n"
                    "assert: 'false'\nmessage: '{{ channel.name }}'\n"
                    'hint: "line one\\nline two ::error::x 50%\\r\\n::add-mask::z"\n',
}


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_catalog(tmp_path_factory.mktemp("logs") / "c", FILES)


def lint(root: Path, fmt: str) -> str:
    run = monops("lint", "--root", str(root), "--format", fmt, "--today", TODAY)
    assert_clean_exit(run)
    assert run.returncode == 1, run.stderr
    return run.stdout


@pytest.fixture(scope="module")
def findings(catalog: Path) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = json.loads(lint(catalog, "json"))["findings"]
    # the catalog text reached the messages: otherwise this file tests nothing
    texts = " ".join(f["message"] + (f["hint"] or "") for f in result)
    for needle in ("::add-mask::hunter2", "\n", "\r", "%0A", "\x00", "\x07", "\x1b",
                   "\U0001F600", "\u202e", "\u0301", "::notice::y"):
        assert needle in texts, needle
    return result


def written_out(text: str) -> str:
    """Control characters and bidi controls (overrides, isolates, marks) as the reporters
    write them: ``\\x1b``, ``\\u200f``."""
    return re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e"
                  "\u2066-\u2069]",
                  lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                  else f"\\u{ord(m.group()):04x}", text)


def unescape(data: str) -> str:
    return data.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def test_github_format_one_command_line_per_finding(catalog: Path,
                                                    findings: list[dict[str, Any]]) -> None:
    text = lint(catalog, "github")
    assert "\r" not in text  # the runner splits its log at CR and LF
    lines = text.split("\n")
    assert lines[-1] == ""
    commands, summary = lines[:-2], lines[-2]
    assert len(commands) == len(findings) == 5
    assert summary == "Found 3 errors and 2 warnings in 6 files."
    command = re.compile(r"::(error|warning|notice) file=([^,:\n]*),line=(\d+),col=(\d+),"
                         r"title=([^,:\n]*)::(.*)\Z", re.S)
    by_place = {(f["path"], f["line"], f["column"], f["rule"]): f for f in findings}
    for line in commands:
        match = command.match(line)
        assert match, line
        level, path, row, column, title, data = match.groups()
        finding = by_place[(unescape(path).replace("%3A", ":").replace("%2C", ","),
                            int(row), int(column), title.replace("%2F", "/"))]
        assert level == {"error": "error", "warning": "warning"}[finding["severity"]]
        expected = finding["message"] + (f"\n{finding['hint']}" if finding["hint"] else "")
        assert unescape(data) == written_out(expected)  # escaped, not dropped or mangled
        assert "%" not in data.replace("%25", "").replace("%0A", "").replace("%0D", "")


def test_github_format_escapes_file_names(catalog: Path) -> None:
    text = lint(catalog, "github")
    assert "::error file=catalog/we%3Aird%2Cna%25me.yaml,line=5,col=1,title=yaml-trap::" \
           'duplicate key "status" (first at line 4)' in text


def test_no_escape_sequence_reaches_the_log_or_the_terminal(catalog: Path) -> None:
    # ESC, NUL, BEL and U+202E from double-quoted YAML escapes are written out
    for fmt in ("github", "text"):
        text = lint(catalog, fmt)
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e]", text)
        assert "\\x00 \\x07 \\x1b \U0001F600 \\u202eevil\\u202c" in text


def test_nothing_forged_starts_a_line(catalog: Path) -> None:
    for fmt in ("github", "text"):
        text = lint(catalog, fmt)
        for line in text.split("\n"):
            assert not line.startswith(("::add-mask::", "::error::", "::error file=x.yaml",
                                        "::notice::", "::warning::x")), (fmt, line)


def sarif_schema() -> dict[str, Any] | None:
    for shared in (REPO.parent / "shared", Path("/work/shared")):
        path = shared / "reference" / "sarif" / "sarif-schema-2.1.0.json"
        if path.is_file():
            schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
            return schema
    return None


def test_sarif_stays_valid_whatever_the_unicode(catalog: Path,
                                                findings: list[dict[str, Any]]) -> None:
    log = json.loads(lint(catalog, "sarif"))
    schema = sarif_schema()
    if schema is not None:  # shared/ is beside the repository in CI and here
        jsonschema.validate(log, schema)
    results = log["runs"][0]["results"]
    assert len(results) == len(findings)
    texts = [r["message"]["text"] for r in results]
    for finding in findings:  # every message survives, character for character
        assert any(finding["message"] in text for text in texts), finding["message"]


def test_junit_stays_valid_xml_whatever_the_unicode(catalog: Path,
                                                    findings: list[dict[str, Any]]) -> None:
    text = lint(catalog, "junit")
    tree = ET.fromstring(text.encode("utf-8"))
    assert tree.tag in ("testsuites", "testsuite")
    # errors are <failure>s, warnings (under --fail-on error) <system-out>
    failures = "\n".join(element.text or "" for element in tree.iter()
                         if element.tag in ("failure", "system-out"))
    for finding in findings:
        # XML 1.0 cannot hold NUL, BEL, ESC or U+FFFF, even escaped: they are shown as
        # \\uXXXX; every other character is kept as it is
        shown = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]",
                       lambda m: f"\\u{ord(m.group()):04x}", finding["message"])
        assert shown in failures, shown
    # one test case per rule: yaml-trap, schema, acme/names
    cases = tree.iter("testcase")
    assert {c.get("name") for c in cases} >= {"yaml-trap", "schema", "acme/names"}
