"""Stage 7b (beside papers.json.gz): digest → the search index, prebuilt with lunr.py's pipeline and split
so that a first result needs little.

Files, under ``search/``:

- ``index.json``, loaded at once: the main index over title, keyphrases and topics: its terms, each
  paper's length in each field, and lunr's postings (for each term and field, the papers and how often
  the term occurs), nothing else derived from them: a sixth of the bytes of lunr's serialised index.
  Past ``PREFETCH_PAPERS`` the postings are apart, in ``index/N.json``: runs of consecutive terms of
  about ``MAIN_CHUNK_CHARS`` each, so a query loads the runs of its words (a word typed so far reaches
  the terms it begins, which sit together) and the page's first load stays small at any size. The page
  builds lunr's token set from the terms and each paper's vector, by lunr's formula, only when a query
  reaches it.
- ``facets.json``, loaded at once: each paper's date, upvotes and topics, the papers with code and those
  of each watchlist, which filters and sorting need.
- ``papers/N.json``: titles and URLs, ``PAPERS_PER_SHARD`` papers a file, loaded for the results shown;
  a small digest has one such file, loaded at once; up to ``PREFETCH_INDEX_PAPERS`` also all in
  ``titles.json`` (the files in order), loaded once the first results show.
- ``summaries/N.json``: the papers' one-sentence summaries, split as the titles are, loaded for the
  results shown: a result shows its summary until its snippet arrives.
- ``abstracts/N.json``: abstract postings with lunr's scores, terms spread over files by a hash, so a
  query loads one small file per word; up to ``PREFETCH_ABSTRACT_PAPERS`` also all in ``abstracts.json``
  (the files in order), loaded once the first results show.
- ``meaning/papers.bin`` and ``meaning/terms/N.json`` (unless ``search.semantic`` is off): the query
  encoder of ``analysis/query_encoder.py``. ``papers.bin`` holds each paper's vector as ``dims`` signed
  bytes (one scale for all: the page takes cosines); each ``terms/N.json`` maps a term (spread over files
  by the same hash) to its scale and its vector, rarity weight included, as base64 bytes. A question
  loads ``papers.bin`` and one term file per word; a keyword query loads neither.

A paper's number (lunr's document ref) is its position in ``digest.papers``. Lists of numbers (gaps
between paper numbers, scores) are strings of base-64 digits (``number_text``): about 3 characters a
posting instead of 7 as JSON's decimal lists, and a third fewer bytes once gzipped.
"""

from __future__ import annotations

import base64
import json
import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

import mkdocs
import numpy as np
from lunr.idf import idf

from generator.analysis.query_encoder import QueryEncoder
from generator.analysis.terms import shared_terms
from generator.records import Digest, Paper

PAPERS_PER_SHARD = 100
"""Titles per file: the first page of results needs a few small files, not a large one."""
PAPERS_PER_ABSTRACT_SHARD = 32
"""About this many papers' abstract postings per file (the number of files is a power of two)."""
MAIN_FIELDS = (("title", 10), ("keyphrases", 5), ("topics", 3))
"""Fields of the main index, with lunr's field boosts: a word of the title counts most."""
LUNR_K1, LUNR_B = 1.2, 0.75
"""lunr's BM25 parameters (its builder's defaults)."""
MAIN_CHUNK_CHARS = 40_000
"""Main-index postings per file past ``PREFETCH_PAPERS``: a small download each."""
PREFETCH_PAPERS = 2000
"""Up to this many papers, the titles and the summaries are one file each, which the page loads with the
index, and the main index holds its postings (bytes in docs/search.md); past it, a query loads the postings
its words reach and the titles and summaries of its results."""
PREFETCH_ABSTRACT_PAPERS = 6000
"""Up to this many papers, the abstract postings are also written as one file (``abstracts.json``, sizes in
docs/search.md), which the page loads once the first results show, so a later query waits for no abstract
file; past it, each query loads the files of its words."""
PREFETCH_INDEX_PAPERS = 20_000
"""Up to this many papers (bytes in docs/search.md), the page loads all the main index's runs and, past
``PREFETCH_PAPERS``, the titles (written also as one file, ``titles.json``) once the first results show, so
later queries wait for neither; past it, each query loads the runs its words reach and its results' titles."""
ABSTRACT_SCORE_SCALE = 100
"""Abstract scores are stored as integers: lunr's score times this."""
TERMS_PER_MEANING_SHARD = 64
"""About this many terms' vectors per file (the number of files is a power of two)."""
SEARCH_MODULES = ("search/main.js", "search/engine.js", "search/query.js", "search/scoring.js",
                  "search/postings.js", "search/shards.js", "search/meaning.js", "search/state.js",
                  "search/render.js", "search/pages.js", "search/keyboard.js", "search/theme.js", "elements.js")
