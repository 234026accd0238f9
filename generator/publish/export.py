"""Stage 7: digest → the machine-readable digest, ``papers.json.gz`` at the site root. (The CSV and BibTeX
of a day's or a topic's papers are written in the browser from the page: reading/exports.js.)

It is gzipped: a download, not a page, and a quarter of the size so; unpacked, a large digest's would pass
the largest file a ``gh-deploy`` push may hold (docs/performance.md, "Figures behind the code"). The gzip
header carries no time: the same digest gives the same bytes.

In papers.json URLs are relative to the site root, dates are YYYY-MM-DD, unknown values are null. A paper's
page is ``paper_url`` with its id put in (``papers/{id}/``), a rule stated once instead of a URL per paper.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path

from generator.publish.urls import DEFAULT_LINKS, PATHS, Links
from generator.records import Digest, Paper, display_path

PAPERS_JSON = "papers.json.gz"


def papers_json_gz(digest: Digest, root: Path, links: Links = DEFAULT_LINKS) -> bytes:
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", compresslevel=6, mtime=0) as out:
        for piece in _json_pieces(digest, root, links):
            out.write(piece.encode("utf-8"))
    return buffer.getvalue()


def papers_json(digest: Digest, root: Path, links: Links = DEFAULT_LINKS) -> str:
    return "".join(_json_pieces(digest, root, links))


def _json_pieces(digest: Digest, root: Path, links: Links) -> Iterator[str]:
    """The text of papers.json, one paper at a time: neither the whole text (hundreds of MB for a large
    digest) nor every paper's record is held at once. Joined, the pieces are what ``json.dumps`` gives of
    the whole."""
    url = links.url

    def dumps(value: object) -> str:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

    calendar = digest.calendar
    days = [*reversed(calendar.dated), *([calendar.undated] if calendar.undated else [])]
    rest = {
        "topics": [
            {"id": t.id, "label": t.label, "synonyms": t.synonyms, "url": url(PATHS.topic(t.id)),
             "papers": t.paper_ids}
            for t in digest.topics
        ],
        "areas": [
            {"id": a.id, "label": a.label, "url": f"{url(PATHS.topics)}#area-{a.id}", "topics": a.topic_ids}
            for a in digest.areas
        ],
        "watchlists": [
            {"id": w.id, "name": w.name, "url": url(PATHS.watchlist(w.id)), "papers": w.paper_ids}
            for w in digest.watchlists
        ],
        "dates": [
            {"date": _iso(day.date), "url": url(PATHS.day(day.date)),
             "papers": sorted(p.id for p in day.papers)}
            for day in days
        ],
    }
    yield dumps({"paper_url": links.url_pattern(PATHS.paper)})[:-1] + ',"papers":['
    for number, paper in enumerate(digest.papers):
        yield ("," if number else "") + dumps(_paper(paper, root))
    yield "]," + dumps(rest)[1:] + "\n"


def _paper(paper: Paper, root: Path) -> dict:
    """One paper; ``title_raw`` and ``abstract_raw`` (the dump's own text) only where it differs from the
    text shown, which saves a second copy of most abstracts."""
    raw = {}
    if paper.untitled or (paper.title_raw and paper.title_raw != paper.title):
        raw["title_raw"] = paper.title_raw
    if paper.abstract_raw and paper.abstract_raw != paper.abstract:
        raw["abstract_raw"] = paper.abstract_raw
    return {
        "id": paper.id,
        "title": paper.title,
        "abstract": paper.abstract,
        **raw,
        "tldr": paper.tldr,
        "code": paper.code,
        "keywords": paper.keyphrases,
        "topics": paper.topics,
        "related": paper.related,
        "digest_dates": [_iso(d) for d in paper.digest_dates],
        "published": _iso(paper.published),
        **({"published_text": paper.published_text} if paper.published_text else {}),
        "authors_count": paper.authors_count,
        "upvotes": paper.upvotes,
        "organization": paper.organization,
        "sources": [
            {"file": display_path(s.path, root), "line": s.line, "date": _iso(s.digest_date),
             "upvotes": s.upvotes}
            for s in paper.sightings
        ],
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day else None
