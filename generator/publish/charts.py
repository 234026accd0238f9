"""Small static SVG charts drawn at build time: no script, no external request.

Bars are filled with ``currentColor``, so a chart takes the colour of the text around it and reads
in the dark theme as in the light one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from markupsafe import Markup, escape

from generator.publish.labels import format_day, short_month_label

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
        name = short_month_label(year, month)
        bars.append(f'<rect x="{x}" y="{HEIGHT - height}" width="{BAR_WIDTH}" height="{max(height, 1)}" '
                    f'opacity="{1 if n else 0.25}"><title>{escape(name)}: {n} paper{"s" if n != 1 else ""}'
                    f"</title></rect>")
    first, last = (short_month_label(y, m) for y, m in (months[0], months[-1]))
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


CELL = 11
CELL_GAP = 2
WEEKDAY_LABELS = {0: "Mon", 2: "Wed", 4: "Fri"}
LEVELS = (0.25, 0.45, 0.65, 0.85, 1.0)
"""Cell opacities: no paper, then four steps up to the busiest day."""


def papers_per_day(counts: dict[dt.date, int]) -> Markup:
    """A calendar of digest days, one column per week (Monday first) and one cell per day, darker for
    more papers; each cell's title gives the day and its count."""
    if not counts:
        return Markup("")
    first, last = min(counts), max(counts)
    start = first - dt.timedelta(days=first.weekday())
    weeks = (last - start).days // 7 + 1
    peak = max(counts.values())
    left, top = 30, 14
    cells, months = [], []
    for offset in range((last - start).days + 1):
        day = start + dt.timedelta(days=offset)
        if day < first:
            continue
        week, weekday = offset // 7, day.weekday()
        x, y = left + week * (CELL + CELL_GAP), top + weekday * (CELL + CELL_GAP)
        n = counts.get(day, 0)
        level = LEVELS[0] if n == 0 else LEVELS[min(4, 1 + (3 * (n - 1)) // max(peak - 1, 1))]
        label = f"{format_day(day)}: {n} paper{'s' if n != 1 else ''}"
        cells.append(f'<rect x="{x}" y="{y}" width="{CELL}" height="{CELL}" rx="2" opacity="{level}">'
                     f"<title>{escape(label)}</title></rect>")
        if day.day == 1 or day == first:
            months.append(f'<text x="{x}" y="{top - 4}" font-size="9">{day:%b}</text>')
    labels = "".join(f'<text x="0" y="{top + d * (CELL + CELL_GAP) + CELL - 2}" font-size="9">{name}</text>'
                     for d, name in WEEKDAY_LABELS.items())
    width, height = left + max(weeks, 3) * (CELL + CELL_GAP), top + 7 * (CELL + CELL_GAP)
    total = sum(counts.values())
    return Markup(
        f'<svg class="digest-chart digest-calendar" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" fill="currentColor" aria-label="{total} papers on '
        f'{len(counts)} digest days from {first.isoformat()} to {last.isoformat()}">'
        + labels + "".join(months) + "".join(cells) + "</svg>"
    )


def upvote_history(points: list[tuple[dt.date, int]]) -> Markup:
    """A small line of a paper's upvotes over its digest days (two days or more); each point's title
    gives the day and the count."""
    if len({day for day, _ in points}) < 2:
        return Markup("")
    width, height, pad = 240, 60, 6
    days = [day.toordinal() for day, _ in points]
    low, high = min(days), max(days)
    peak = max(max(n for _, n in points), 1)
    coords = [(pad + (width - 2 * pad) * (d - low) / (high - low), height - pad - (height - 2 * pad) * n / peak)
              for d, (_, n) in zip(days, points, strict=True)]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coords)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3"><title>{format_day(day)}: '
                   f"{n} upvotes</title></circle>" for (x, y), (day, n) in zip(coords, points, strict=True))
    return Markup(
        f'<svg class="digest-chart" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" fill="currentColor" '
        f'aria-label="Upvotes from {points[0][1]} to {points[-1][1]}">'
        f'<polyline points="{line}" fill="none" stroke="currentColor" stroke-width="1.5"/>{dots}</svg>'
    )


def sparkline(counts: list[int], label: str) -> Markup:
    """A word-sized line of weekly counts, oldest first; ``label`` says what it shows to screen readers."""
    width, height, pad = 80, 18, 2
    peak = max(max(counts, default=0), 1)
    step = (width - 2 * pad) / max(len(counts) - 1, 1)
    line = " ".join(f"{pad + i * step:.1f},{height - pad - (height - 2 * pad) * n / peak:.1f}"
                    for i, n in enumerate(counts))
    return Markup(
        f'<svg class="digest-sparkline" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-label="{escape(label)}">'
        f'<polyline points="{line}" fill="none" stroke="currentColor" stroke-width="1.5"/></svg>'
    )
