"""Small static SVG charts drawn at build time: no script, no external request.

Bars are filled with ``currentColor``, so a chart takes the colour of the text around it and reads
in the dark theme as in the light one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from markupsafe import Markup, escape

BAR_WIDTH = 12
BAR_GAP = 3
HEIGHT = 48
LABEL_HEIGHT = 14


def months_between(first: tuple[int, int], last: tuple[int, int]) -> list[tuple[int, int]]:
    months, (year, month) = [], first
    while (year, month) <= last:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def papers_per_month(days: list[dt.date]) -> Markup:
    """Bar chart of how many of ``days`` fall in each month, from the first month to the last."""
    counts = Counter((day.year, day.month) for day in days)
    if not counts:
        return Markup("")
    months = months_between(min(counts), max(counts))
    peak = max(counts.values())
    width = len(months) * (BAR_WIDTH + BAR_GAP)
    bars = []
    for index, (year, month) in enumerate(months):
        n = counts.get((year, month), 0)
        height = round(HEIGHT * n / peak) if n else 0
        x = index * (BAR_WIDTH + BAR_GAP)
        name = dt.date(year, month, 1).strftime("%b %Y")
        bars.append(f'<rect x="{x}" y="{HEIGHT - height}" width="{BAR_WIDTH}" height="{max(height, 1)}" '
                    f'opacity="{1 if n else 0.25}"><title>{escape(name)}: {n} paper{"s" if n != 1 else ""}'
                    f"</title></rect>")
    first, last = (dt.date(y, m, 1).strftime("%b %Y") for y, m in (months[0], months[-1]))
    baseline = HEIGHT + LABEL_HEIGHT - 2
    labels = f'<text x="0" y="{baseline}" font-size="10">{first}</text>'
    if len(months) > 1:
        labels += f'<text x="{width}" y="{baseline}" font-size="10" text-anchor="end">{last}</text>'
    total = sum(counts.values())
    return Markup(
        f'<svg class="digest-chart" role="img" width="{max(width, 80)}" height="{HEIGHT + LABEL_HEIGHT}" '
        f'viewBox="0 0 {max(width, 80)} {HEIGHT + LABEL_HEIGHT}" fill="currentColor" '
        f'aria-label="{total} papers from {first} to {last}">'
        + "".join(bars) + labels + "</svg>"
    )