"""The search page's script, ES modules in the theme's ``assets/javascripts/``: all preloaded at once, so
no import waits for the module that names it."""
LUNR_JS = Path(mkdocs.__file__).parent / "contrib" / "search" / "templates" / "search" / "lunr.js"
"""lunr.js as MkDocs ships it: copied into each site at build time, never into this repository."""


def search_files(digest: Digest, paper_urls: list[str]) -> dict[str, str | bytes]:
    """The search index files of ``digest``; ``paper_urls[n]`` is the URL of paper number n, relative to
    the site root."""
    papers = digest.papers
    plan = layout(len(papers))
    labels = {topic.id: topic.label for topic in digest.topics}
    index, chunks = main_index(papers, labels)
    files: dict[str, str | bytes] = {"search/index.json": _dump(index)}
    for number, chunk in enumerate(chunks):
        files[f"search/index/{number}.json"] = _dump(chunk)
    per_file = papers_per_shard(len(papers))
    titles = []
    for start in range(0, len(papers), per_file):
        chunk = papers[start:start + per_file]
        titles.append([[p.title, paper_urls[n]] for n, p in enumerate(chunk, start)])
        files[f"search/papers/{start // per_file}.json"] = _dump(titles[-1])
        files[f"search/summaries/{start // per_file}.json"] = _dump([p.tldr for p in chunk])
    if plan["prefetch_titles"]:
        files["search/titles.json"] = _dump(titles)
    abstracts = abstract_shards(papers)
    for number, postings in abstracts.items():
        files[f"search/abstracts/{number}.json"] = _dump(postings)
    if plan["prefetch_abstracts"]:
        files["search/abstracts.json"] = _dump([abstracts[number] for number in sorted(abstracts)])
    files["search/facets.json"] = _dump(facets(papers, digest))
    if digest.query_encoder is not None:
        files.update(meaning_files(digest.query_encoder, [digest.embeddings[p.id] for p in papers]))
    return dict(sorted(files.items()))


def layout(paper_count: int, encoder: QueryEncoder | None = None) -> dict[str, int | bool | dict]:
    """How the files are split, for the search page to read before any file arrives: papers per title
    file, number of abstract files, whether to load them all at once (a small digest's titles and
    summaries; the abstract postings, the main index's runs and the paper vectors once the first results
    show), and the query encoder's dimensions and number of term files (``meaning``: false when there is
    none)."""
    per_file = papers_per_shard(paper_count)
    meaning = encoder and {"dims": encoder.dims, "term_shards": meaning_shard_count(len(encoder.terms))}
    return {"papers_per_shard": per_file, "paper_shards": math.ceil(paper_count / per_file),
            "abstract_shards": abstract_shard_count(paper_count), "abstract_scale": ABSTRACT_SCORE_SCALE,
            "prefetch": paper_count <= PREFETCH_PAPERS,
            "prefetch_abstracts": paper_count <= PREFETCH_ABSTRACT_PAPERS,
            "prefetch_index": paper_count <= PREFETCH_INDEX_PAPERS,
            "prefetch_titles": PREFETCH_PAPERS < paper_count <= PREFETCH_INDEX_PAPERS,
            "meaning": meaning or False}


