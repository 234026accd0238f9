"""Small static SVG charts drawn at build time: no script, no external request. Their geometry is worked
out here, their markup is written by the templates in ``templates/charts/``.

Bars are filled with ``currentColor``, so a chart takes the colour of the text around it and reads
in the dark theme as in the light one.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from markupsafe import Markup

from generator.publish.labels import format_day, plural, short_month_label
from generator.publish.templating import render_markup

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
        bars.append({"x": index * (BAR_WIDTH + BAR_GAP), "y": HEIGHT - height, "width": BAR_WIDTH,
                     "height": max(height, 1), "opacity": 1 if n else 0.25,
                     "title": f"{short_month_label(year, month)}: {plural(n, 'paper')}"})
    first, last = (short_month_label(y, m) for y, m in (months[0], months[-1]))
    return render_markup("charts/per_month.svg.j2", width=max(width, 80), height=HEIGHT + LABEL_HEIGHT,
                         total=sum(counts.values()), first=first, last=last, bars=bars,
                         baseline=HEIGHT + LABEL_HEIGHT - 2, last_x=width if len(months) > 1 else None)


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
        cells.append({"x": x, "y": y, "size": CELL, "opacity": level,
                      "title": f"{format_day(day)}: {plural(n, 'paper')}"})
        if day.day == 1 or day == first:
            months.append({"x": x, "y": top - 4, "name": f"{day:%b}"})
    weekdays = [{"y": top + d * (CELL + CELL_GAP) + CELL - 2, "name": name}
                for d, name in WEEKDAY_LABELS.items()]
    return render_markup("charts/per_day.svg.j2", width=left + max(weeks, 3) * (CELL + CELL_GAP),
                         height=top + 7 * (CELL + CELL_GAP), total=sum(counts.values()), days=len(counts),
                         first=first.isoformat(), last=last.isoformat(), weekdays=weekdays, months=months,
                         cells=cells)


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
    dots = [{"x": f"{x:.1f}", "y": f"{y:.1f}", "title": f"{format_day(day)}: {n} upvotes"}
            for (x, y), (day, n) in zip(coords, points, strict=True)]
    return render_markup("charts/upvotes.svg.j2", width=width, height=height, first=points[0][1],
                         last=points[-1][1], line=" ".join(f"{x:.1f},{y:.1f}" for x, y in coords), dots=dots)


def sparkline(counts: list[int], label: str) -> Markup:
    """A word-sized line of weekly counts, oldest first; ``label`` says what it shows to screen readers."""
    width, height, pad = 80, 18, 2
    peak = max(max(counts, default=0), 1)
    step = (width - 2 * pad) / max(len(counts) - 1, 1)
    line = " ".join(f"{pad + i * step:.1f},{height - pad - (height - 2 * pad) * n / peak:.1f}"
                    for i, n in enumerate(counts))
    return render_markup("charts/sparkline.svg.j2", width=width, height=height, label=label, line=line)
