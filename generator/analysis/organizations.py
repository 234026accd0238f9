"""Stage 5d (with topics and dates): papers grouped by the organisation the dumps name."""

from __future__ import annotations

from collections import defaultdict

from generator.records import Organization, Paper
from generator.slugs import unique_slugs


def group_by_organization(papers: list[Paper]) -> list[Organization]:
    """Each organisation the dumps name with its papers, most papers first (then by name); each has a page
    name of its own, even where two names slugify alike."""
    groups: dict[str, list[Paper]] = defaultdict(list)
    for paper in papers:
        if paper.organization:
            groups[paper.organization].append(paper)
    names = sorted(groups)
    slugs = dict(zip(names, unique_slugs(names, fallback="organization"), strict=True))
    return [Organization(name, slugs[name], groups[name])
            for name in sorted(groups, key=lambda name: (-len(groups[name]), name.lower()))]
