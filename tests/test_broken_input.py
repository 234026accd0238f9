"""Broken and hostile dumps: each problem is reported with its file and line, the rest of the file is
kept, and every entry read is accounted for (papers + duplicates + skipped)."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.config import DigestConfig
from generator.pipeline import read_papers

from .conftest import EXAMPLE_DUMPS, HOSTILE_DUMPS, SEEDS

ABSTRACT = ("We study a problem that matters. Our method is simple and it works on every benchmark we tried. "
            "It is also fast, and we release the code for everyone to use and extend in their own projects.")


def _rich(title: str, *metadata: str) -> str:
    return "\n".join([title, ABSTRACT, *metadata])


BROKEN = {
    "empty": (b"", [], [(1, "no papers found in this file (it is empty)")], 0),
    "only-header": (b"Daily Papers\nMar 14, 2024\n", [],
                    [(2, "no papers found in this file (only a page header)")], 0),
    "title-without-abstract-at-end": (
        f"A Paper\n{ABSTRACT}\nThe Last Title".encode(), ["A Paper", "The Last Title"],
        [(3, "title without an abstract; kept")], 2),
    "abstract-without-title": (
        f"{ABSTRACT}\nA Paper\n{ABSTRACT} Again.\n".encode(),
        ["A Paper", "Untitled: We study a problem that matters. Our method…"],
        [(1, "abstract without a title; kept as an untitled paper")], 2),
    "binary-bytes": (
        f"A Paper\n{ABSTRACT}\nB Paper\n{ABSTRACT}\n".encode() + b"\x00\x01\x02\x89PNG\x1a\n" +
        f"C Paper\n{ABSTRACT}\n".encode(),
        ["A Paper", "B Paper", "\u2030PNG", "C Paper"],
        [(5, "text that is not UTF-8, read as Windows-1252"), (5, "control characters (binary data?), dropped"),
         (5, "title without an abstract; kept")], 4),
    "cp1252": ("Caf\u00e9 \u201cQuoted\u201d Paper\n".encode("cp1252") + f"{ABSTRACT}\n".encode(),
               ["Caf\u00e9 \u201cQuoted\u201d Paper"],
               [(1, "text that is not UTF-8, read as Windows-1252")], 1),
    "crlf-and-bom": (b"\xef\xbb\xbf" + f"A Paper\r\n{ABSTRACT}\r\nB Paper\r\n{ABSTRACT}\r\n".encode(),
                     ["A Paper", "B Paper"], [], 2),
    "old-mac-cr": (f"A Paper\r{ABSTRACT}\rB Paper\r{ABSTRACT}".encode(), ["A Paper", "B Paper"], [], 2),
    "mixed-layouts": (
        "\n".join([f"Plain One\n{ABSTRACT}", f"\nBlank Two\n\n{ABSTRACT}\n",
                   _rich("Rich Three", "acme Lab", "• 3 authors", "·", "Mar 2, 2024 1.2k")]).encode(),
        ["Plain One", "Blank Two", "Rich Three"], [], 3),
    "metadata-out-of-order": (
        "\n".join([_rich("Rich One", "Mar 2, 2024 12", "·", "• 3 authors"), _rich("Rich Two", "• 2 authors")]
                  ).encode(),
        ["Rich One", "Rich Two"], [], 2),
    "stray-metadata": (f"• 3 authors\nA Paper\n{ABSTRACT}\n".encode(), ["A Paper"],
                       [(1, "author count with no paper before it; ignored")], 1),
    "duplicate-in-one-file": (f"A Paper\n{ABSTRACT}\nA paper\n{ABSTRACT} More.\n".encode(), ["A paper"], [], 2),
    "impossible-date": (_rich("A Paper", "• 2 authors", "·", "Feb 30, 2024 3").encode(), ["A Paper"],
                        [(5, "publish date Feb 30, 2024 does not exist; left unknown")], 1),
}


@pytest.mark.parametrize("name", BROKEN)
def test_broken_dump_reports_each_problem_with_its_line_and_keeps_the_rest(tmp_path, name):
    data, titles, problems, entries_read = BROKEN[name]
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    papers, report = read_papers(DigestConfig(dumps=(path,), default_year=2024))
    assert sorted(p.title for p in papers) == sorted(titles)
    assert [(p.path, p.line, p.message) for p in report.problems] == [(path, line, m) for line, m in problems]
    assert report.entries_read == entries_read
    assert report.entries_read == report.papers + report.duplicates + report.skipped


def test_upvotes_in_thousands_and_metadata_in_any_order_are_read(tmp_path):
    path = tmp_path / "rich.txt"
    path.write_bytes(BROKEN["mixed-layouts"][0] + b"\n" + BROKEN["metadata-out-of-order"][0])
    papers, _ = read_papers(DigestConfig(dumps=(path,), default_year=2024))
    by_title = {p.title: p for p in papers}
    assert (by_title["Rich Three"].upvotes, by_title["Rich Three"].organization) == (1200, "acme Lab")
    assert (by_title["Rich One"].upvotes, by_title["Rich One"].authors_count) == (12, 3)
    assert str(by_title["Rich One"].published) == "2024-03-02"


def test_a_50_mb_dump_is_read_whole(tmp_path):
    path = tmp_path / "big.txt"
    count = 0
    with path.open("w", encoding="utf-8") as out:
        while out.tell() < 50_000_000:
            out.write(f"Paper number {count}: a study\nStudy {count}. {ABSTRACT * 2}\n")
            count += 1
    papers, report = read_papers(DigestConfig(dumps=(path,)))
    assert len(papers) == count == report.entries_read
    assert report.problems == []


@pytest.mark.parametrize(("dumps", "entries"), [(SEEDS, 646), (EXAMPLE_DUMPS, 22), (HOSTILE_DUMPS, 10)],
                         ids=["seeds", "example", "hostile"])
def test_every_entry_of_the_real_dumps_is_accounted_for(dumps: Path, entries: int):
    papers, report = read_papers(DigestConfig(dumps=(dumps,), default_year=2024))
    assert report.entries_read == entries == report.papers + report.duplicates + report.skipped
    assert report.papers == len(papers)
