"""CSV and BibTeX lists of each topic's and each day's papers, read back by csv and bibtexparser."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import bibtexparser

from generator.publish.export import CSV_COLUMNS, bibtex_escape, bibtex_text, csv_text
from generator.records import Paper

from .conftest import EXAMPLE_SITE_URL

_UNESCAPE = re.compile(r"\\textbackslash\{\}|\\\^\{\}|\\~\{\}|\\([{}%&#$_])")
_SPELLED = {"\\textbackslash{}": "\\", "\\^{}": "^", "\\~{}": "~"}


def _unescape(text: str) -> str:
    return _UNESCAPE.sub(lambda m: m.group(1) or _SPELLED[m.group()], text)


def _rows(path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def test_every_topic_and_day_page_links_its_csv_and_bibtex(seeds_site, seeds_json):
    papers = {p["id"]: p for p in seeds_json["papers"]}
    for listing in [*seeds_json["topics"], *seeds_json["dates"]]:
        page = seeds_site / listing["url"] / "index.html"
        html = page.read_text(encoding="utf-8")
        stem = listing["url"].rstrip("/")
        name = stem.rsplit("/", 1)[-1]
        assert f'href="../{name}.csv"' in html and f'href="../{name}.bib"' in html
        rows = _rows(seeds_site / f"{stem}.csv")
        by_url = {papers[pid]["url"]: papers[pid] for pid in listing["papers"]}
        assert sorted(row["link"] for row in rows) == sorted(by_url)
        for row in rows:
            assert row["title"] == by_url[row["link"]]["title"]
            assert row["upvotes"] == str(by_url[row["link"]]["upvotes"] or "")
        library = bibtexparser.parse_string((seeds_site / f"{stem}.bib").read_text(encoding="utf-8"))
        assert not library.failed_blocks
        assert sorted(entry.key for entry in library.entries) == sorted(listing["papers"])
        for entry in library.entries:
            title = entry["title"]
            assert title.startswith("{") and title.endswith("}")
            assert _unescape(title[1:-1]) == papers[entry.key]["title"]
            if listing.get("date"):
                assert entry["date"] == listing["date"]


def test_exports_of_a_published_site_link_to_its_address(example_site):
    rows = _rows(next((example_site / "topics").glob("*.csv")))
    assert rows and all(row["link"].startswith(EXAMPLE_SITE_URL + "papers/") for row in rows)


def test_text_that_tex_or_a_spreadsheet_would_run_is_escaped():
    paper = Paper(id="p1", title="=HYPERLINK(\"x\") 100% {a}_b & #1 $\\alpha$ ^ ~", abstract="", sightings=[],
                  organization="@Lab")
    rows = list(csv.reader(io.StringIO(csv_text([(paper, dt.date(2025, 3, 4))], lambda p: "papers/p1/"))))
    assert rows[0] == list(CSV_COLUMNS)
    assert rows[1][0] == "'" + paper.title and rows[1][4] == "'@Lab" and rows[1][1] == "2025-03-04"
    text = bibtex_text([(paper, dt.date(2025, 3, 4))], lambda p: "https://x.org/papers/p1/")
    entry = bibtexparser.parse_string(text).entries[0]
    assert _unescape(entry["title"][1:-1]) == paper.title
    assert (entry["year"], entry["month"], entry["url"]) == ("2025", "mar", "https://x.org/papers/p1/")
    assert bibtex_escape("{}") == r"\{\}" and text.count("{") == text.count("}")
