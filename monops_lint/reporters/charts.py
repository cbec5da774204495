"""Small SVG charts for the HTML reports: drawn here, inline, deterministic.

A chart library would add a plotting stack (and its fonts and scripts) to
every install for three kinds of chart; these are a few rectangles and
labels each, byte-identical from run to run (so reports diff cleanly), with
no script and nothing fetched. Every label is escaped; every chart has a
``<title>`` and an ``aria-label`` and its numbers are also in a table beside
it, for screen readers and for copying.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from html import escape

WIDTH = 640
BAR = 18
GAP = 6
LABEL = 170
COLORS = ("#7c8aa5", "#2e6fdb")  # base, head (or a single series)


def _number(value: Decimal, top: Decimal, span: int) -> int:
    """``value``'s length in pixels on a scale where ``top`` fills ``span``."""
    if top <= 0:
        return 0
    return int((max(value, Decimal(0)) * span / top).to_integral_value())


def _svg(title: str, height: int, body: list[str]) -> str:
    label = escape(title, quote=True)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" '
            f'viewBox="0 0 {WIDTH} {height}" width="100%" style="max-width:{WIDTH}px" '
            f'font-family="sans-serif" font-size="11">'
            f"<title>{escape(title)}</title>{''.join(body)}</svg>")


def _short(text: str, length: int = 28) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def paired_bars(title: str, rows: Sequence[tuple[str, Decimal, Decimal]],
                legend: tuple[str, str] = ("base", "head")) -> str:
    """Horizontal bars, two per row (base and head), one row per key."""
    top = max((max(b, h) for _, b, h in rows), default=Decimal(0))
    span = WIDTH - LABEL - 80
    body = [f'<rect x="{LABEL}" y="4" width="10" height="10" fill="{COLORS[0]}"/>'
            f'<text x="{LABEL + 14}" y="13">{escape(legend[0])}</text>'
            f'<rect x="{LABEL + 90}" y="4" width="10" height="10" fill="{COLORS[1]}"/>'
            f'<text x="{LABEL + 104}" y="13">{escape(legend[1])}</text>']
    y = 24
    for key, base, head in rows:
        body.append(f'<text x="{LABEL - 6}" y="{y + BAR - 4}" text-anchor="end">'
                    f"{escape(_short(key))}</text>")
        for offset, value, color in ((0, base, COLORS[0]), (BAR // 2, head, COLORS[1])):
            width = _number(value, top, span)
            body.append(f'<rect x="{LABEL}" y="{y + offset}" width="{width}" '
                        f'height="{BAR // 2 - 1}" fill="{color}"/>')
        y += BAR + GAP
    return _svg(title, y + 4, body)


def bars(title: str, rows: Sequence[tuple[str, Decimal]], unit: str = "") -> str:
    """Horizontal bars, one per key, the value written after each."""
    top = max((v for _, v in rows), default=Decimal(0))
    span = WIDTH - LABEL - 110
    body = []
    y = 6
    for key, value in rows:
        width = _number(value, top, span)
        body.append(f'<text x="{LABEL - 6}" y="{y + BAR - 5}" text-anchor="end">'
                    f"{escape(_short(key))}</text>"
                    f'<rect x="{LABEL}" y="{y}" width="{width}" height="{BAR - 2}" '
                    f'fill="{COLORS[1]}"/>'
                    f'<text x="{LABEL + width + 4}" y="{y + BAR - 5}">'
                    f"{escape(f'{value:,.2f}{unit}')}</text>")
        y += BAR + GAP // 2
    return _svg(title, y + 4, body)


def columns(title: str, rows: Sequence[tuple[str, Decimal]], *, highlight: str = "") -> str:
    """Vertical columns left to right (a histogram, or one per day of the month); the
    ``highlight`` key drawn in the alert color."""
    height, bottom = 180, 150
    count = max(len(rows), 1)
    step = (WIDTH - 40) / count
    top = max((v for _, v in rows), default=Decimal(0))
    body = [f'<line x1="20" y1="{bottom}" x2="{WIDTH - 20}" y2="{bottom}" stroke="#999"/>']
    for index, (key, value) in enumerate(rows):
        x = 20 + index * step
        tall = _number(value, top, bottom - 20)
        color = "#b42318" if key == highlight else COLORS[1]
        body.append(f'<rect x="{x + 1:.1f}" y="{bottom - tall}" width="{max(step - 2, 1):.1f}" '
                    f'height="{tall}" fill="{color}"><title>{escape(key)}: {value}</title>'
                    "</rect>")
        if count <= 12 or index % max(count // 12, 1) == 0:
            body.append(f'<text x="{x + step / 2:.1f}" y="{bottom + 14}" text-anchor="middle">'
                        f"{escape(_short(key, 14))}</text>")
    return _svg(title, height, body)
