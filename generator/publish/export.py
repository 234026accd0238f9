"""Stage 7: digest → the machine-readable digest: ``papers.json`` at the site root, and CSV and BibTeX
lists of each topic's and each day's papers.

In papers.json URLs are relative to the site root, dates are YYYY-MM-DD, unknown values are null.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

from generator.publish.urls import PATHS, page_url, published_url
from generator.records import Digest, Paper, display_path, newest_first


def papers_json(digest: Digest, root: Path, use_directory_urls: bool = True) -> str:
    def url(src_path: str) -> str:
        return page_url(src_path, use_directory_urls)

    days = digest.papers_by_date()
    payload = {
        "papers": [_paper(paper, url(PATHS.paper(paper.id)), root) for paper in digest.papers],
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
            {"date": _iso(day), "url": url(PATHS.day(day)), "papers": sorted(p.id for p in days[day])}
            for day in sorted(days, key=lambda d: d or dt.date.max)
        ],
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")) + "\n"


def _paper(paper: Paper, url: str, root: Path) -> dict:
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
        "url": url,
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


CSV_COLUMNS = ("title", "date", "link", "upvotes", "organization")
_SPREADSHEET_FORMULA = ("=", "+", "-", "@", "\t", "\r")
"""A cell starting with one of these is run as a formula by spreadsheet programs; such cells get a
leading apostrophe (OWASP's advice on CSV injection), which those programs show as text."""
_BIBTEX_SPECIAL = re.compile(r"[\\{}%&#$_^~]")
_BIBTEX_ESCAPES = {"\\": r"\textbackslash{}", "^": r"\^{}", "~": r"\~{}"}
MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def list_exports(digest: Digest, site_url: str | None, use_directory_urls: bool = True) -> dict[str, str]:
    """CSV and BibTeX of each topic's and each digest day's papers, beside their pages (``topics/x.csv``
    beside ``topics/x.md``). Links are absolute under ``site_url``, else paths under the site root."""
    papers = {paper.id: paper for paper in digest.papers}

    def link(paper: Paper) -> str:
        url = page_url(PATHS.paper(paper.id), use_directory_urls)
        return published_url(site_url, url) if site_url else url

    lists: list[tuple[str, list[tuple[Paper, dt.date | None]]]] = []
    for topic in digest.topics:
        listed = newest_first(papers[i] for i in topic.paper_ids)
        lists.append((PATHS.topic(topic.id), [(p, p.latest_date) for p in listed]))
    for day, on_day in sorted(digest.papers_by_date().items(), key=lambda item: item[0] or dt.date.max):
        lists.append((PATHS.day(day), [(p, day) for p in sorted(on_day, key=lambda p: p.title.lower())]))
    files = {}
    for page, rows in lists:
        files[PATHS.beside(page, ".csv")] = csv_text(rows, link)
        files[PATHS.beside(page, ".bib")] = bibtex_text(rows, link)
    return files


def csv_text(rows: list[tuple[Paper, dt.date | None]], link) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for paper, day in rows:
        writer.writerow([_cell(paper.title), _iso(day) or "", link(paper),
                         "" if paper.upvotes is None else paper.upvotes, _cell(paper.organization or "")])
    return out.getvalue()


def bibtex_text(rows: list[tuple[Paper, dt.date | None]], link) -> str:
    """``@misc`` entries keyed by paper id (biblatex fields ``date`` and ``url``, with ``year`` and ``month``
    for BibTeX): the title in double braces, so styles keep its capitals, with TeX's special characters
    escaped."""
    entries = []
    for paper, day in rows:
        fields = [("title", "{" + bibtex_escape(paper.title) + "}")]
        if day:
            fields += [("date", day.isoformat()), ("year", str(day.year)), ("month", MONTHS[day.month - 1])]
        fields.append(("url", link(paper)))
        body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
        entries.append(f"@misc{{{paper.id},\n{body}\n}}\n")
    return "\n".join(entries)


def bibtex_escape(text: str) -> str:
    return _BIBTEX_SPECIAL.sub(lambda m: _BIBTEX_ESCAPES.get(m.group(), "\\" + m.group()), text)


def _cell(text: str) -> str:
    return "'" + text if text.startswith(_SPREADSHEET_FORMULA) else text
