"""Stage 3: entries → distinct papers.

The same paper listed in several dumps (or twice in one) is one paper: entries match on a normalised
title. The merged paper keeps every dump and day it was seen under, the longest abstract, and for each
metadata field the value from its most recent listing that has one.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Callable
from typing import TypeVar

from slugify import slugify

from .records import Entry, Paper, Sighting

SLUG_MAX_CHARS = 60
_NON_WORD = re.compile(r"[\W_]+")
T = TypeVar("T")


def title_key(title: str) -> str:
    """Titles that differ only in case, punctuation, spacing or Unicode form give the same key."""
    folded = unicodedata.normalize("NFKC", title).casefold()
    return " ".join(_NON_WORD.sub(" ", folded).split())


def paper_id(title: str) -> str:
    """A readable, stable URL slug; the hash of the title key keeps colliding slugs apart."""
    slug = slugify(title, max_length=SLUG_MAX_CHARS, word_boundary=True)
    digest = hashlib.sha1(title_key(title).encode("utf-8")).hexdigest()[:6]
    return f"{slug or 'paper'}-{digest}"


def merge_entries(entries: list[Entry]) -> list[Paper]:
    """One paper per distinct title, ordered by id."""
    groups: dict[str, list[Entry]] = {}
    for entry in entries:
        groups.setdefault(title_key(entry.title), []).append(entry)
    return sorted((_merge(group) for group in groups.values()), key=lambda p: p.id)


def _merge(group: list[Entry]) -> Paper:
    by_recency = sorted(group, key=_recency, reverse=True)
    best = max(by_recency, key=lambda e: len(e.abstract))
    upvotes = [e.upvotes for e in group if e.upvotes is not None]
    return Paper(
        id=paper_id(best.title),
        title=best.title,
        abstract=best.abstract,
        sightings=sorted(
            {Sighting(str(e.path), e.line, e.digest_date, e.upvotes) for e in group},
            key=lambda s: (s.digest_date or dt.date.min, s.path, s.line),
        ),
        published=_latest(by_recency, lambda e: e.published_date),
        authors_count=_latest(by_recency, lambda e: e.authors_count),
        upvotes=max(upvotes) if upvotes else None,
        organization=_latest(by_recency, lambda e: e.organization),
    )


def _recency(entry: Entry) -> tuple[dt.date, str, int]:
    return (entry.digest_date or dt.date.min, str(entry.path), entry.line)


def _latest(entries: list[Entry], value: Callable[[Entry], T | None]) -> T | None:
    return next((v for e in entries if (v := value(e)) is not None), None)
