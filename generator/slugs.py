"""The one way a name becomes part of a URL (python-slugify), for papers, topics and organisations."""

from __future__ import annotations

from collections.abc import Iterable

from slugify import slugify

SLUG_MAX_CHARS = 60
"""Slugs are cut at a word boundary to this length, so addresses stay readable."""


def slug(name: str, fallback: str) -> str:
    """``name`` as a lower-case, hyphenated, ASCII URL piece; ``fallback`` when nothing of it is left
    ("🚀🔥")."""
    return slugify(name, max_length=SLUG_MAX_CHARS, word_boundary=True) or fallback


def unique_slugs(names: Iterable[str], fallback: str, taken: Iterable[str] = ()) -> list[str]:
    """A slug for each name, in the order given, each distinct from those before it and from ``taken``:
    a slug met before gets ``-2``, ``-3``, ... appended."""
    used: set[str] = set(taken)
    slugs: list[str] = []
    for name in names:
        base = candidate = slug(name, fallback)
        n = 2
        while candidate in used:
            candidate, n = f"{base}-{n}", n + 1
        used.add(candidate)
        slugs.append(candidate)
    return slugs
