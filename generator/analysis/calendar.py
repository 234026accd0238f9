"""Stage 5c (with topics): the digest's days, ISO weeks and months, each with its papers ranked by the most
upvotes recorded in it."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from generator.records import Calendar, Day, Month, Paper, Ranked, Week

Best = dict[str, Ranked]
"""Papers seen in some span of days by id, each with the most upvotes recorded in it."""


def digest_calendar(papers: list[Paper]) -> Calendar:
    by_day = _best_by_day(papers)
    dated = sorted((d for d in by_day if d), reverse=True)
    days = [_day(day, by_day[day]) for day in dated]
    weeks: dict[tuple[int, int], list[Day]] = defaultdict(list)
    months: dict[tuple[int, int], list[Day]] = defaultdict(list)
    for day in days:
        weeks[iso_week(day.date)].append(day)
        months[day.date.year, day.date.month].append(day)
    undated = [_day(None, by_day[None])] if None in by_day else []
    return Calendar(
        days=days + undated,
        weeks=[Week(year, number, in_week[::-1], _ranked(_merged(by_day, in_week)))
               for (year, number), in_week in weeks.items()],
        months=[Month(year, month, in_month, _ranked(_merged(by_day, in_month)))
                for (year, month), in_month in months.items()],
    )


def _day(day: dt.date | None, best: Best) -> Day:
    return Day(day, sorted((paper for paper, _ in best.values()), key=_by_title), _ranked(best))


def iso_week(day: dt.date) -> tuple[int, int]:
    """An ISO year and week number: (2024, 11) is 11–17 March 2024."""
    year, week, _ = day.isocalendar()
    return year, week


def _best_by_day(papers: list[Paper]) -> dict[dt.date | None, Best]:
    """Each day's papers, in the digest's order, with the most upvotes recorded that day."""
    by_day: dict[dt.date | None, Best] = defaultdict(dict)
    for paper in papers:
        for sighting in paper.sightings:
            _keep_best(by_day[sighting.digest_date], paper, sighting.upvotes)
    return by_day


def _merged(by_day: dict[dt.date | None, Best], days: list[Day]) -> Best:
    merged: Best = {}
    for day in days:
        for paper, count in by_day[day.date].values():
            _keep_best(merged, paper, count)
    return merged


def _keep_best(best: Best, paper: Paper, count: int | None) -> None:
    """``paper`` in ``best`` with the higher of its count there and ``count`` (None: no count given)."""
    _, kept = best.get(paper.id, (paper, None))
    best[paper.id] = (paper, count if kept is None else kept if count is None else max(kept, count))


def _ranked(best: Best) -> list[Ranked]:
    """Most upvoted first (no count counts as fewer than none), then by title."""
    return sorted(best.values(), key=lambda item: (-(item[1] if item[1] is not None else -1),
                                                  item[0].title.lower(), item[0].id))


def _by_title(paper: Paper) -> str:
    return paper.title.lower()
