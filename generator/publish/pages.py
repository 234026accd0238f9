"""Stage 6: digest → Markdown pages, through the Jinja templates in ``templates/``.

Every piece of dump text is placed inside HTML elements and HTML-escaped by Jinja's autoescaping, so
Markdown never interprets it: ``<EOS>``, ``[MASK]``, ``P(y|x)`` and ``*`` reach the reader as written.
Links inside those elements are final URLs relative to the page, computed here, because MkDocs only
rewrites links written in Markdown.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import math
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import jinja2
from markupsafe import Markup, escape

from generator.analysis.topics import topic_for, topics_by_key
from generator.analysis.trending import (
    days_by_week,
    iso_week,
    organization_slugs,
    papers_by_organization,
    ranked_within,
    rising_topics,
    trending,
    week_start,
)
from generator.config import DigestConfig
from generator.ingest.text import display_segments
from generator.project import templates_folder
from generator.publish.charts import papers_per_day, papers_per_month, sparkline, upvote_history
from generator.publish.labels import format_day, month_label, week_label
from generator.publish.search import SEARCH_MODULES
from generator.publish.search import layout as search_layout
from generator.publish.urls import DEFAULT_LINKS, PATHS, Links
from generator.records import Area, Digest, Paper, Topic, display_path, newest_first

TEMPLATES_DIR = templates_folder()
HOME_TOPIC_COUNT = 15
BEST_OF_WEEK = 10
"""Papers of this week's best on the home page, and of the top of the month on a month page."""
TOPIC_IN_FULL = 50
"""A topic page shows the summary of its newest papers; older ones are listed by title and facts (at
100,000 papers a paper is in 1.8 topics: summaries there were a tenth of the site)."""
WEEK_LISTED = 50
"""A week page lists its most upvoted papers, with their summary and topics; its date pages list every
paper (listing the others again by title cost a quarter of a kilobyte a paper)."""
RISING_TOPICS = 5
PAPERS_PER_PAGE = 200
"""No page lists more papers than this: a larger topic continues on further pages, newest first."""
UNDATED = "undated"
MAX_LISTED_PROBLEMS = 1000


def render_pages(digest: Digest, config: DigestConfig, root: Path | None = None, links: Links = DEFAULT_LINKS
                 ) -> dict[str, str]:
    """Markdown of every generated page, keyed by its path under the docs folder; dump paths are shown
    relative to ``root``."""
    renderer = _Renderer(digest, config, root, links)
    return dict(sorted(renderer.pages()))


