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


@settings(max_examples=150, deadline=None,
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


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=2000))
def test_any_bytes_parse_without_an_exception_and_every_line_named_is_in_the_file(data):
    text, _ = decode_dump(Path("noise.txt"), data)
    dump = parse_text(text, Path("noise.txt"))
    last_line = text.count("\n") + 1
    assert all(e.title and 1 <= e.line <= last_line for e in dump.entries)
    assert all(1 <= p.line <= last_line for p in dump.problems)
