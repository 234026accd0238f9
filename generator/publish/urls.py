"""Where every generated file lives and the URL MkDocs gives it: the one owner of the site's URL scheme.

Paths are relative to the docs folder (``topics/x.md``); URLs are relative to the site root
(``topics/x/``). ``Links``, made once per build from MkDocs' ``use_directory_urls`` and ``site_url``,
answers every page's URL and output file (from MkDocs' own ``File``), the link to it from another page,
and its published address.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from mkdocs.structure.files import File
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
    def no_topic(_: str = "", page: int = 1) -> str:
        """The papers in no topic, outside ``topics/`` so that no topic's address can take it."""
        return "no-topic/index.md" if page == 1 else f"no-topic/{page}.md"

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


@dataclass(frozen=True)
class Links:
    """The site's addresses, as MkDocs' configuration makes them."""

    use_directory_urls: bool = True
    site_url: str | None = None
    _pages: dict[str, tuple[str, str]] = field(default_factory=dict, compare=False, repr=False)

    def url(self, target: str) -> str:
        """The URL of a page (``.md``) or file under the docs folder, relative to the site root; the home
        page's is empty."""
        if not target.endswith(".md"):
            return target
        return self._page(target)[0]

    def output_file(self, target: str) -> str:
        """Where a page (``.md``) or file is written in the site folder (``topics/x/index.html``)."""
        return self._page(target)[1] if target.endswith(".md") else target

    def url_pattern(self, page_of: Callable[[str], str]) -> str:
        """The URL of every page ``page_of`` places, with ``{id}`` where the id goes (``papers/{id}/``):
        for the export and the page scripts, instead of a URL per paper."""
        return self.url(page_of(_ID)).replace(_ID, "{id}")

    def relative(self, target: str, here: str) -> str:
        """The link to ``target`` (a page or file) from the page or file whose URL is ``here``."""
        return get_relative_url(self.url(target) or ".", here or ".")

    def absolute(self, target: str, here: str) -> str:
        """The link to ``target`` where it must hold outside the site (a feed): at ``site_url`` when the
        site has one, else relative to ``here``."""
        if self.site_url:
            return self.site_url.rstrip("/") + "/" + self.url(target)
        return self.relative(target, here)

    def _page(self, target: str) -> tuple[str, str]:
        """The page's URL (the home page's empty) and output file, as MkDocs' own ``File`` gives them;
        kept (two strings, not the ``File``), as most pages are linked many times."""
        found = self._pages.get(target)
        if found is None:
            page = File(target, None, "", self.use_directory_urls)
            found = self._pages[target] = ("" if page.url == "./" else page.url, page.dest_uri)
        return found


_ID = "0id0"
"""Stands for the id in ``url_pattern``: a slug character string MkDocs leaves as it is."""

DEFAULT_LINKS = Links()
"""MkDocs' defaults: directory URLs, no published address."""
