"""Stage 6: digest → Markdown pages, through the Jinja templates in ``templates/`` (``templating``: every
piece of dump text HTML-escaped inside HTML elements, which Markdown leaves alone). Links inside those
elements are final URLs relative to the page (``urls.Links``), because MkDocs only rewrites links written
in Markdown.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path

from generator.analysis.topics import topic_for, topics_by_key
from generator.config import DigestConfig
from generator.publish.charts import papers_per_day, papers_per_month, sparkline, upvote_history
from generator.publish.labels import format_day
from generator.publish.search import SEARCH_MODULES
from generator.publish.search import layout as search_layout
from generator.publish.templating import environment
from generator.publish.urls import DEFAULT_LINKS, PATHS, Links
from generator.records import Area, Digest, Month, Paper, Topic, display_path, newest_first

HOME_TOPIC_COUNT = 15
BEST_OF_WEEK = 10
"""Papers of this week's best on the home page, and of the top of the month on a month page."""
TOPIC_IN_FULL = 50
"""A topic page shows the summary of its newest papers; older ones are listed by title and facts (a paper
is in about two topics: their summaries were a large share of a large site; docs/performance.md)."""
WEEK_LISTED = 50
"""A week page lists its most upvoted papers, with their summary and topics; its date pages list every
paper, so the week page does not list the others again."""
PAPERS_PER_PAGE = 200
"""No page lists more papers than this: a larger topic continues on further pages, newest first."""
MAX_LISTED_PROBLEMS = 1000


def render_pages(digest: Digest, config: DigestConfig, root: Path | None = None, links: Links = DEFAULT_LINKS
                 ) -> dict[str, str]:
    """Markdown of every generated page, keyed by its path under the docs folder; dump paths are shown
    relative to ``root``."""
    renderer = _Renderer(digest, config, root, links)
    return dict(sorted(renderer.pages()))


@dataclass(frozen=True)
class Paging:
    """One page of a list of papers shown on several: its number, its papers' places in the list, and the
    paths of every page of the list."""

    number: int
    total: int
    first: int
    last: int
    paths: list[str]

    @property
    def count(self) -> int:
        return len(self.paths)

    @property
    def newer(self) -> str | None:
        return self.paths[self.number - 2] if self.number > 1 else None

    @property
    def older(self) -> str | None:
        return self.paths[self.number] if self.number < self.count else None

    @property
    def title_suffix(self) -> str:
        """What a page's title adds after the first page: " (page 2)"."""
        return f" (page {self.number})" if self.number > 1 else ""


