"""Stage 5d (with topics and dates): papers ranked by upvotes, overall and on each digest day; topics whose
share of recent papers grows."""

from __future__ import annotations

import datetime as dt

from generator.analysis.calendar import iso_week
from generator.records import Calendar, Paper, RisingTopic, Topic, Trending

RECENT_WEEKS = 4
EARLIER_WEEKS = 12
"""Rising topics compare their share of the papers of the last ``RECENT_WEEKS`` weeks with their share of
the ``EARLIER_WEEKS`` weeks before."""

RISING_TOPICS = 5
"""Rising topics the home page shows."""
PER_DAY_SHARE = 5
"""Each day lists a fifth as many papers as the overall list (at least ``PER_DAY_MIN``)."""
PER_DAY_MIN = 3


def trending(papers: list[Paper], calendar: Calendar, size: int) -> Trending:
    """The ``size`` most upvoted papers, and of each digest day those its dumps gave most upvotes."""
    overall = sorted((p for p in papers if p.upvotes is not None), key=lambda p: (-p.upvotes, p.title.lower()))
    per_day = max(PER_DAY_MIN, size // PER_DAY_SHARE)
    by_day = [(day.date, counted[:per_day]) for day in calendar.dated
              if (counted := [(paper, n) for paper, n in day.ranked if n is not None])]
    return Trending(overall[:size], by_day)


def rising_topics(papers: list[Paper], topics: list[Topic], latest: dt.date | None, count: int = RISING_TOPICS
                  ) -> list[RisingTopic]:
    """The topics whose share of the papers first seen in the last four weeks (up to ``latest``) grew
    most against the twelve weeks before; only those that grew (none without a dated paper)."""
    if latest is None:
        return []
    span = RECENT_WEEKS + EARLIER_WEEKS
    first_week = dt.date.fromisocalendar(*iso_week(latest), 1) - dt.timedelta(weeks=span - 1)
    week_of = {p.id: (first - first_week).days // 7 for p in papers
               if (first := p.first_date) and first_week <= first <= latest}
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
