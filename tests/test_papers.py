"""Deduplication: one paper per normalised title, keeping every sighting and the richest metadata."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from generator.config import DigestConfig
from generator.ingest.dates import date_entries
from generator.ingest.papers import merge_entries, paper_id, title_key
from generator.ingest.parse import parse_text, read_dumps

from .conftest import SEED_DEFAULT_YEAR, SEEDS

ABSTRACT = "A long enough abstract sentence. " * 10


def test_seeds_hold_605_distinct_papers_with_ids_unique_and_stable():
    dumps, _ = read_dumps([SEEDS])
    entries, _, _ = date_entries(dumps, DigestConfig(default_year=SEED_DEFAULT_YEAR))
    papers = merge_entries(entries)
    assert len(papers) == 605
    assert len({p.id for p in papers}) == 605
    assert sum(len(p.sightings) for p in papers) == 646
    assert [p.id for p in papers] == [p.id for p in merge_entries(list(reversed(entries)))]


def test_title_key_ignores_case_punctuation_spacing_and_unicode_form():
    assert title_key("LLaMA-2:  Open\u00a0Models!") == title_key("llama 2 open models")
    assert title_key("Ｃafé") == title_key("café")
    assert title_key("GPT-4") != title_key("GPT-3")


def test_paper_ids_are_readable_distinct_for_colliding_slugs_and_never_empty():
    assert paper_id("Attention Is All You Need").startswith("attention-is-all-you-need-")
    assert paper_id("Über Models").split("-")[:2] == paper_id("Uber Models").split("-")[:2]
    assert paper_id("Über Models") != paper_id("Uber Models")
    assert paper_id("!!!").startswith("paper-")
    assert paper_id("大型语言模型") != paper_id("小型语言模型")


def test_same_paper_in_two_dumps_is_one_paper_with_both_days_and_richest_metadata():
    early = parse_text(f"Mar 1\n\nA Paper: Part One\n\n{ABSTRACT}\n", Path("2025-03-01.txt"))
    late = parse_text(
        f"Mar 5\n\nA paper — part one\n\n{ABSTRACT} Extra sentence.\n\nacme ACME\n  • 4 authors\n·\nFeb 20 9\n",
        Path("2025-03-05.txt"),
    )
    entries, _, _ = date_entries([early, late], DigestConfig())
    (paper,) = merge_entries(entries)
    assert paper.digest_dates == [dt.date(2025, 3, 1), dt.date(2025, 3, 5)]
    assert paper.abstract.endswith("Extra sentence.")
    assert paper.title == "A paper — part one"
    assert (paper.authors_count, paper.upvotes, paper.organization) == (4, 9, "ACME")
    assert paper.published == dt.date(2025, 2, 20)
    assert [(s.path, s.line) for s in paper.sightings] == [("2025-03-01.txt", 3), ("2025-03-05.txt", 3)]


def _dated(*dumps: tuple[str, str]) -> list:
    parsed = [parse_text(text, Path(name)) for name, text in dumps]
    return date_entries(parsed, DigestConfig())[0]


def test_a_repasted_paper_with_a_corrected_title_or_abstract_updates_one_page_with_a_stable_url():
    first = ("2025-03-01.txt", f"Attention Is All You Nede\n{ABSTRACT}\n")
    corrected_title = ("2025-03-02.txt", f"Attention Is All You Need\n{ABSTRACT}\n")
    corrected_abstract = ("2025-03-03.txt", f"Attention is all you need\n{ABSTRACT.replace('long', 'short')}\n")
    (paper,) = merge_entries(_dated(first, corrected_title))
    assert paper.title == "Attention Is All You Need"
    assert paper.id == paper_id("Attention Is All You Nede")
    (paper,) = merge_entries(_dated(first, corrected_title, corrected_abstract))
    assert paper.abstract == ABSTRACT.replace("long", "short").strip()
    assert paper.id == paper_id("Attention Is All You Nede")
    assert len(paper.sightings) == 3


def test_an_abstract_cut_short_in_a_later_dump_gives_way_to_the_whole_one():
    whole = ("2025-03-01.txt", f"A Paper\n{ABSTRACT}The end.\n")
    cut = ("2025-03-02.txt", f"A Paper\n{ABSTRACT[:150]}...\n")
    (paper,) = merge_entries(_dated(whole, cut))
    assert paper.abstract.endswith("The end.")


def test_different_papers_with_short_placeholder_abstracts_stay_apart():
    papers = merge_entries(_dated(("2025-03-01.txt", "A Paper\nNo abstract available.\nB Paper\n"
                                   "No abstract available.\n")))
    assert [p.title for p in papers] == ["A Paper", "B Paper"]


def test_shown_text_is_cleaned_of_latex_and_the_raw_text_is_kept():
    raw = r"""T\"ULU na\"{\i}ve: 50\% \eg ``quoted''"""
    (paper,) = merge_entries(_dated(("2025-03-01.txt", f"{raw}\n{raw} {ABSTRACT}\n")))
    assert paper.title == "TÜLU naïve: 50% e.g. “quoted”"
    assert paper.abstract.startswith("TÜLU naïve: 50% e.g. “quoted” A long")
    assert (paper.title_raw, paper.abstract_raw.split(" A long")[0]) == (raw, raw)
