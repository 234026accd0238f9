"""Stage 5c (with topics and dates): papers ranked by upvotes, overall and within each digest day, and
papers grouped by the organisation the dumps name."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from generator.records import Paper
from generator.slugs import unique_slugs

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
