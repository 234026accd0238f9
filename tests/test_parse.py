"""The parser on the real seed dumps (three layouts) and on small dumps made for each quirk."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.ingest.parse import organization_name, parse_dump, parse_text, read_dumps
from generator.records import PartialDate

from .conftest import SEED_COUNTS, SEEDS


@pytest.fixture(scope="module")
def seed_dumps():
    dumps, problems = read_dumps([SEEDS])
    assert problems == []
    return {d.path.name: d for d in dumps}


@pytest.mark.parametrize(("name", "count"), SEED_COUNTS.items())
def test_each_seed_gives_its_expected_entries_with_no_problem(seed_dumps, name, count):
    dump = seed_dumps[name]
    assert len(dump.entries) == count
    assert dump.problems == []
    assert all(e.title and e.abstract for e in dump.entries)


def test_all_seeds_together_hold_646_entries(seed_dumps):
    assert sum(len(d.entries) for d in seed_dumps.values()) == 646


def test_plain_layout_first_title_is_unglued_from_subscribe_and_last_abstract_is_whole(seed_dumps):
    dump = seed_dumps["000_32028fc0be93f931.txt"]
    first, last = dump.entries[0], dump.entries[-1]
    assert first.title == ("Leveraging Timestamp Information for Serialized Joint Streaming Recognition "
                           "and Translation")
    assert first.line == 3
    assert first.abstract.startswith("The growing need for instant spoken language transcription")
    assert not SEEDS.joinpath(dump.path.name).read_bytes().endswith(b"\n")
    assert last.abstract.endswith("to support the theory.")


def test_blank_separated_layout_reads_page_date_and_skips_page_furniture(seed_dumps):
    dump = seed_dumps["001_013662e6d89ceba5.txt"]
    assert dump.header_date == PartialDate(3, 14, None)
    assert dump.header_line == 9
    assert dump.entries[0].title == "CLIP with Quality Captions: A Strong Pretraining for Vision Tasks"
    assert all(e.page_date == PartialDate(3, 14) for e in dump.entries)
    furniture = {"new", "Subscribe", "byAK and the research community",
                 "Get trending papers in your email inbox!"}
    titles = {e.title for d in seed_dumps.values() for e in d.entries}
    assert not titles & furniture


def test_rich_layout_metadata(seed_dumps):
    entries = {e.title: e for e in seed_dumps["004_152a2abdf1181b62.txt"].entries}
    drbert = entries["DrBERT: Unveiling the Potential of Masked Language Modeling Decoder in BERT pretraining"]
    assert (drbert.authors_count, drbert.published, drbert.upvotes) == (2, PartialDate(1, 28, 2024), None)
    with_org = [e for e in entries.values() if e.organization]
    assert [(e.organization, e.published, e.upvotes, e.authors_count) for e in with_org] == [
        ("NVIDIA", PartialDate(9, 26, None), 4, None)
    ]
    upvoted = [e for e in entries.values() if e.upvotes]
    assert {(e.published.year is None) for e in upvoted} == {True, False}
    without_metadata = [e for e in entries.values() if e.published is None]
    assert len(without_metadata) == 4
    assert all(e.abstract and e.authors_count is None for e in without_metadata)


def test_text_that_looks_like_markup_or_latex_is_kept_verbatim(seed_dumps):
    abstracts = [e.abstract for d in seed_dumps.values() for e in d.entries]
    for token in ("<EOS>", "[MASK]", "\\%", "``"):
        assert any(token in a for a in abstracts), token


def _dump(text: str, name: str = "made.txt"):
    return parse_text(text, Path(name))


ABSTRACT = ("We study a problem that matters. Our method is simple and it works on every benchmark we tried. "
            "It is also fast, and we release the code for everyone to use and extend in their own projects.")


def test_title_without_abstract_is_kept_and_reported_with_its_line():
    dump = _dump(f"First Paper\n{ABSTRACT}\nLonely Title\nSecond Paper\n{ABSTRACT}\nLast Title")
    assert [e.title for e in dump.entries] == ["First Paper", "Lonely Title", "Second Paper", "Last Title"]
    assert [(p.line, p.message) for p in dump.problems] == [
        (3, "title without an abstract; kept"),
        (6, "title without an abstract; kept"),
    ]


def test_abstract_without_title_is_reported_and_the_rest_is_kept():
    dump = _dump(f"{ABSTRACT}\n\nA Paper\n\n{ABSTRACT}\n")
    assert [e.title for e in dump.entries] == ["A Paper"]
    assert [(p.line, p.message) for p in dump.problems] == [(1, "abstract without a title; skipped")]


def test_metadata_with_no_paper_before_it_is_reported():
    dump = _dump("Mar 3\n\n  • 4 authors\n·\nMar 1, 2024 3\n\nA Paper\n\n" + ABSTRACT)
    assert [e.title for e in dump.entries] == ["A Paper"]
    assert [p.line for p in dump.problems] == [3, 4, 5]


def test_rich_entries_mix_with_plain_ones_and_short_abstracts():
    text = (f"Mar 14\n\nRich One\n\n{ABSTRACT}\n\nacme ACME Lab\n  • 3 authors\n·\nMar 2 12\n\n"
            "Plain One\n\nWe show it. It works.\n\nRich Two\n\n" + ABSTRACT + "\n\n·\nFeb 1, 2023\n")
    dump = _dump(text)
    rich, plain, rich_two = dump.entries
    assert (rich.organization, rich.authors_count, rich.published, rich.upvotes) == (
        "ACME Lab", 3, PartialDate(3, 2), 12)
    assert (plain.title, plain.abstract, plain.published) == ("Plain One", "We show it. It works.", None)
    assert rich_two.published == PartialDate(2, 1, 2023)
    assert dump.problems == []


def test_wrapped_abstract_in_a_blank_separated_dump_is_joined():
    dump = _dump(f"A Paper\n\n{ABSTRACT}\n{ABSTRACT}\n\nB Paper\n\n{ABSTRACT}\n")
    assert [e.abstract for e in dump.entries] == [f"{ABSTRACT} {ABSTRACT}", ABSTRACT]


def test_crlf_and_non_utf8_bytes_are_read_with_a_warning(tmp_path):
    path = tmp_path / "latin1.txt"
    path.write_bytes(f"A Caf\xe9 Paper\r\n{ABSTRACT}\r\nB Paper\r\n{ABSTRACT}".encode("latin-1"))
    dump = parse_dump(path)
    assert [e.title for e in dump.entries] == ["A Café Paper", "B Paper"]
    assert dump.entries[1].abstract == ABSTRACT
    assert [(p.line, "not UTF-8" in p.message) for p in dump.problems] == [(1, True)]


def test_missing_dump_path_is_reported(tmp_path):
    dumps, problems = read_dumps([tmp_path / "nope.txt"])
    assert dumps == []
    assert [p.message for p in problems] == ["no such dump file or folder"]


def test_organization_line_drops_the_account_name_only_when_it_matches():
    assert organization_name("nvidia NVIDIA") == "NVIDIA"
    assert organization_name("aiforscience AI for Science Lab") == "AI for Science Lab"
    assert organization_name("deepseek-ai DeepSeek") == "DeepSeek"
    assert organization_name("Qwen Qwen") == "Qwen"
    assert organization_name("deepmind Google DeepMind") == "deepmind Google DeepMind"
    assert organization_name("NVIDIA") == "NVIDIA"
    assert organization_name("a Apple") == "a Apple"
