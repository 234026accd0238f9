"""Where every generated file lives and the URL MkDocs gives it: the one owner of the site's URL scheme.

Paths are relative to the docs folder (``topics/x.md``); URLs are relative to the site root
(``topics/x/``). ``Links``, made once per build from MkDocs' ``use_directory_urls`` and ``site_url``,
answers every page's URL, the link to it from another page, and its published address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from mkdocs.utils import get_relative_url


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


@dataclass(frozen=True)
class Links:
    """The site's addresses, as MkDocs' configuration makes them."""

    use_directory_urls: bool = True
    site_url: str | None = None

    def url(self, target: str) -> str:
        """The URL of a page (``.md``) or file under the docs folder, relative to the site root."""
        return page_url(target, self.use_directory_urls) if target.endswith(".md") else target

    def relative(self, target: str, here: str) -> str:
        """The link to ``target`` (a page or file) from the page or file whose URL is ``here``."""
        return relative_url(self.url(target), here)

    def absolute(self, target: str, here: str) -> str:
        """The link to ``target`` where it must hold outside the site (a feed): at ``site_url`` when the
        site has one, else relative to ``here``."""
        if self.site_url:
            return published_url(self.site_url, self.url(target))
        return self.relative(target, here)


DEFAULT_LINKS = Links()
"""MkDocs' defaults: directory URLs, no published address."""


def relative_url(url: str, here: str) -> str:
    """``url`` as a link from the page or file at ``here`` (both relative to the site root, where the
    home page's URL is empty)."""
    return get_relative_url(url or ".", here or ".")


def published_url(site_url: str, url: str) -> str:
    """``url`` (relative to the site root) at the site's published address."""
    return site_url.rstrip("/") + "/" + url
