"""Trending and organisations: rankings by upvotes and groups by organisation, as plain data."""

from __future__ import annotations

import datetime as dt

from generator.analysis.trending import organization_slugs, papers_by_organization, trending
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
    ranked = trending([rising, steady, quiet], size=30)
    assert [p.id for p in ranked.overall] == ["quiet", "rising", "steady"]
    assert [(day, [(p.id, n) for p, n in top]) for day, top in ranked.by_day] == [
        (TUE, [("rising", 40), ("steady", 12)]), (MON, [("steady", 10), ("rising", 2)])]
    assert trending([rising, steady], size=1).overall == [rising]
    assert trending([_paper("none", (MON, None))], size=5).by_day == []


def test_organisations_group_their_papers_with_distinct_page_names():
    papers = [_paper("a", (MON, 1), organization="ACME Lab"), _paper("b", (MON, 1), organization="Acme lab"),
              _paper("c", (MON, 1), organization="ACME Lab"), _paper("d", (MON, 1))]
    assert {name: [p.id for p in group] for name, group in papers_by_organization(papers).items()} == {
        "ACME Lab": ["a", "c"], "Acme lab": ["b"]}
    assert list(papers_by_organization(papers)) == ["ACME Lab", "Acme lab"]
    assert organization_slugs(papers) == {"ACME Lab": "acme-lab", "Acme lab": "acme-lab-2"}
