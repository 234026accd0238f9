"""Stage 3: entries → distinct papers.

The same paper listed in several dumps (or twice in one) is one paper: entries match on a normalised
title, or on the same abstract (a title corrected between two dumps). The merged paper keeps every dump
and day it was seen under. Its text is that of its most recent listing (a corrected title or abstract
wins), except that an abstract cut short there gives way to a longer one that it begins; for each
metadata field it keeps the value from its most recent listing that has one. Its id comes from its first
listing, so a paper's URL does not change when it is re-pasted with a corrected title.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable
from typing import TypeVar

from generator.ingest.text import display_text
from generator.records import Entry, Paper, Sighting
from generator.slugs import slug

SAME_ABSTRACT_MIN_CHARS = 200
"""Entries with equal abstracts this long are one paper whatever their titles; shorter abstracts
("No abstract available.") prove nothing."""
UNTITLED_WORDS = 8
_NON_WORD = re.compile(r"[\W_]+")
T = TypeVar("T")


def title_key(title: str) -> str:
    """Titles that differ only in case, punctuation, spacing or Unicode form give the same key."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(_NON_WORD.sub(" ", folded).split())


def paper_id(title: str) -> str:
    """A readable, stable URL slug; the hash of the title key keeps colliding slugs apart."""
    digest = hashlib.sha1((title_key(title) or title).encode("utf-8")).hexdigest()[:6]
    return f"{slug(title, fallback='paper')}-{digest}"


def untitled_title(abstract: str) -> str:
    """What an abstract listed without a title is shown under: its first words, marked untitled."""
    words = display_text(abstract).split()
    return f"Untitled: {' '.join(words[:UNTITLED_WORDS])}" + ("…" if len(words) > UNTITLED_WORDS else "")


def merge_entries(entries: list[Entry]) -> list[Paper]:
    """One paper per distinct title or abstract, ordered by id."""
    return sorted((_merge(group) for group in _same_papers(entries)), key=lambda p: p.id)


def _same_papers(entries: list[Entry]) -> list[list[Entry]]:
    """Entries grouped by paper: linked by equal title keys or equal abstract keys (union-find)."""
    parent = list(range(len(entries)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_with: dict[tuple[str, str], int] = {}
    for index, entry in enumerate(entries):
        keys = [("title", key)] if (key := title_key(entry.title)) else []
        if len(entry.abstract) >= SAME_ABSTRACT_MIN_CHARS:
            keys.append(("abstract", title_key(entry.abstract)))
        for key in keys:
            other = first_with.setdefault(key, index)
            parent[root(index)] = root(other)
    groups: dict[int, list[Entry]] = {}
    for index, entry in enumerate(entries):
        groups.setdefault(root(index), []).append(entry)
    return list(groups.values())


def _merge(group: list[Entry]) -> Paper:
    by_recency = sorted(group, key=_recency, reverse=True)
    titled = [e for e in by_recency if e.title] or by_recency
    newest, first = titled[0], titled[-1]
    abstract = _best_abstract([e.abstract for e in by_recency])
    upvotes = [e.upvotes for e in group if e.upvotes is not None]
    published = _latest(by_recency, lambda e: e.published_date)
    return Paper(
        id=paper_id(first.title or first.abstract),
        title=display_text(newest.title) if newest.title else untitled_title(abstract),
        abstract=display_text(abstract),
        title_raw=newest.title,
        untitled=not newest.title,
        abstract_raw=abstract,
        sightings=sorted(
            {Sighting(str(e.path), e.line, e.digest_date, e.upvotes) for e in group},
            key=lambda s: (s.digest_date or dt.date.min, s.path, s.line),
        ),
        published=published,
        published_text=None if published else _latest(by_recency, lambda e: e.published_text),
        authors_count=_latest(by_recency, lambda e: e.authors_count),
        upvotes=max(upvotes) if upvotes else None,
        organization=_latest(by_recency, lambda e: e.organization),
    )


def _best_abstract(newest_first: list[str]) -> str:
    """The newest abstract, or a longer one it is the beginning of (the newest was cut short)."""
    present = [a for a in newest_first if a]
    if not present:
        return ""
    newest = present[0]
    stem = newest.rstrip(".… ").rstrip()
    longer = [a for a in present if len(a) > len(newest) and a.startswith(stem)]
    return max(longer, key=len, default=newest)


def _recency(entry: Entry) -> tuple[dt.date, str, int]:
    return (entry.digest_date or dt.date.min, str(entry.path), entry.line)


def _latest(entries: list[Entry], value: Callable[[Entry], T | None]) -> T | None:
    return next((v for e in entries if (v := value(e)) is not None), None)
