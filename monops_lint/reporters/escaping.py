"""Catalog text made safe for where it is written: a terminal or CI log, or Markdown.

Catalog files come from pull requests by strangers: a product name can hold
an escape sequence, a carriage return, a bidi override or Markdown that
links, mentions or forges a table. Every reporter that writes catalog text
passes it through one of these.
"""

from __future__ import annotations

import re

# C0 and C1 controls (not TAB, LF, CR: each format handles those) and the bidi overrides.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """``text`` with control characters and bidi overrides written out (``\\x1b``,
    ``\\u202e``): catalog text cannot send a terminal or a CI log an escape sequence, nor
    make a line read backwards."""
    return _INVISIBLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                          else f"\\u{ord(m.group()):04x}", text)


def terminal(text: str) -> str:
    """``text`` for a terminal or a CI log: ``visible``, and a carriage return written out
    too (GitHub's runner splits log lines on it, so a raw one could forge a ``::error``
    command). The one function every line monops prints to a terminal goes through."""
    return visible(text).replace("\r", "\\r")


def terminal_line(text: str) -> str:
    """``terminal``, and a line feed written out too: a name inside one line of output
    (a file name can hold a newline, which would start a line of its own)."""
    return terminal(text).replace("\n", "\\n")


_MARKDOWN_SPECIAL = str.maketrans({
    "\\": "\\\\", "|": "\\|", "<": "&lt;", ">": "&gt;", "[": "\\[", "]": "\\]",
    "*": "\\*", "_": "\\_", "\n": " ", "\r": " ",
    "@": "@\u200b",  # no @mention from catalog text
})


def markdown_text(value: object) -> str:
    """Catalog text made inert in Markdown: no table break, link, emphasis, HTML or mention,
    and, as GitHub reads a comment, no autolink (``https://``, ``www.``), issue or
    cross-repository reference (``#1``, ``org/repo#1``), strikethrough or math (``$``);
    control characters and bidi overrides written out as ``visible`` does.

    Backticks stay: messages name fields as `code`, and a code span cannot
    carry a link, HTML or a mention.
    """
    text = visible(str(value)).translate(_MARKDOWN_SPECIAL)
    return _GITHUB_AUTOLINKS.sub(_inert, text)


def _inert(match: re.Match[str]) -> str:
    # A zero-width space inside what GitHub would link keeps the text as it reads; ``~``
    # and ``$`` are ASCII punctuation, which a backslash escapes.
    found = match.group()
    if found in ("~", "$"):
        return "\\" + found
    if found == "#":
        return "#\u200b"
    return found[:-1] + "\u200b" + found[-1]  # ":\u200b/" + "/", "www\u200b."


_GITHUB_AUTOLINKS = re.compile(r":/(?=/)|(?i:www)\.|#|~|\$")
