"""Digest days and publish dates: which rule dates a dump, and how year-less dates get their year."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path

import pytest

from generator.config import DigestConfig
from generator.ingest.dates import date_entries, resolve
from generator.ingest.papers import merge_entries
from generator.ingest.parse import parse_text
from generator.publish.export import papers_json, papers_json_gz
from generator.records import Digest, PartialDate

ABSTRACT = "A long enough abstract. " * 12


def _rich(header: str | None, published: str) -> str:
    head = f"{header}\n\n" if header else ""
    return f"{head}A Paper\n\n{ABSTRACT}\n\n  • 2 authors\n·\n{published}\n"


def _date(name: str, text: str, **config):
    dump = parse_text(text, Path(name))
    return date_entries([dump], DigestConfig(**config))


def test_configured_date_wins_over_file_name_and_header():
    entries, log, problems = _date("2025-01-05.txt", _rich(None, "Dec 30"),
                                   dump_dates={"2025-01-05.txt": dt.date(2024, 6, 1)})
    assert entries[0].digest_date == dt.date(2024, 6, 1)
    assert entries[0].published_date == dt.date(2023, 12, 30)
    assert log == ["2025-01-05.txt: dated 2024-06-01 by dump_dates in the configuration"]
    assert problems == []


def test_file_name_date_gives_the_year_and_a_publish_date_goes_back_across_new_year():
    entries, log, _ = _date("digest-2025-01-05.txt", _rich("Jan 5", "Dec 30 7"))
    assert entries[0].digest_date == dt.date(2025, 1, 5)
    assert entries[0].published_date == dt.date(2024, 12, 30)
    assert entries[0].upvotes == 7
    assert log == ["digest-2025-01-05.txt: dated 2025-01-05 by its file name"]


def test_header_with_year_or_default_year_dates_the_dump():
    entries, log, _ = _date("dump.txt", _rich("Mar 14, 2023", "Mar 1"))
    assert (entries[0].digest_date, entries[0].published_date) == (dt.date(2023, 3, 14), dt.date(2023, 3, 1))
    assert log == ["dump.txt: dated 2023-03-14 by its page header on line 1"]
    entries, log, _ = _date("dump.txt", _rich("Mar 14", "Jun 17, 2022"), default_year=2024)
    assert (entries[0].digest_date, entries[0].published_date) == (dt.date(2024, 3, 14), dt.date(2022, 6, 17))
    assert log == ["dump.txt: dated 2024-03-14 by its page header on line 1, year from default_year"]


def test_dump_with_no_date_is_undated_and_says_how_to_fix_it():
    entries, log, problems = _date("dump.txt", _rich("Mar 14", "Mar 1"))
    assert entries[0].digest_date is None
    assert entries[0].published_date is None
    assert log == ["dump.txt: no date found; its papers are listed as Undated"]
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [
        (1, "page date Mar 14 has no year"), (9, "publish date Mar 1 has no year")]
    assert all("file name" in p.message for p in problems)
    assert "shown as written, year unknown" in problems[1].message
    assert entries[0].published_text == "Mar 1"


def test_a_yearless_publish_date_reaches_the_paper_as_written():
    entries, _, _ = _date("dump.txt", _rich("Mar 14", "Nov 5"))
    (paper,) = merge_entries(entries)
    assert (paper.published, paper.published_text) == (None, "Nov 5")
    assert _papers_json(paper)["published"] is None
    assert _papers_json(paper)["published_text"] == "Nov 5"
    dated, _, _ = _date("2024-03-14.txt", _rich("Mar 14", "Nov 5"))
    (known,) = merge_entries(dated)
    assert (known.published, known.published_text) == (dt.date(2023, 11, 5), None)
    assert "published_text" not in _papers_json(known)


def test_the_exported_digest_written_a_paper_at_a_time_is_the_json_of_the_whole():
    second = _rich(None, "Nov 6").replace("A Paper", "Another \"Paper\"").replace(
        ABSTRACT, "A second abstract, of another paper entirely. " * 3)
    entries, _, _ = _date("2024-03-14.txt", _rich("Mar 14", "Nov 5") + "\n" + second)
    digest = Digest(merge_entries(entries), [])
    text = papers_json(digest, Path("."))
    data = json.loads(text)
    assert len(data["papers"]) == len(digest.papers) == 2
    assert text == json.dumps(data, ensure_ascii=False, separators=(",", ":")) + "\n"
    assert list(data) == ["paper_url", "papers", "topics", "areas", "watchlists", "dates"]
    assert gzip.decompress(papers_json_gz(digest, Path("."))).decode("utf-8") == text


def _papers_json(paper):
    return json.loads(papers_json(Digest([paper], []), Path(".")))["papers"][0]


def test_plain_dump_without_header_uses_default_year_for_publish_dates_only():
    entries, log, problems = _date("dump.txt", _rich(None, "Sep 26 4"), default_year=2024)
    assert entries[0].digest_date is None
    assert entries[0].published_date == dt.date(2024, 9, 26)
    assert "default_year" in log[0]
    assert problems == []


def test_a_declared_date_wins_over_the_page_header_but_not_over_later_date_lines():
    later = f"Mar 3\n\nAnother Paper\n\n{ABSTRACT}\n\n  • 3 authors\n·\nMar 1\n"
    entries, log, problems = _date("2025-03-15.txt", _rich("Oct 28", "Oct 20") + "\n" + later)
    assert [e.digest_date for e in entries] == [dt.date(2025, 3, 15), dt.date(2025, 3, 3)]
    assert log == ["2025-03-15.txt: dated 2025-03-15 by its file name"]
    assert problems == []


def test_impossible_dates_are_reported_not_guessed():
    entries, _, problems = _date("dump.txt", _rich("Feb 30", "Feb 31, 2024"))
    assert entries[0].digest_date is None
    assert entries[0].published_date is None
    assert [p.message.split(";")[0] for p in problems] == ["page date Feb 30 does not exist",
                                                           "publish date Feb 31, 2024 does not exist"]


@pytest.mark.parametrize(("written", "reference", "expected"), [
    (PartialDate(3, 14), dt.date(2025, 3, 14), dt.date(2025, 3, 14)),
    (PartialDate(3, 16), dt.date(2025, 3, 14), dt.date(2025, 3, 16)),
    (PartialDate(12, 30), dt.date(2025, 1, 2), dt.date(2024, 12, 30)),
    (PartialDate(2, 29), dt.date(2025, 3, 1), dt.date(2024, 2, 29)),
    (PartialDate(6, 1, 2019), dt.date(2025, 3, 1), dt.date(2019, 6, 1)),
])
def test_year_less_date_takes_the_year_closest_before_its_reference(written, reference, expected):
    assert resolve(written, reference, None) == expected