class _Renderer:
    def __init__(self, digest: Digest, config: DigestConfig, root: Path | None, links: Links) -> None:
        self.digest = digest
        self.root = root
        self.config = config
        self.site_title = config.title
        self.links = links
        self.env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters["day"] = format_day
        self.env.filters["front_matter_title"] = front_matter_title
        self.env.filters["source"] = lambda path: display_path(path, root)
        self.env.filters["display_html"] = display_html
        self.env.filters["link_label"] = link_label
        self.papers = {p.id: p for p in digest.papers}
        self.topics = {t.id: t for t in digest.topics}
        self.area_of = {topic_id: area for area in digest.areas for topic_id in area.topic_ids}
        self.topic_by_key = topics_by_key(digest.topics)
        self.days = digest.papers_by_date()
        self.months: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
        for day in sorted((d for d in self.days if d), reverse=True):
            self.months[day.year, day.month].append(day)
        self.weeks = days_by_week([d for d in self.days if d])
        self.organizations = organization_slugs(digest.papers)
        self.env.filters["paper_by_id"] = self.papers.__getitem__

    def pages(self):
        site_feeds = feed_links(f"{self.site_title}: newest papers", PATHS.feed, PATHS.json_feed)
        yield self._render(PATHS.home, "home.md.j2", feeds=site_feeds, **self._home())
        unplaced = sum(not paper.topics for paper in self.digest.papers)
        sizes = self._topic_sizes()
        yield self._render(PATHS.topics, "topics_index.md.j2", letters=self._topics_by_letter(sizes),
                           areas=self._topics_by_area(sizes), unplaced=unplaced)
        for topic in self.digest.topics:
            yield from self._topic_pages(topic)
        for paper in self.digest.papers:
            sightings = sorted(paper.sightings, key=lambda s: (s.digest_date or dt.date.max, s.path, s.line))
            upvotes = [(s.digest_date, s.upvotes) for s in sightings if s.digest_date and s.upvotes is not None]
            yield self._render(PATHS.paper(paper.id), "paper.md.j2", paper=paper, sightings=sightings,
                               upvote_chart=upvote_history(upvotes), closeness=self._closeness(paper))
        yield from self._date_pages()
        yield from self._week_pages()
        yield from self._watchlist_pages()
        yield self._render(PATHS.reading_list, "reading_list.md.j2")
        yield self._render(PATHS.for_you, "for_you.md.j2")
        ranked = trending(self.digest.papers, self.config.trending_papers)
        yield self._render(PATHS.trending, "trending.md.j2", overall=ranked.overall, by_day=ranked.by_day)
        yield from self._organization_pages()
        layout = search_layout(len(self.digest.papers), self.digest.query_encoder)
        yield self._render(PATHS.search, "search.md.j2", layout=layout,
                           topics=sorted(self.digest.topics, key=lambda t: t.label.lower()),
                           watchlists=self.digest.watchlists,
                           search_modules=SEARCH_MODULES)
        if self.digest.report is not None:
            yield self._render(PATHS.quality, "quality.md.j2", report=self.digest.report,
                               max_problems=MAX_LISTED_PROBLEMS)

    def _closeness(self, paper: Paper) -> list[str]:
        """The cosine of the paper to each of its related papers, to two decimals (the for-you page of the
        reading list weighs suggestions by it)."""
        vectors = self.digest.embeddings
        if paper.id not in vectors:
            return ["" for _ in paper.related]
        return [f"{float(vectors[paper.id] @ vectors[other]):.2f}" for other in paper.related]

    def _topic_pages(self, topic: Topic):
        """A topic's pages: its newest ``PAPERS_PER_PAGE`` papers on the first, with the topic's facts,
        chart and feed, and older ones on further pages."""
        papers = self._newest_first(topic.paper_ids)
        first_seen = [d for p in papers if (d := next(iter(p.digest_dates), None))]
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
               feeds: list[dict[str, str]], chart: str = "", **context):
        """A list of papers on pages of at most ``PAPERS_PER_PAGE``, newest first: the first page carries
        the feed and the chart, further pages (``path(key, n)``) the older papers."""
        chunks = [papers[i:i + PAPERS_PER_PAGE] for i in range(0, len(papers), PAPERS_PER_PAGE)] or [[]]
        for number, chunk in enumerate(chunks, start=1):
            yield self._render(path(key, number), template, papers=chunk, total=len(papers), page=number,
                               pages=len(chunks), first=PAPERS_PER_PAGE * (number - 1) + 1,
                               feeds=feeds if number == 1 else [], chart=chart if number == 1 else "",
                               **context)

    def _week_pages(self):
        weeks = list(self.weeks)
        index = []
        for position, week in enumerate(weeks):
            days = self.weeks[week]
            ranked = ranked_within(self.digest.papers, days)
            label = week_label(week)
            best = ranked[0][0] if ranked and ranked[0][1] is not None else None
            index.append((week, label, len(ranked), best))
            yield self._render(PATHS.week(*week), "week.md.j2", title=label, ranked=ranked, listed=WEEK_LISTED,
                               days=sorted(days), first=week_start(week),
                               last=week_start(week) + dt.timedelta(days=6),
                               newer=weeks[position - 1] if position > 0 else None,
                               older=weeks[position + 1] if position + 1 < len(weeks) else None)
        yield self._render(PATHS.weeks, "weeks_index.md.j2", weeks=index)

    def _date_pages(self):
        for day, papers in self.days.items():
            yield self._render(PATHS.day(day), "day.md.j2", day=day, title=format_day(day),
                               papers=sorted(papers, key=_by_title))
        years: dict[int, list[int]] = defaultdict(list)
        for year, month in self.months:
            years[year].append(month)
            days = self.months[year, month]
            yield self._render(PATHS.month(year, month), "month.md.j2", year=year,
                               month_name=month_label(year, month), days_in_month=days,
                               top=ranked_within(self.digest.papers, set(days))[:BEST_OF_WEEK])
        for year, months in years.items():
            yield self._render(PATHS.year(year), "year.md.j2", year=year, months=months)
        counts = {day: len(papers) for day, papers in self.days.items() if day}
        yield self._render(PATHS.dates, "dates_index.md.j2", years=years, undated=None in self.days,
                           calendar=papers_per_day(counts))

    def _organization_pages(self):
        groups = papers_by_organization(self.digest.papers)
        yield self._render(PATHS.organizations, "organizations.md.j2",
                           organizations=[(name, len(papers)) for name, papers in groups.items()])
        for name, papers in groups.items():
            slug = self.organizations[name]
            yield from self._paged(PATHS.organization, slug, "organization.md.j2",
                                   self._newest_first([p.id for p in papers]), [], name=name, slug=slug)

    def _home(self) -> dict:
        """The latest day's papers, this week's best and rising topics, then the largest topics."""
        dated = sorted(d for d in self.days if d)
        latest = dated[-1] if dated else None
        largest = sorted(self.digest.topics, key=lambda t: (-len(t.paper_ids), t.label.lower()))
        week = iso_week(latest) if latest else None
        rising = rising_topics(self.digest.papers, self.digest.topics, latest, RISING_TOPICS) if latest else []
        return {
            "latest": latest,
            "latest_papers": ranked_within(self.digest.papers, {latest}) if latest else [],
            "undated_papers": sorted(self.days.get(None, []), key=_by_title),
            "week": week,
            "week_label": week_label(week) if week else "",
            "week_best": ranked_within(self.digest.papers, self.weeks[week])[:BEST_OF_WEEK] if week else [],
            "rising": [{"topic": r.topic, "recent_share": r.recent_share, "earlier_share": r.earlier_share,
                        "chart": sparkline(r.weekly, f"{r.topic.label}: papers per week over "
                                                     f"{len(r.weekly)} weeks, {r.weekly[-1]} in the last")}
                       for r in rising],
            "largest_topics": largest[:HOME_TOPIC_COUNT],
            "day_count": len(dated),
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
            papers_on=self.days,
            month_label=month_label,
            month_days=lambda year, month: self.months[year, month],
            month_papers=self._month_paper_count,
            topic_for=lambda phrase: topic_for(phrase, self.topic_by_key),
            organization_slugs=self.organizations,
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

    def _month_paper_count(self, year: int, month: int) -> int:
        return len({p.id for day in self.months[year, month] for p in self.days[day]})


def feed_links(title: str, atom: str, json_feed: str | None = None) -> list[dict[str, str]]:
    """A page's feeds, for its front matter: the theme announces each with ``<link rel="alternate">``
    (``href`` is a path under the site root)."""
    links = [{"title": f"{title} (Atom)", "type": "application/atom+xml", "href": atom}]
    if json_feed:
        links.append({"title": f"{title} (JSON Feed)", "type": "application/feed+json", "href": json_feed})
    return links


def front_matter_title(text: str) -> Markup:
    """A YAML scalar holding the HTML-escaped text: the theme prints page titles without escaping."""
    return Markup(json.dumps(str(escape(text)), ensure_ascii=False))


def link_label(url: str) -> str:
    """An address as a link's text: without its scheme and a trailing slash ("github.com/org/repo")."""
    return url.split("://", 1)[-1].rstrip("/")


def display_html(text: str) -> Markup:
    """Dump text as HTML: cleaned for display (``text.display_segments``), every piece escaped, web
    addresses as links that leave the site."""
    link = Markup('<a href="{}" rel="nofollow noopener">{}</a>')
    pieces = display_segments(text)
    return Markup("").join(link.format(s.href, s.text) if s.href else escape(s.text) for s in pieces)


def _by_title(paper: Paper) -> str:
    return paper.title.lower()

