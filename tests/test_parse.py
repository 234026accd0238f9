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


def test_abstract_without_title_is_kept_untitled_and_reported():
    dump = _dump(f"{ABSTRACT}\n\nA Paper\n\n{ABSTRACT}\n")
    assert [(e.title, e.abstract) for e in dump.entries] == [("", ABSTRACT), ("A Paper", ABSTRACT)]
    assert [(p.line, p.message) for p in dump.problems] == [
        (1, "abstract without a title; kept as an untitled paper")]


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


LONG = ("Digital breast tomosynthesis needs realistic test objects. We build a simulation pipeline that "
        "models tissue, acquisition and reconstruction, and we compare its images with clinical ones.")
TRICKY_TITLES = [
    "Mammogram synthesis using a 3D simulation. II. Evaluation of synthetic mammogram texture",
    "A framework for recognition algorithms. 1. Theory and implementation",
    "Control of integral processes with dead-time. 1. Disturbance observer-based set point tracking",
    "Why do transformers need Adam? A Hessian perspective.",
]
SHORT_ABSTRACTS = [
    "Silberer's company, CompLete, is making a specialty of workflow process analysis",
    "The move from CD to the Web looks unstoppable.",
]


@pytest.mark.parametrize("layout", ["plain", "blank"])
def test_titles_with_sentence_breaks_and_one_sentence_abstracts_keep_their_places(layout):
    pairs = [(TRICKY_TITLES[0], SHORT_ABSTRACTS[0]), (TRICKY_TITLES[1], LONG),
             (TRICKY_TITLES[2], SHORT_ABSTRACTS[1]), (TRICKY_TITLES[3], LONG)]
    separator = "\n" if layout == "plain" else "\n\n"
    text = "Subscribe" + separator.join(line for pair in pairs for line in pair)
    dump = _dump(text)
    assert [(e.title, e.abstract) for e in dump.entries] == pairs
    assert dump.problems == []


def test_a_rich_entry_with_a_one_sentence_abstract_keeps_its_metadata():
    text = (f"Oct 28\n\n{TRICKY_TITLES[0]}\n\n{SHORT_ABSTRACTS[1]}\n\nacme ACME Lab\n  • 4 authors\n·\n"
            f"Nov 5 3\n\n{TRICKY_TITLES[1]}\n\n{LONG}\n\n  • 2 authors\n·\nNov 4, 2024\n")
    first, second = _dump(text).entries
    assert (first.title, first.abstract, first.organization, first.authors_count, first.upvotes) == (
        TRICKY_TITLES[0], SHORT_ABSTRACTS[1], "ACME Lab", 4, 3)
    assert (second.title, second.authors_count) == (TRICKY_TITLES[1], 2)
    assert second.published == PartialDate(11, 4, 2024)


def test_an_odd_line_in_a_plain_dump_is_kept_with_a_warning_never_dropped():
    dump = _dump(f"A Paper\n{LONG}\nB Paper\n{LONG} Again.\n{LONG} And a third time.\nC Paper\n{LONG} C.")
    assert [(e.title, e.abstract[:12]) for e in dump.entries] == [
        ("A Paper", LONG[:12]), ("B Paper", LONG[:12]), ("", LONG[:12]), ("C Paper", LONG[:12])]
    assert [(p.line, p.message) for p in dump.problems] == [
        (5, "abstract without a title; kept as an untitled paper")]
