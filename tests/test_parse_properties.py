"""Property-based tests of the parser: generated dumps in every layout, with hostile text, line ends
and metadata, parse without an exception and without losing or altering an entry."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator.ingest.papers import title_key
from generator.ingest.parse import (
    Kind,
    _classify,
    decode_dump,
    looks_like_abstract,
    looks_like_organization,
    parse_text,
)

TEXT = st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp", "Co", "Cn"))
"""Any printable character, hostile ones included: <, >, [, ], *, |, _, {, }, $, \\, `, #, emoji, CJK."""
LAYOUTS = ("plain", "blank", "rich")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _reads_as_text(line: str) -> bool:
    classified = _classify(1, line, False)
    return classified.kind is Kind.TEXT and classified.text == line


@st.composite
def titles(draw) -> str:
    title = _one_line(draw(st.text(TEXT, min_size=1, max_size=120)))
    assume(title and _reads_as_text(title) and not looks_like_abstract(title))
    return title


@st.composite
def abstracts(draw) -> str:
    words = draw(st.lists(st.text(TEXT, min_size=1, max_size=12), min_size=40, max_size=120))
    abstract = _one_line(" ".join(words))
    assume(len(abstract) >= 250 and _reads_as_text(abstract))
    return abstract


@st.composite
def organisations(draw) -> str | None:
    name = _one_line(draw(st.text(TEXT, min_size=1, max_size=40)))
    assume(name and _reads_as_text(name) and looks_like_organization(name))
    return name


@st.composite
def entries(draw) -> dict:
    return {
        "title": draw(titles()),
        "abstract": draw(abstracts()),
        "layout": draw(st.sampled_from(LAYOUTS)),
        "organisation": draw(st.none() | organisations()),
        "authors": draw(st.integers(1, 500)),
        "date": (draw(st.sampled_from(MONTHS)), draw(st.integers(1, 28)),
                 draw(st.none() | st.integers(2000, 2030))),
        "upvotes": draw(st.none() | st.integers(0, 99_999)),
    }


def _render(entry: dict) -> list[str]:
    if entry["layout"] == "plain":
        return [entry["title"], entry["abstract"]]
    if entry["layout"] == "blank":
        return ["", entry["title"], "", entry["abstract"], ""]
    month, day, year = entry["date"]
    upvotes = f" {entry['upvotes']}" if entry["upvotes"] is not None else ""
    date = f"{month} {day}" + (f", {year}" if year else "") + upvotes
    organisation = [entry["organisation"]] if entry["organisation"] else []
    return [entry["title"], entry["abstract"], *organisation, f"• {entry['authors']} authors", "·", date]


@settings(deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.lists(entries(), min_size=1, max_size=8, unique_by=lambda e: title_key(e["title"])),
       st.sampled_from(["\n", "\r\n", "\r"]), st.booleans(), st.booleans())
def test_generated_dumps_parse_without_losing_or_changing_an_entry(listed, line_end, header, final_newline):
    lines = (["Daily Papers", "Mar 14", ""] if header else []) + [line for e in listed for line in _render(e)]
    data = line_end.join(lines).encode("utf-8") + (line_end.encode() if final_newline else b"")
    text, problems = decode_dump(Path("generated.txt"), data)
    dump = parse_text(text, Path("generated.txt"))
    assert problems == []
    assert [(e.title, e.abstract) for e in dump.entries] == [(e["title"], e["abstract"]) for e in listed]
    assert dump.entries_read == len(listed)
    assert dump.problems == []
    for parsed, written in zip(dump.entries, listed, strict=True):
        if written["layout"] == "rich":
            assert (parsed.authors_count, parsed.organization, parsed.upvotes) == (
                written["authors"], written["organisation"], written["upvotes"])


@settings(deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_parse_without_an_exception_and_every_line_named_is_in_the_file(data):
    text, _ = decode_dump(Path("noise.txt"), data)
    dump = parse_text(text, Path("noise.txt"))
    last_line = text.count("\n") + 1
    assert all((e.title or e.abstract) and 1 <= e.line <= last_line for e in dump.entries)
    assert all(1 <= p.line <= last_line for p in dump.problems)


TITLE_WORDS = st.sampled_from([
    "Learning", "Graph", "NEURAL", "Models", "of", "for", "the", "3D", "Simulation.", "II.", "1.", "Part",
    "A", "Study", "Control", "Dead-time", "LLMs", "BERT:", "Evaluation", "Theory", "and", "Implementation",
    "Why", "Does", "It", "Work?", "GPT-4", "via", "Diffusion", "Revisited.", "I.", "Scaling", "Laws:",
    "Mammogram", "synthesis", "using", "processes", "with", "Disturbance", "observer-based", "RL", "(ASR)",
])
SENTENCE_WORDS = st.sampled_from([
    "we", "show", "that", "the", "method", "works", "company", "is", "making", "a", "specialty", "of",
    "workflow", "process", "analysis", "move", "from", "CD", "to", "Web", "looks", "unstoppable", "results",
    "on", "three", "benchmarks", "improve", "by", "12%", "models", "learn", "faster", "with", "less", "data",
])


@st.composite
def realistic_titles(draw) -> str:
    """Titles as real listings write them: sentence breaks ("3D Simulation. II. Evaluation"), numbered
    parts, questions, colons, all-caps words, a final period, up to longer than a short abstract."""
    words = draw(st.lists(TITLE_WORDS, min_size=2, max_size=22))
    assume(sum(w.endswith((".", "?")) for w in words) <= 2)
    title = " ".join(words)
    title = title[0].upper() + title[1:]
    title += draw(st.sampled_from(["", "", ".", "?"]))
    assume(_reads_as_text(title))
    return title


@st.composite
def short_abstracts(draw) -> str:
    """An abstract of one short sentence (40 to 120 characters), with or without its final period."""
    words = draw(st.lists(SENTENCE_WORDS, min_size=6, max_size=24))
    sentence = " ".join(words)
    sentence = sentence[0].upper() + sentence[1:] + draw(st.sampled_from([".", ""]))
    assume(40 <= len(sentence) <= 120 and _reads_as_text(sentence))
    return sentence


@st.composite
def structured_entries(draw) -> dict:
    entry = draw(entries())
    entry["title"] = draw(realistic_titles() | titles())
    entry["abstract"] = draw(short_abstracts() | abstracts())
    return entry


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(st.lists(structured_entries(), min_size=1, max_size=10, unique_by=lambda e: title_key(e["title"])),
       st.booleans(), st.booleans())
def test_titles_with_sentence_breaks_and_one_sentence_abstracts_come_back_whole(listed, glued, final_newline):
    """Position and alternation decide, not how one line looks: every entry comes back exactly, with no
    problem, in any layout or mix of layouts, whether or not the first title is glued to "Subscribe"."""
    lines = [line for e in listed for line in _render(e)]
    if glued and listed[0]["layout"] == "plain" and (lines[0][:1].isupper() or lines[0][:1].isdigit()):
        lines[0] = "Subscribe" + lines[0]
    text = "\n".join(lines) + ("\n" if final_newline else "")
    dump = parse_text(text, Path("generated.txt"))
    assert [(e.title, e.abstract) for e in dump.entries] == [(e["title"], e["abstract"]) for e in listed]
    assert dump.problems == []
    assert dump.entries_read == len(listed)


def test_a_long_multi_sentence_title_after_a_short_abstract_starts_a_new_entry():
    """Found by the random property test (2026-11-26): the file's first entry is blank-separated, so a plain
    run of lines after it could continue one another's abstracts; only an abstract that began after a
    blank line may take the lines that follow it."""
    title = ("Learning Learning Learning Learning Learning Learning Learning Learning Learning "
             "observer-based II. Revisited. Disturbance Evaluation Laws: observer-based It Learning Learning.")
    abstract = "x mixed symbols ~(& and more text, FALSE 0 0 with | pipes and no sentence end at all 0"
    short = "We we we we we we we we we we we we we we."
    blank_layout = ["Learning Learning", "", "12% method with improve works we faster.", ""]
    lines = [*blank_layout, "Learning Learning Learning", short, title, abstract]
    dump = parse_text("\n".join(lines), Path("generated.txt"))
    assert [e.title for e in dump.entries] == ["Learning Learning", "Learning Learning Learning", title]
