"""A file's bytes before any parser sees them: size, byte-order mark, encoding, control
characters, line breaks that git does not count, and tabs."""

from __future__ import annotations

import re

from monops_lint.findings import Finding
from monops_lint.source.unread import Oversized
from monops_lint.source.yamlstrict.document import yaml_finding
from monops_lint.source.yamlstrict.positions import Pos

BOM = b"\xef\xbb\xbf"

# YAML's printable set minus tab/LF/CR: C0 and C1 controls (NEL allowed), DEL,
# and the two non-characters.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]")
_TAB = re.compile("\t")
# Line breaks to YAML that git does not count (it breaks lines at LF only): past one of
# these, every line number the parser gives would point at the wrong line of the file.
_HIDDEN_BREAK = re.compile("\r(?!\n)|[\x85\u2028\u2029]")
_BREAK_NAMES = {"\r": "a carriage return without a line feed", "\x85": "U+0085 (next line)",
                "\u2028": "U+2028 (line separator)", "\u2029": "U+2029 (paragraph separator)"}
_MOST_FINDINGS = 20  # of control characters and hidden breaks in one file


def without_bom(data: bytes) -> bytes:
    """``data`` without its UTF-8 byte-order mark, if it starts with one."""
    return data[3:] if data.startswith(BOM) else data


def _position(text: str, offset: int) -> Pos:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def precheck(path: str, data: bytes, max_bytes: int) -> tuple[str | None, list[Finding]]:
    """Size, encoding, control characters, hidden line breaks and tabs: return the text, or
    findings."""
    if len(data) > max_bytes:  # (a source that knows the size reports it without reading)
        return None, [Oversized(len(data)).finding(path, max_bytes)]
    data = without_bom(data)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[: exc.start].decode("utf-8", "replace")
        hint = "save the file as UTF-8"
        if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
            hint = "the file is UTF-16; save it as UTF-8"
        return None, [yaml_finding(
            "yaml-syntax", path, _position(good, len(good)),
            f"not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded", hint)]
    found = []
    if text.count("\x00") * 4 > len(text) > 0:
        # Mostly NUL bytes between characters: UTF-16 without its byte-order mark.
        return None, [yaml_finding("yaml-syntax", path, (1, 1),
                                   "the file looks like UTF-16 (a NUL byte beside every "
                                   "character)", "save the file as UTF-8")]
    for match in _CONTROL.finditer(text):
        found.append(yaml_finding(
            "yaml-syntax", path, _position(text, match.start()),
            f"control character U+{ord(match.group()):04X} is not allowed in YAML",
            "delete the character; write it as an escape in a double-quoted string if it "
            "is really wanted"))
        if len(found) >= _MOST_FINDINGS:
            break
    for match in _HIDDEN_BREAK.finditer(text):
        if len(found) >= _MOST_FINDINGS:
            break
        found.append(yaml_finding(
            "yaml-syntax", path, _position(text, match.start()),
            f"{_BREAK_NAMES[match.group()]} is a line break to YAML but not to git, so line "
            "numbers would not match the file",
            "save the file with LF (or CRLF) line endings" if match.group() == "\r" else
            "delete the character; write it as an escape (\\N, \\L, \\P) in a "
            "double-quoted string if it is really wanted"))
    if not found and "\t" in text:
        seen_lines: set[int] = set()
        for match in _TAB.finditer(text):
            pos = _position(text, match.start())
            if pos[0] not in seen_lines:
                seen_lines.add(pos[0])
                found.append(yaml_finding(
                    "yaml-syntax", path, pos, "tab character: YAML is indented with spaces",
                    "replace the tab with spaces"))
    return (None if found else text), found
