"""Trending and organisations: rankings by upvotes and groups by organisation, as plain data."""

from __future__ import annotations

import datetime as dt

from generator.analysis.calendar import digest_calendar
from generator.analysis.organizations import group_by_organization
from generator.analysis.trending import trending
from generator.records import Paper, Sighting

MON, TUE = dt.date(2025, 3, 3), dt.date(2025, 3, 4)


def _paper(pid: str, *seen: tuple[dt.date | None, int | None], organization: str | None = None) -> Paper:
    sightings = [Sighting(f"{pid}.txt", n, day, votes) for n, (day, votes) in enumerate(seen, 1)]
    votes = [v for _, v in seen if v is not None]
    return Paper(id=pid, title=pid.upper(), abstract="", sightings=sightings, upvotes=max(votes, default=None),
                 organization=organization)


def test_each_day_ranks_by_the_upvotes_its_own_dump_gave():
    rising = _paper("rising", (MON, 2), (TUE, 40))
    steady = _paper("steady", (MON, 10), (TUE, 12))
    quiet = _paper("quiet", (TUE, None), (None, 99))
    ranked = trending([rising, steady, quiet], digest_calendar([rising, steady, quiet]), size=30)
    assert [p.id for p in ranked.overall] == ["quiet", "rising", "steady"]
    assert [(day, [(p.id, n) for p, n in top]) for day, top in ranked.by_day] == [
        (TUE, [("rising", 40), ("steady", 12)]), (MON, [("steady", 10), ("rising", 2)])]
    assert trending([rising, steady], digest_calendar([rising, steady]), size=1).overall == [rising]
    none = [_paper("none", (MON, None))]
    assert trending(none, digest_calendar(none), size=5).by_day == []


def test_organisations_group_their_papers_with_distinct_page_names():
    papers = [_paper("a", (MON, 1), organization="ACME Lab"), _paper("b", (MON, 1), organization="Acme lab"),
              _paper("c", (MON, 1), organization="ACME Lab"), _paper("d", (MON, 1))]
    groups = group_by_organization(papers)
    assert {group.name: [p.id for p in group.papers] for group in groups} == {
        "ACME Lab": ["a", "c"], "Acme lab": ["b"]}
    assert [group.name for group in groups] == ["ACME Lab", "Acme lab"]
    assert {group.name: group.slug for group in groups} == {"ACME Lab": "acme-lab", "Acme lab": "acme-lab-2"}


def test_the_calendar_ranks_each_day_week_and_month_by_the_most_upvotes_recorded_in_it():
    wed_next_week = dt.date(2025, 3, 12)
    late = _paper("late", (MON, 1), (wed_next_week, 50))
    early = _paper("early", (MON, 9), (TUE, None))
    undated = _paper("undated", (None, 7))
    calendar = digest_calendar([late, early, undated])
    assert [day.date for day in calendar.days] == [wed_next_week, TUE, MON, None]
    assert calendar.latest.date == wed_next_week and calendar.undated.papers == [undated]
    assert [[(p.id, n) for p, n in day.ranked] for day in calendar.days] == [
        [("late", 50)], [("early", None)], [("early", 9), ("late", 1)], [("undated", 7)]]
    assert [(week.number, [d.date for d in week.days]) for week in calendar.weeks] == [
        (11, [wed_next_week]), (10, [MON, TUE])]
    assert [(p.id, n) for p, n in calendar.weeks[1].ranked] == [("early", 9), ("late", 1)]
    assert [(month.month, [(p.id, n) for p, n in month.ranked]) for month in calendar.months] == [
        (3, [("late", 50), ("early", 9)])]
    assert (calendar.weeks[1].first, calendar.weeks[1].last) == (MON, dt.date(2025, 3, 9))
