"""Where every generated file lives and the URL MkDocs gives it: the one owner of the site's URL scheme.

Paths are relative to the docs folder (``topics/x.md``); URLs are relative to the site root
(``topics/x/``), and ``published_url`` puts one at the site's published address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Paths:
    """Where each generated page lives, as a path under the docs folder."""

    home: str = "index.md"
    topics: str = "topics/index.md"
    dates: str = "dates/index.md"
    undated: str = "dates/undated.md"
    quality: str = "quality/index.md"
    search: str = "search/index.md"
    trending: str = "trending/index.md"
    organizations: str = "organizations/index.md"
    watchlists: str = "watchlists/index.md"
    weeks: str = "weeks/index.md"
    reading_list: str = "reading-list/index.md"
    for_you: str = "for-you/index.md"
    feed: str = "feed.xml"
    json_feed: str = "feed.json"

    @staticmethod
    def organization(slug: str, page: int = 1) -> str:
        return _paged("organizations", slug, page)

    @staticmethod
    def watchlist(slug: str, page: int = 1) -> str:
        return _paged("watchlists", slug, page)

    @staticmethod
    def week(year: int, week: int) -> str:
        """An ISO week's page: ``weeks/2024-W11.md``."""
        return f"weeks/{year:04d}-W{week:02d}.md"

    @staticmethod
    def beside(page: str, suffix: str) -> str:
        """A data file next to a generated page, named after it: ``topics/x.md`` → ``topics/x.csv``."""
        return page.removesuffix(".md") + suffix

    @staticmethod
    def paper(paper_id: str) -> str:
        return f"papers/{paper_id}.md"

    @staticmethod
    def topic(topic_id: str, page: int = 1) -> str:
        """A topic's page; a large topic lists its older papers on further pages (``topics/ID/2/``)."""
        return _paged("topics", topic_id, page)

    @staticmethod
    def day(day: dt.date | None) -> str:
        return f"dates/{day:%Y/%m/%d}.md" if day else Paths.undated

    @staticmethod
    def month(year: int, month: int) -> str:
        return f"dates/{year:04d}/{month:02d}/index.md"

    @staticmethod
    def year(year: int) -> str:
        return f"dates/{year:04d}/index.md"


def _paged(folder: str, slug: str, page: int) -> str:
    """The first page of a list at ``folder/slug.md``, further pages at ``folder/slug/N.md``."""
    return f"{folder}/{slug}.md" if page == 1 else f"{folder}/{slug}/{page}.md"


PATHS = Paths()


def page_url(src_path: str, use_directory_urls: bool = True) -> str:
    """The URL MkDocs gives the page at ``src_path``, relative to the site root."""
    stem = src_path.removesuffix(".md")
    if not use_directory_urls:
        return f"{stem}.html"
    if stem == "index":
        return ""
    return stem.removesuffix("/index") + "/" if stem.endswith("/index") else f"{stem}/"


def published_url(site_url: str, url: str) -> str:
    """``url`` (relative to the site root) at the site's published address."""
    return site_url.rstrip("/") + "/" + url
