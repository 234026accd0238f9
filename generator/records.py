"""Plain records passed between pipeline stages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class PartialDate:
    """A date as a dump writes it: month and day always, the year only sometimes."""

    month: int
    day: int
    year: int | None = None


@dataclass(frozen=True)
class Problem:
    """Something in a dump that could not be read as expected; the build goes on without it."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass
class Entry:
    """One paper as one dump lists it."""

    title: str
    abstract: str
    path: Path
    line: int
    page_date: PartialDate | None = None
    published: PartialDate | None = None
    published_line: int = 0
    authors_count: int | None = None
    upvotes: int | None = None
    organization: str | None = None
    digest_date: dt.date | None = None
    published_date: dt.date | None = None
    published_text: str | None = None
    """The publish date as written ("Nov 5"), kept where no year can be found for it."""


@dataclass
class Dump:
    """A parsed dump file."""

    path: Path
    entries: list[Entry]
    problems: list[Problem]
    header_date: PartialDate | None = None
    header_line: int = 0
    skipped: list[Problem] = field(default_factory=list)
    """Entries read but not kept, each with the reason (also in ``problems``)."""

    @property
    def entries_read(self) -> int:
        return len(self.entries) + len(self.skipped)


@dataclass(frozen=True)
class Sighting:
    """Where a paper was seen: one entry of one dump."""

    path: str
    line: int
    digest_date: dt.date | None
    upvotes: int | None


@dataclass
class Paper:
    """A distinct paper, merged from every entry that lists it. ``title`` and ``abstract`` are the text as
    shown (LaTeX remnants cleaned, see ``text.display_text``); the ``_raw`` fields keep the dump's text."""

    id: str
    title: str
    abstract: str
    sightings: list[Sighting]
    title_raw: str = ""
    abstract_raw: str = ""
    published: dt.date | None = None
    published_text: str | None = None
    """The publish date as the dump wrote it, where its year is unknown (``published`` is then None)."""
    authors_count: int | None = None
    upvotes: int | None = None
    organization: str | None = None
    keyphrases: list[str] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    """Ids of the nearest papers by embedding, nearest first."""
    closeness: list[float] = field(default_factory=list)
    """The cosine of the paper's embedding with each related paper's (the for-you page weighs by it)."""
    untitled: bool = False
    """No dump gave a title: ``title`` is made from the abstract's first words."""
    tldr: str = ""
    """One sentence of the shown abstract that says what the paper does (``analysis/summaries.py``)."""
    code: list[str] = field(default_factory=list)
    """Addresses of its code or project page, from the abstract (``analysis/code_links.py``)."""

    @property
    def digest_dates(self) -> list[dt.date | None]:
        dates = {s.digest_date for s in self.sightings}
        return sorted(d for d in dates if d) + ([None] if None in dates else [])

    @property
    def latest_date(self) -> dt.date | None:
        known = [d for d in self.digest_dates if d]
        return known[-1] if known else None

    @property
    def first_date(self) -> dt.date | None:
        """The first digest day it was seen on; None when only undated dumps list it."""
        return next(iter(self.digest_dates), None)

    @property
    def source_title(self) -> str:
        """The title as the dump wrote it, else as shown."""
        return self.title_raw or self.title

    @property
    def source_abstract(self) -> str:
        """The abstract as the dump wrote it (LaTeX remnants included), else as shown."""
        return self.abstract_raw or self.abstract


@dataclass
class Topic:
    id: str
    label: str
    paper_ids: list[str]
    key: str = ""
    """The normalised keyphrase the topic stands for."""
    aliases: list[str] = field(default_factory=list)
    """Every normalised phrase that belongs to the topic: variants and acronyms."""
    phrases: list[str] = field(default_factory=list)
    """The keyphrases that define the topic, most used first."""
    synonyms: list[str] = field(default_factory=list)
    """Labels of near-synonyms merged into the topic ("sentence representations" in "sentence embeddings")."""
    related: list[str] = field(default_factory=list)
    """Ids of the topics sharing most papers with this one."""


@dataclass
class Area:
    """A group of neighbouring topics: a section of a large digest's topic index."""

    id: str
    label: str
    topic_ids: list[str]


@dataclass
class Watchlist:
    """A reader's standing search (``watchlists:`` in the settings) and the papers it matches."""

    id: str
    name: str
    include: list[str]
    exclude: list[str]
    about: str | None
    paper_ids: list[str]


@dataclass(frozen=True)
class RetiredTopic:
    """A topic a later build no longer has: its address stays, as a redirect to ``successor`` (the topic
    that holds most of its papers now; empty when none does)."""

    id: str
    label: str
    successor: str = ""


@dataclass(frozen=True)
class FileReport:
    path: str
    entries_read: int
    skipped: int
    problems: int


