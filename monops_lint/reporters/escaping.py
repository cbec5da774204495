"""Catalog text made safe for where it is written: a terminal or CI log, or Markdown.

Catalog files come from pull requests by strangers: a product name can hold
an escape sequence, a carriage return, a bidi override or Markdown that
links, mentions or forges a table. Every reporter that writes catalog text
passes it through one of these.
"""

from __future__ import annotations

import re

# C0 and C1 controls (not TAB, LF, CR: each format handles those) and the bidi overrides.
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` with control characters and bidi overrides written out (``\\x1b``,
    ``\\u202e``): catalog text cannot send a terminal or a CI log an escape sequence, nor
    make a line read backwards."""
    return _INVISIBLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                          else f"\\u{ord(m.group()):04x}", text)


_MARKDOWN_SPECIAL = str.maketrans({
    "\\": "\\\\", "|": "\\|", "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]",
    "*": "\\*", "_": "\\_", "\n": " ", "\r": " ",
    "@": "@\u200b",  # no @mention from catalog text
})


def markdown_text(value: object) -> str:
    """Catalog text made inert in Markdown: no table break, link, emphasis, HTML or mention.

    Backticks stay: messages name fields as `code`, and a code span cannot
    carry a link, HTML or a mention.
    """
    return str(value).translate(_MARKDOWN_SPECIAL)
