"""Stage 5d (with topics and dates): papers ranked by upvotes, overall, within each digest day, week and
month; topics whose share of recent papers grows; papers grouped by the organisation the dumps name."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from generator.records import Paper, Topic
from generator.slugs import unique_slugs

Week = tuple[int, int]
"""An ISO year and week number: (2024, 11) is 11–17 March 2024."""
RECENT_WEEKS = 4
EARLIER_WEEKS = 12
"""Rising topics compare their share of the papers of the last ``RECENT_WEEKS`` weeks with their share of
the ``EARLIER_WEEKS`` weeks before."""

PER_DAY_SHARE = 5
"""Each day lists a fifth as many papers as the overall list (at least ``PER_DAY_MIN``)."""
PER_DAY_MIN = 3


@dataclass
class Trending:
    overall: list[Paper]
    """The most upvoted papers, by each paper's highest count."""
    by_day: list[tuple[dt.date, list[tuple[Paper, int]]]]
    """Newest day first: that day's most upvoted papers, with the count that day's dumps gave."""


def trending(papers: list[Paper], size: int) -> Trending:
    overall = sorted((p for p in papers if p.upvotes is not None), key=lambda p: (-p.upvotes, p.title.lower()))
    counts: dict[dt.date, dict[str, tuple[Paper, int]]] = defaultdict(dict)
    for paper in papers:
        for sighting in paper.sightings:
            if sighting.digest_date and sighting.upvotes is not None:
                _, best = counts[sighting.digest_date].get(paper.id, (paper, -1))
                counts[sighting.digest_date][paper.id] = (paper, max(best, sighting.upvotes))
    per_day = max(PER_DAY_MIN, size // PER_DAY_SHARE)
    by_day = [(day, sorted(counts[day].values(), key=lambda item: (-item[1], item[0].title.lower()))[:per_day])
              for day in sorted(counts, reverse=True)]
    return Trending(overall[:size], by_day)


def papers_by_organization(papers: list[Paper]) -> dict[str, list[Paper]]:
    """Each organisation the dumps name with its papers, most papers first (then by name)."""
    groups: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        if paper.organization:
            groups[paper.organization].append(paper)
    return dict(sorted(groups.items(), key=lambda item: (-len(item[1]), item[0].lower())))


def organization_slugs(papers: list[Paper]) -> dict[str, str]:
    """A page name for each organisation, unique even where two names slugify alike."""
    names = sorted({p.organization for p in papers if p.organization})
    return dict(zip(names, unique_slugs(names, fallback="organization"), strict=True))


def iso_week(day: dt.date) -> Week:
    year, week, _ = day.isocalendar()
    return year, week


def week_start(week: Week) -> dt.date:
    return dt.date.fromisocalendar(week[0], week[1], 1)


def ranked_within(papers: list[Paper], days: set[dt.date]) -> list[tuple[Paper, int | None]]:
    """The papers seen on any of ``days``, each with the most upvotes recorded on those days (None where
    no dump of those days gave a count), most upvoted first, then by title."""
    found: dict[str, tuple[Paper, int | None]] = {}
    for paper in papers:
        seen = [s for s in paper.sightings if s.digest_date in days]
        if seen:
            counts = [s.upvotes for s in seen if s.upvotes is not None]
            found[paper.id] = (paper, max(counts) if counts else None)
    return sorted(found.values(), key=lambda item: (-(item[1] if item[1] is not None else -1),
                                                   item[0].title.lower(), item[0].id))


def days_by_week(days: list[dt.date]) -> dict[Week, set[dt.date]]:
    """The digest days of each ISO week, newest week first."""
    weeks: dict[Week, set[dt.date]] = defaultdict(set)
    for day in days:
        weeks[iso_week(day)].add(day)
    return dict(sorted(weeks.items(), reverse=True))


@dataclass
class RisingTopic:
    topic: Topic
    recent_share: float
    earlier_share: float
    weekly: list[int]
    """Papers per week over the ``EARLIER_WEEKS + RECENT_WEEKS`` weeks, oldest first."""


def rising_topics(papers: list[Paper], topics: list[Topic], latest: dt.date, count: int) -> list[RisingTopic]:
    """The topics whose share of the papers first seen in the last four weeks (up to ``latest``) grew
    most against the twelve weeks before; only those that grew."""
    span = RECENT_WEEKS + EARLIER_WEEKS
    first_week = week_start(iso_week(latest)) - dt.timedelta(weeks=span - 1)
    week_of = {p.id: (first - first_week).days // 7 for p in papers
               if (first := next(iter(p.digest_dates), None)) and first_week <= first <= latest}
    totals = [0] * span
    for index in week_of.values():
        totals[index] += 1
    recent_total, earlier_total = sum(totals[EARLIER_WEEKS:]), sum(totals[:EARLIER_WEEKS])
    rising = []
    for topic in topics:
        weekly = [0] * span
        for paper_id in topic.paper_ids:
            if paper_id in week_of:
                weekly[week_of[paper_id]] += 1
        recent = sum(weekly[EARLIER_WEEKS:]) / max(recent_total, 1)
        earlier = sum(weekly[:EARLIER_WEEKS]) / max(earlier_total, 1)
        if recent > earlier:
            rising.append(RisingTopic(topic, recent, earlier, weekly))
    rising.sort(key=lambda r: (-(r.recent_share - r.earlier_share), r.topic.label.lower()))
    return rising[:count]
