"""Generated Markdown pages: a large topic is split into pages of at most 200 papers, newest first, the
newest with their summary."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from generator.config import DigestConfig
from generator.pipeline import dated_digest
from generator.publish.pages import PAPERS_PER_PAGE, TOPIC_IN_FULL, render_pages
from generator.records import Paper, Sighting, Topic


def _paper(n: int) -> Paper:
    day = dt.date(2025, 1, 1) + dt.timedelta(days=n)
    return Paper(id=f"paper-{n:03d}", title=f"Paper {n:03d}", abstract="An abstract.",
                 sightings=[Sighting("dump.txt", n + 1, day, None)], topics=["big"], tldr=f"Summary {n:03d}.")


def test_a_topic_of_450_papers_has_three_pages_of_at_most_200_newest_first():
    papers = [_paper(n) for n in range(450)]
    topics = [Topic("big", "big topic", [p.id for p in papers], key="big")]
    pages = render_pages(dated_digest(papers, topics, DigestConfig()), DigestConfig(), Path("."))
    names = ["topics/big.md", "topics/big/2.md", "topics/big/3.md"]
    assert [name for name in pages if name.startswith("topics/big")] == names
    title = re.compile(r'<li[^>]*><a href="[^"]*">(Paper \d+)<')
    listed = [title.findall(pages[name]) for name in names]
    assert [len(titles) for titles in listed] == [PAPERS_PER_PAGE, PAPERS_PER_PAGE, 50]
    assert [t for titles in listed for t in titles] == [f"Paper {n:03d}" for n in range(449, -1, -1)]
    assert "450 papers, newest first, the 50 newest with their summary; papers 201–400 on page 2 of 3" in pages[
        "topics/big/2.md"]
    summaries = [re.findall(r"Summary (\d+)\.", pages[name]) for name in names]
    assert summaries == [[f"{n:03d}" for n in range(449, 449 - TOPIC_IN_FULL, -1)], [], []]
    assert 'href="../" rel="prev">← Newer' in pages["topics/big/2.md"]
    assert 'href="../3/" rel="next">Older →' in pages["topics/big/2.md"]
    assert "Atom feed" in pages["topics/big.md"] and "Atom feed" not in pages["topics/big/3.md"]


def test_a_small_topic_is_one_page_without_a_pager():
    papers = [_paper(n) for n in range(3)]
    topics = [Topic("big", "big topic", [p.id for p in papers], key="big")]
    pages = render_pages(dated_digest(papers, topics, DigestConfig()), DigestConfig(), Path("."))
    assert [name for name in pages if name.startswith("topics/big")] == ["topics/big.md"]
    assert "digest-pager" not in pages["topics/big.md"]


def test_an_organisation_of_450_papers_has_three_pages_newest_first():
    papers = [_paper(n) for n in range(450)]
    for paper in papers:
        paper.organization, paper.topics = "Acme Research", []
    pages = render_pages(dated_digest(papers, [], DigestConfig()), DigestConfig(), Path("."))
    names = ["organizations/acme-research.md", *(f"organizations/acme-research/{n}.md" for n in (2, 3))]
    assert [name for name in pages if name.startswith("organizations/acme")] == names
    title = re.compile(r'<li[^>]*><a href="[^"]*">(Paper \d+)<')
    listed = [t for name in names for t in title.findall(pages[name])]
    assert listed == [f"Paper {n:03d}" for n in range(449, -1, -1)]
    assert "450 papers, newest first; papers 401–450 on page 3 of 3" in pages[names[2]]
    assert 'href="../2/" rel="prev">← Newer' in pages[names[2]]