@dataclass
class QualityReport:
    """Where every entry of every dump went (``ingest/quality.py`` makes it)."""

    files: list[FileReport]
    papers: int
    duplicates: int
    skipped: int
    skip_reasons: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def entries_read(self) -> int:
        return sum(f.entries_read for f in self.files)

    @property
    def balanced(self) -> bool:
        return self.entries_read == self.papers + self.duplicates + self.skipped

    def summary(self) -> str:
        reasons = ", ".join(f"{n} {reason}" for reason, n in self.skip_reasons.items())
        return (f"{self.entries_read} entries read from {len(self.files)} dumps = {self.papers} papers + "
                f"{self.duplicates} duplicates merged + {self.skipped} skipped"
                + (f" ({reasons})" if reasons else "") + f"; {len(self.problems)} problems reported")


Ranked = tuple[Paper, "int | None"]
"""A paper with the most upvotes recorded in some span of days (None where no dump of them gave a count)."""


@dataclass
class Day:
    """A digest day (None: the undated dumps) and its papers."""

    date: dt.date | None
    papers: list[Paper]
    """By title."""
    ranked: list[Ranked]
    """Most upvoted that day first, then by title."""


@dataclass
class Week:
    """An ISO week of the digest."""

    year: int
    number: int
    days: list[Day]
    """Its digest days, oldest first."""
    ranked: list[Ranked]
    """Its papers, most upvoted that week first."""

    @property
    def first(self) -> dt.date:
        return dt.date.fromisocalendar(self.year, self.number, 1)

    @property
    def last(self) -> dt.date:
        return self.first + dt.timedelta(days=6)


@dataclass
class Month:
    year: int
    month: int
    days: list[Day]
    """Its digest days, newest first."""
    ranked: list[Ranked]
    """Its papers, most upvoted that month first."""


@dataclass
class Calendar:
    """The digest's days, weeks and months (``analysis/calendar.py``), newest first; undated last."""

    days: list[Day] = field(default_factory=list)
    weeks: list[Week] = field(default_factory=list)
    months: list[Month] = field(default_factory=list)

    @property
    def latest(self) -> Day | None:
        """The newest digest day."""
        return self.days[0] if self.days and self.days[0].date else None

    @property
    def undated(self) -> Day | None:
        return self.days[-1] if self.days and self.days[-1].date is None else None

    @property
    def dated(self) -> list[Day]:
        return [day for day in self.days if day.date]


@dataclass
class Trending:
    overall: list[Paper]
    """The most upvoted papers, by each paper's highest count."""
    by_day: list[tuple[dt.date, list[tuple[Paper, int]]]]
    """Newest day first: that day's most upvoted papers, with the count that day's dumps gave."""


@dataclass
class RisingTopic:
    topic: Topic
    recent_share: float
    earlier_share: float
    weekly: list[int]
    """Papers per week, oldest first, over the weeks compared (``analysis/trending.py``)."""


@dataclass
class Organization:
    """An organisation the dumps name, with its page's name and its papers."""

    name: str
    slug: str
    papers: list[Paper]


@dataclass
class Digest:
    """Everything the pages are rendered from."""

    papers: list[Paper]
    topics: list[Topic]
    dump_count: int = 0
    embeddings: dict[str, Any] = field(default_factory=dict)
    """Each paper's document embedding (a unit-length numpy vector), by paper id."""
    report: QualityReport | None = None
    retired_topics: list[RetiredTopic] = field(default_factory=list)
    areas: list[Area] = field(default_factory=list)
    watchlists: list[Watchlist] = field(default_factory=list)
    query_encoder: Any = None
    """The search page's query encoder (``analysis/query_encoder.QueryEncoder``), or None when
    ``search.semantic`` is off or the digest has no paper."""
    topic_state: str = ""
    """The kept topics as the state file holds them (``analysis/topic_state.py``), published with the site."""
    calendar: Calendar = field(default_factory=Calendar)
    trending: Trending = field(default_factory=lambda: Trending([], []))
    rising: list[RisingTopic] = field(default_factory=list)
    organizations: list[Organization] = field(default_factory=list)
    """Most papers first, then by name."""

    @property
    def newest_day(self) -> dt.date | None:
        """The newest digest day of any paper (None when every dump is undated)."""
        return max((p.latest_date for p in self.papers if p.latest_date), default=None)


def newest_first(papers: Iterable[Paper]) -> list[Paper]:
    """Papers by the last digest day each appeared in, newest first (undated last), then by title."""
    return sorted(papers, key=lambda p: (-(p.latest_date or dt.date.min).toordinal(), p.title.lower(), p.id))


def display_path(path: str | Path, root: Path | None) -> str:
    """A dump's path as the site shows it: relative to the project, else its file name (never the
    builder's absolute paths)."""
    path = Path(path)
    if root is not None:
        try:
            return path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            pass
    return path.name