class _Renderer:
    def __init__(self, digest: Digest, config: DigestConfig, root: Path | None, links: Links) -> None:
        self.digest = digest
        self.root = root
        self.config = config
        self.site_title = config.title
        self.links = links
        self.env = environment()
        self.env.filters["source"] = lambda path: display_path(path, root)
        self.papers = {p.id: p for p in digest.papers}
        self.topics = {t.id: t for t in digest.topics}
        self.area_of = {topic_id: area for area in digest.areas for topic_id in area.topic_ids}
        self.topic_by_key = topics_by_key(digest.topics)
        self.calendar = digest.calendar
        self.organization_slugs = {o.name: o.slug for o in digest.organizations}

    def pages(self):
        site_feeds = feed_links(f"{self.site_title}: newest papers", PATHS.feed, PATHS.json_feed)
        yield self._render(PATHS.home, "home.md.j2", feeds=site_feeds, **self._home())
        unplaced = newest_first(paper for paper in self.digest.papers if not paper.topics)
        sizes = self._topic_sizes()
        yield self._render(PATHS.topics, "topics_index.md.j2", letters=self._topics_by_letter(sizes),
                           areas=self._topics_by_area(sizes), unplaced=len(unplaced))
        if unplaced:
            yield from self._paged(PATHS.no_topic, "", "no_topic.md.j2", unplaced, [],
                                   topics_count=len(self.digest.topics))
        for topic in self.digest.topics:
            yield from self._topic_pages(topic)
        for paper in self.digest.papers:
            sightings = sorted(paper.sightings, key=lambda s: (s.digest_date or dt.date.max, s.path, s.line))
            upvotes = [(s.digest_date, s.upvotes) for s in sightings if s.digest_date and s.upvotes is not None]
            yield self._render(PATHS.paper(paper.id), "paper.md.j2", paper=paper, sightings=sightings,
                               upvote_chart=upvote_history(upvotes),
                               related=[(self.papers[other], "" if closeness is None else f"{closeness:.2f}")
                                        for other, closeness in zip_longest(paper.related, paper.closeness)],
                               keyphrase_topics=[(phrase, topic_for(phrase, self.topic_by_key))
                                                 for phrase in paper.keyphrases])
        yield from self._date_pages()
        yield from self._week_pages()
        yield from self._watchlist_pages()
        yield self._render(PATHS.reading_list, "reading_list.md.j2")
        yield self._render(PATHS.for_you, "for_you.md.j2")
        yield self._render(PATHS.trending, "trending.md.j2", overall=self.digest.trending.overall,
                           by_day=self.digest.trending.by_day)
        yield from self._organization_pages()
        layout = search_layout(len(self.digest.papers), self.digest.query_encoder)
        yield self._render(PATHS.search, "search.md.j2", layout=layout,
                           topics=sorted(self.digest.topics, key=lambda t: t.label.lower()),
                           watchlists=self.digest.watchlists,
                           search_modules=SEARCH_MODULES)
        if self.digest.report is not None:
            yield self._render(PATHS.quality, "quality.md.j2", report=self.digest.report,
                               max_problems=MAX_LISTED_PROBLEMS)

    def _topic_pages(self, topic: Topic):
        """A topic's pages: its newest ``PAPERS_PER_PAGE`` papers on the first, with the topic's facts,
        chart and feed, and older ones on further pages."""
        papers = self._newest_first(topic.paper_ids)
        first_seen = [p.first_date for p in papers if p.first_date]
        feeds = feed_links(f"{self.site_title}: {topic.label}", PATHS.beside(PATHS.topic(topic.id), ".xml"))
        yield from self._paged(PATHS.topic, topic.id, "topic.md.j2", papers, feeds, topic=topic,
                               area=self.area_of.get(topic.id), chart=papers_per_month(first_seen),
                               in_full=TOPIC_IN_FULL)

    def _watchlist_pages(self):
        yield self._render(PATHS.watchlists, "watchlists_index.md.j2", watchlists=self.digest.watchlists)
        for watchlist in self.digest.watchlists:
            feeds = feed_links(f"{self.site_title}: {watchlist.name}",
                               PATHS.beside(PATHS.watchlist(watchlist.id), ".xml"))
            yield from self._paged(PATHS.watchlist, watchlist.id, "watchlist.md.j2",
                                   self._newest_first(watchlist.paper_ids), feeds, watchlist=watchlist)

    def _paged(self, path: Callable[[str, int], str], key: str, template: str, papers: list[Paper],
               feeds: list[dict[str, str]], chart: str = "", in_full: int | None = None, **context):
        """A list of papers on pages of at most ``PAPERS_PER_PAGE``, newest first: the first page carries
        the feed and the chart, further pages (``path(key, n)``) the older papers. Where ``in_full`` is
        given, only the list's first ``in_full`` papers show their summary."""
        chunks = [papers[i:i + PAPERS_PER_PAGE] for i in range(0, len(papers), PAPERS_PER_PAGE)] or [[]]
        paths = [path(key, number) for number in range(1, len(chunks) + 1)]
        first = 1
        for number, chunk in enumerate(chunks, start=1):
            paging = Paging(number, len(papers), first, first + len(chunk) - 1, paths)
            yield self._render(paths[number - 1], template, papers=chunk, paging=paging,
                               feeds=feeds if number == 1 else [], chart=chart if number == 1 else "",
                               summaries=None if in_full is None else max(in_full - first + 1, 0),
                               in_full=in_full, **context)
            first += len(chunk)

    def _week_pages(self):
        weeks = self.calendar.weeks
        for position, week in enumerate(weeks):
            yield self._render(PATHS.week(week.year, week.number), "week.md.j2", week=week, listed=WEEK_LISTED,
                               newer=weeks[position - 1] if position > 0 else None,
                               older=weeks[position + 1] if position + 1 < len(weeks) else None)
        yield self._render(PATHS.weeks, "weeks_index.md.j2", weeks=weeks)

    def _date_pages(self):
        for day in self.calendar.days:
            yield self._render(PATHS.day(day.date), "day.md.j2", day=day.date, title=format_day(day.date),
                               papers=day.papers)
        years: dict[int, list[Month]] = defaultdict(list)
        for month in self.calendar.months:
            years[month.year].append(month)
            yield self._render(PATHS.month(month.year, month.month), "month.md.j2", month=month,
                               top=month.ranked[:BEST_OF_WEEK])
        for year, months in years.items():
            yield self._render(PATHS.year(year), "year.md.j2", year=year, months=months)
        counts = {day.date: len(day.papers) for day in self.calendar.dated}
        yield self._render(PATHS.dates, "dates_index.md.j2", years=years, undated=self.calendar.undated,
                           calendar=papers_per_day(counts))

    def _organization_pages(self):
        organizations = self.digest.organizations
        yield self._render(PATHS.organizations, "organizations.md.j2", organizations=organizations)
        for organization in organizations:
            yield from self._paged(PATHS.organization, organization.slug, "organization.md.j2",
                                   newest_first(organization.papers), [], name=organization.name,
                                   slug=organization.slug)

    def _home(self) -> dict:
        """The latest day's papers, this week's best and rising topics, then the largest topics."""
        latest = self.calendar.latest
        undated = self.calendar.undated
        largest = sorted(self.digest.topics, key=lambda t: (-len(t.paper_ids), t.label.lower()))
        week = self.calendar.weeks[0] if latest else None
        return {
            "latest": latest.date if latest else None,
            "latest_papers": latest.ranked if latest else [],
            "undated_papers": undated.papers if undated else [],
            "week": week,
            "week_best": week.ranked[:BEST_OF_WEEK] if week else [],
            "rising": [{"topic": r.topic, "recent_share": r.recent_share, "earlier_share": r.earlier_share,
                        "chart": sparkline(r.weekly, f"{r.topic.label}: papers per week over "
                                                     f"{len(r.weekly)} weeks, {r.weekly[-1]} in the last")}
                       for r in self.digest.rising],
            "largest_topics": largest[:HOME_TOPIC_COUNT],
            "day_count": len(self.calendar.dated),
        }

    def _newest_first(self, paper_ids: list[str]) -> list[Paper]:
        return newest_first(self.papers[i] for i in paper_ids)

    def _render(self, path: str, template: str, **context) -> tuple[str, str]:
        here = self.links.url(path)
        link = functools.partial(self.links.relative, here=here)
        markdown = self.env.get_template(template).render(
            site_title=self.site_title,
            digest=self.digest,
            topics_by_id=self.topics,
            paths=PATHS,
            link=link,
            link_file=link,
            organization_slugs=self.organization_slugs,
            **context,
        )
        return path, markdown

    def _topic_sizes(self) -> dict[str, int]:
        """A size class from 1 to 4 for each topic, by its papers on a log scale, for the index."""
        largest = max((len(t.paper_ids) for t in self.digest.topics), default=1)
        return {t.id: 1 + min(3, int(3 * math.log(len(t.paper_ids)) / max(math.log(largest), 1e-9)))
                for t in self.digest.topics}

    def _topics_by_letter(self, sizes: dict[str, int]) -> dict[str, list[tuple[Topic, int]]]:
        """Topics by initial (A-Z, then "#"), each with its size class."""
        letters: dict[str, list[tuple[Topic, int]]] = defaultdict(list)
        for topic in sorted(self.digest.topics, key=lambda t: t.label.lower()):
            initial = topic.label[:1].upper()
            letters[initial if "A" <= initial <= "Z" else "#"].append((topic, sizes[topic.id]))
        return dict(sorted(letters.items(), key=lambda item: (item[0] == "#", item[0])))

    def _topics_by_area(self, sizes: dict[str, int]) -> list[tuple[Area, int, list[tuple[Topic, int]]]]:
        """Each area with its count of distinct papers and its topics, with their size classes."""
        return [(area, len({p for t in area.topic_ids for p in self.topics[t].paper_ids}),
                 [(self.topics[t], sizes[t]) for t in area.topic_ids]) for area in self.digest.areas]


def feed_links(title: str, atom: str, json_feed: str | None = None) -> list[dict[str, str]]:
    """A page's feeds, for its front matter: the theme announces each with ``<link rel="alternate">``
    (``href`` is a path under the site root)."""
    links = [{"title": f"{title} (Atom)", "type": "application/atom+xml", "href": atom}]
    if json_feed:
        links.append({"title": f"{title} (JSON Feed)", "type": "application/feed+json", "href": json_feed})
    return links
