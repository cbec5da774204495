"""Hostile Kill Bill XML given to ``monops import killbill`` (issue 18): entity bombs,
external entities, DTDs, huge files, pipes and things that are not XML. Each is one
``monops: error:`` line and exit 2, nothing outside the file is read, nothing written."""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.hardening.conftest import assert_one_line_error, monops

SECRET = "monops-killbill-secret-3f9a"

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE catalog [
  <!ENTITY lol "lol">
  <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<catalog><catalogName>&lol9;</catalogName></catalog>
"""


def _secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text(SECRET)
    return path


CASES: dict[str, Callable[[Path], str]] = {
    "billion-laughs": lambda tmp: BILLION_LAUGHS,
    "external-entity": lambda tmp: (
        f'<?xml version="1.0"?><!DOCTYPE catalog [<!ENTITY x SYSTEM "file://{_secret(tmp)}">]>'
        "<catalog><catalogName>&x;</catalogName></catalog>"),
    "external-dtd": lambda tmp: (
        f'<?xml version="1.0"?><!DOCTYPE catalog SYSTEM "file://{_secret(tmp)}"><catalog/>'),
    "parameter-entity": lambda tmp: (
        f'<?xml version="1.0"?><!DOCTYPE catalog [<!ENTITY % p SYSTEM "file://{_secret(tmp)}">'
        "%p;]><catalog/>"),
    "network-dtd": lambda tmp: (
        '<?xml version="1.0"?><!DOCTYPE catalog SYSTEM "http://127.0.0.1:9/x.dtd"><catalog/>'),
    "xinclude": lambda tmp: (
        '<catalog xmlns:xi="http://www.w3.org/2001/XInclude">'
        f'<xi:include href="{_secret(tmp)}" parse="text"/></catalog>'),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_entities_dtds_and_includes_are_refused_and_read_nothing(tmp_path: Path,
                                                                 case: str) -> None:
    source = tmp_path / "hostile.xml"
    source.write_text(CASES[case](tmp_path))
    started = time.monotonic()
    run = monops("import", "killbill", str(source), "--out", str(tmp_path / "out"))
    assert time.monotonic() - started < 60
    line = assert_one_line_error(run, str(source))
    assert SECRET not in run.stdout + run.stderr
    assert not (tmp_path / "out").exists()
    if case != "xinclude":  # no DTD is read at all: refused, not expanded
        assert "refused" in line


@pytest.mark.parametrize(("name", "content", "fragment"), [
    ("empty.xml", b"", "not well-formed XML"),
    ("yaml.xml", b"kind: plan\nid: x\n", "not well-formed XML"),
    ("binary.xml", bytes(range(256)) * 4, "not well-formed XML"),
    ("half.xml", b"<catalog><plans>", "not well-formed XML"),
    ("utf16.xml", "<catalog/>".encode("utf-16"), "<priceLists> is missing"),
    ("other-root.xml", b"<plans/>", "not a Kill Bill catalog"),
    ("no-price-lists.xml", b"<catalog><catalogName>x</catalogName></catalog>",
     "catalog: <priceLists> is missing"),
    ("bad-number.xml", b"<catalog><effectiveDate>2026-01-01T00:00:00Z</effectiveDate>"
     b"<catalogName>x</catalogName><plans><plan name='p'><product>x</product><finalPhase "
     b"type='EVERGREEN'><duration><unit>UNLIMITED</unit></duration><recurring><billingPeriod>"
     b"MONTHLY</billingPeriod><recurringPrice><price><currency>USD</currency><value>1e400"
     b"</value></price></recurringPrice></recurring></finalPhase></plan></plans><priceLists>"
     b"<defaultPriceList name='DEFAULT'><plans/></defaultPriceList></priceLists></catalog>",
     "'1e400' is not a number"),
])
def test_what_is_not_a_catalog_is_one_line(tmp_path: Path, name: str, content: bytes,
                                           fragment: str) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    run = monops("import", "killbill", str(source), "--out", str(tmp_path / "out"))
    assert_one_line_error(run, str(source), fragment)
    assert not (tmp_path / "out").exists()


def test_a_huge_file_is_refused_unread(tmp_path: Path) -> None:
    source = tmp_path / "huge.xml"
    with source.open("wb") as stream:  # 4 GiB, sparse: reading it whole would take minutes
        stream.truncate(4 << 30)
    started = time.monotonic()
    run = monops("import", "killbill", str(source), "--out", str(tmp_path / "out"))
    assert time.monotonic() - started < 60
    assert_one_line_error(run, "over the 1,048,576-byte limit (--max-file-bytes)")
    small = tmp_path / "small.xml"
    small.write_bytes(b"<catalog/>" + b" " * 2000)
    run = monops("import", "killbill", str(small), "--out", str(tmp_path / "out"),
                 "--max-file-bytes", "1000")
    assert_one_line_error(run, "over the 1,000-byte limit")
    assert not (tmp_path / "out").exists()


def test_a_pipe_or_a_device_is_refused_without_hanging(tmp_path: Path) -> None:
    fifo = tmp_path / "catalog.xml"
    os.mkfifo(fifo)
    for path in (fifo, Path("/dev/zero")):
        run = monops("import", "killbill", str(path), "--out", str(tmp_path / "out"),
                     timeout=60)
        assert_one_line_error(run, str(path), "not a regular file")
    assert not (tmp_path / "out").exists()