def meaning_files(encoder: QueryEncoder, embeddings: list[np.ndarray]) -> dict[str, str | bytes]:
    """The query encoder's files: ``meaning/papers.bin`` (paper vectors, in paper order) and the term
    vectors in ``meaning/terms/N.json``."""
    vectors = encoder.paper_vectors(np.vstack(embeddings))
    largest = float(np.abs(vectors).max()) or 1.0
    files: dict[str, str | bytes] = {
        "search/meaning/papers.bin": _signed_bytes(vectors * (127 / largest)).tobytes()}
    count = meaning_shard_count(len(encoder.terms))
    shards: dict[int, dict[str, list]] = {n: {} for n in range(count)}
    for term, vector, weight in zip(encoder.terms, encoder.vectors, encoder.weights, strict=True):
        weighted = vector.astype(np.float64) * float(weight)
        scale = float(np.abs(weighted).max()) / 127 or 1.0
        scale = float(f"{scale:.6g}")
        codes = base64.b64encode(_signed_bytes(weighted / scale).tobytes()).decode("ascii")
        shards[shard_of(term, count)][term] = [scale, codes]
    for number, shard in shards.items():
        files[f"search/meaning/terms/{number}.json"] = _dump(shard)
    return files


def meaning_shard_count(terms: int) -> int:
    return 1 << max(0, math.ceil(math.log2(max(terms, 1) / TERMS_PER_MEANING_SHARD)))


def _signed_bytes(values: np.ndarray) -> np.ndarray:
    return np.clip(np.rint(values), -127, 127).astype(np.int8)


def papers_per_shard(paper_count: int) -> int:
    """A small digest's titles are one file, loaded with the index: any first result needs it, and one
    request beats several on a page that already makes ten."""
    return max(paper_count, 1) if paper_count <= PREFETCH_PAPERS else PAPERS_PER_SHARD


def lunr_js() -> str:
    return LUNR_JS.read_text(encoding="utf-8")


def main_index(papers: list[Paper], topic_labels: dict[str, str]) -> tuple[dict, list[dict[str, list[str]]]]:
    """lunr's postings of the main fields: for each term (sorted) and field, the papers holding it as
    gaps between paper numbers, a paper repeated once per extra occurrence (gap 0); and each paper's
    number of terms in each field. A small digest's postings are in the index (``postings``); a large
    one's are in chunks of consecutive terms (returned apart), the index giving each chunk's first term
    number (``chunks``)."""
    terms_of = shared_terms()
    occurrences: dict[str, dict[str, list[int]]] = {name: defaultdict(list) for name, _ in MAIN_FIELDS}
    lengths = {name: [0] * len(papers) for name, _ in MAIN_FIELDS}
    for number, paper in enumerate(papers):
        for name, text in main_field_texts(paper.title, paper.keyphrases, paper.topics, topic_labels).items():
            for term in terms_of(text):
                occurrences[name][term].append(number)
                lengths[name][number] += 1
    terms = sorted(set().union(*occurrences.values()))
    postings = {name: [number_text(_gaps(occurrences[name].get(term, []))) for term in terms]
                for name, _ in MAIN_FIELDS}
    index = {"papers": len(papers), "fields": [list(field) for field in MAIN_FIELDS],
             "bm25": {"k1": LUNR_K1, "b": LUNR_B}, "terms": terms,
             "lengths": {name: number_text(counts) for name, counts in lengths.items()}}
    if len(papers) <= PREFETCH_PAPERS:
        return {**index, "postings": postings}, []
    starts = _chunk_starts([sum(len(postings[name][t]) for name, _ in MAIN_FIELDS) for t in range(len(terms))])
    ends = [*starts[1:], len(terms)]
    chunks = [{name: postings[name][start:end] for name, _ in MAIN_FIELDS}
              for start, end in zip(starts, ends, strict=True)]
    return {**index, "chunks": starts}, chunks


def _chunk_starts(sizes: list[int]) -> list[int]:
    """The first item of each run of consecutive items holding about ``MAIN_CHUNK_CHARS`` together."""
    starts, filled = [0], 0
    for number, size in enumerate(sizes):
        if filled and filled + size > MAIN_CHUNK_CHARS:
            starts.append(number)
            filled = 0
        filled += size
    return starts


def main_field_texts(title: str, keyphrases: list[str], topic_ids: list[str], topic_labels: dict[str, str]
                     ) -> dict[str, str]:
    """The text of each main field of a paper, as lunr would be given it."""
    return {"title": title, "keyphrases": " ".join(keyphrases),
            "topics": " ".join(topic_labels[t] for t in topic_ids if t in topic_labels)}


