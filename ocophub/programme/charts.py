"""Charts drawn on the server as SVG: no script, no CDN, and they print.

Each chart sits beside the table it draws, which carries the figures for screen
readers and for copying; the SVG is a picture of that table.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

BAR = 18
GAP = 6
LABEL_WIDTH = 230
WIDTH = 520
COLOURS = ("#b3261e", "#c98a00", "#1e7b34", "#0b57d0", "#5e35b1", "#00796b")


def _short(text, limit=30):
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bars(rows, title=""):
    """Horizontal bars, one per (label, value)."""
    rows = [(label, float(value or 0)) for label, value in rows]
    top = max((v for _l, v in rows), default=0) or 1
    span = WIDTH - LABEL_WIDTH - 60
    height = max(1, len(rows)) * (BAR + GAP) + GAP
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
    ]
    for i, (label, value) in enumerate(rows):
        y = GAP + i * (BAR + GAP)
        w = round(span * value / top, 1)
        colour = COLOURS[i % len(COLOURS)] if len(rows) <= len(COLOURS) else COLOURS[0]
        parts.append(
            f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR - 5}" text-anchor="end" '
            f'font-size="12">{escape(_short(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{w}" height="{BAR}" fill="{colour}"/>'
            f'<text x="{LABEL_WIDTH + w + 4}" y="{y + BAR - 5}" font-size="12">'
            f"{_number(value)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def columns(rows, title="", height=200):
    """Vertical columns, one per (label, value): a path over time."""
    rows = [(label, float(value or 0)) for label, value in rows]
    top = max((v for _l, v in rows), default=0) or 1
    n = max(1, len(rows))
    slot = (WIDTH - 20) / n
    plot = height - 40
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{escape(title)}">'
        f"<title>{escape(title)}</title>"
        f'<line x1="10" y1="{plot + 20}" x2="{WIDTH - 10}" y2="{plot + 20}" stroke="#999"/>'
    ]
    for i, (label, value) in enumerate(rows):
        h = round(plot * value / top, 1)
        x = 10 + i * slot + slot * 0.15
        w = round(slot * 0.7, 1)
        cx = round(x + w / 2, 1)
        parts.append(
            f'<rect x="{round(x, 1)}" y="{round(plot + 20 - h, 1)}" width="{w}" height="{h}" '
            f'fill="{COLOURS[0]}"/>'
            f'<text x="{cx}" y="{round(plot + 16 - h, 1)}" text-anchor="middle" '
            f'font-size="11">{_number(value)}</text>'
            f'<text x="{cx}" y="{height - 4}" text-anchor="middle" font-size="11">'
            f"{escape(_short(label, 10))}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))


def _number(value):
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"