def facets(papers: list[Paper], digest: Digest) -> dict:
    """Per paper: first digest date (YYYY-MM-DD or null), upvotes (or null), topic numbers; the numbers of
    the papers with code, and of each watchlist's papers."""
    topic_numbers = {topic.id: n for n, topic in enumerate(digest.topics)}
    numbers = {paper.id: n for n, paper in enumerate(papers)}
    return {
        "code": [n for n, p in enumerate(papers) if p.code],
        "watchlists": [{"id": w.id, "name": w.name, "papers": sorted(numbers[i] for i in w.paper_ids)}
                       for w in digest.watchlists],
        "topic_ids": [topic.id for topic in digest.topics],
        "topics": [topic.label for topic in digest.topics],
        "dates": [p.first_date.isoformat() if p.first_date else None for p in papers],
        "upvotes": [p.upvotes for p in papers],
        "paper_topics": [[topic_numbers[t] for t in p.topics if t in topic_numbers] for p in papers],
    }


def abstract_shards(papers: list[Paper]) -> dict[int, dict[str, str]]:
    """Abstract postings by shard (``shard_of``): for each term, the gap to each paper's number followed by
    the paper's score (lunr's BM25, with lunr's parameters and idf, times ``ABSTRACT_SCORE_SCALE``), as
    one ``number_text``."""
    terms_of = shared_terms()
    frequencies: dict[str, dict[int, int]] = defaultdict(dict)
    lengths = []
    for number, paper in enumerate(papers):
        terms = terms_of(paper.abstract)
        lengths.append(len(terms))
        for term, count in Counter(terms).items():
            frequencies[term][number] = count
    average_length = sum(lengths) / max(len(lengths), 1)
    count = abstract_shard_count(len(papers))
    shards: dict[int, dict[str, str]] = {n: {} for n in range(count)}
    for term in sorted(frequencies):
        papers_with_term = frequencies[term]
        term_idf = idf({"abstract": papers_with_term}, len(papers))
        scores = [round(_bm25(term_idf, tf, lengths[n] / average_length) * ABSTRACT_SCORE_SCALE)
                  for n, tf in papers_with_term.items()]
        pairs = zip(_gaps(papers_with_term), scores, strict=True)
        shards[shard_of(term, count)][term] = number_text(n for pair in pairs for n in pair)
    return shards


def abstract_shard_count(papers: int) -> int:
    return 1 << max(0, math.ceil(math.log2(max(papers, 1) / PAPERS_PER_ABSTRACT_SHARD)))


def shard_of(term: str, shards: int) -> int:
    """The abstract shard of a term: 32-bit FNV-1a of its UTF-8 bytes (the page's script computes the same)."""
    hash_ = 0x811C9DC5
    for byte in term.encode("utf-8"):
        hash_ = ((hash_ ^ byte) * 0x01000193) & 0xFFFFFFFF
    return hash_ % shards


def _bm25(term_idf: float, tf: int, relative_length: float) -> float:
    """The score lunr's builder gives a term in a field (``lunr.Builder.createFieldVectors``)."""
    return term_idf * (LUNR_K1 + 1) * tf / (LUNR_K1 * (1 - LUNR_B + LUNR_B * relative_length) + tf)


_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_DIGIT_VALUES = {digit: value for value, digit in enumerate(_DIGITS)}


def number_text(numbers: Iterable[int]) -> str:
    """Non-negative integers as base-64 digits (URL-safe base64's alphabet, nothing JSON escapes): five
    bits a digit, lowest first, the sixth bit set on every digit of a number but its last. A gap under 32
    is one character, a score under 1,024 two. The page reads it back with postings.js."""
    out = []
    for number in numbers:
        if number < 0:
            raise ValueError(f"number_text: {number} is negative")
        while number >= 32:
            out.append(_DIGITS[32 | (number & 31)])
            number >>= 5
        out.append(_DIGITS[number])
    return "".join(out)


def text_numbers(text: str) -> list[int]:
    """The numbers ``number_text`` wrote (the page's postings.js does the same)."""
    numbers, value, shift = [], 0, 0
    for digit in text:
        bits = _DIGIT_VALUES[digit]
        value |= (bits & 31) << shift
        if bits & 32:
            shift += 5
        else:
            numbers.append(value)
            value, shift = 0, 0
    return numbers


def _gaps(numbers: Iterable[int]) -> list[int]:
    gaps, previous = [], 0
    for number in numbers:
        gaps.append(number - previous)
        previous = number
    return gaps


def _dump(payload: object) -> str:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
