"""The prebuilt search index: the same terms and scores lunr.py's own builder gives."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from lunr import lunr

import generator.publish.search as search_module
from generator.analysis.terms import LunrTerms
from generator.publish.search import (
    ABSTRACT_SCORE_SCALE,
    LUNR_B,
    LUNR_K1,
    MAIN_FIELDS,
    PREFETCH_ABSTRACT_PAPERS,
    PREFETCH_INDEX_PAPERS,
    PREFETCH_PAPERS,
    SEARCH_MODULES,
    abstract_shards,
    layout,
    main_field_texts,
    main_index,
    number_text,
    search_files,
    shard_of,
    text_numbers,
)
from generator.records import Digest, Paper

from .test_keyphrases import DIFFUSION, SPEECH, VIDEO


def _papers() -> list[Paper]:
    papers = []
    for n, text in enumerate([SPEECH, DIFFUSION, VIDEO, "Models, models and MODELS. Models all the way-down."]):
        title, abstract = text.split(". ", 1)
        papers.append(Paper(id=str(n), title=title, abstract=abstract, sightings=[],
                            keyphrases=["diffusion models", "speech"][n % 2:], topics=["t1"] if n else []))
    return papers


def _decode(gaps: str) -> list[int]:
    numbers, current = [], 0
    for gap in text_numbers(gaps):
        current += gap
        numbers.append(current)
    return numbers


def test_terms_are_those_of_lunr_pys_pipeline():
    text = "The Running-dogs ran: generalist EMBEDDINGS, (LLMs) and the\u00a0models."
    index = lunr(ref="id", fields=["text"], documents=[{"id": "0", "text": text}])
    assert sorted(set(LunrTerms()(text))) == sorted(index.inverted_index)


def test_main_postings_hold_every_occurrence_of_every_term_per_field():
    papers, labels = _papers(), {"t1": "Diffusion Models"}
    data, chunks = main_index(papers, labels)
    assert chunks == []
    fields = [{"field_name": name, "boost": boost} for name, boost in MAIN_FIELDS]
    documents = [{"ref": str(n), **main_field_texts(p.title, p.keyphrases, p.topics, labels)}
                 for n, p in enumerate(papers)]
    reference = lunr(ref="ref", fields=fields, documents=documents)
    assert data["terms"] == sorted(reference.inverted_index)
    for name, _ in MAIN_FIELDS:
        for term, gaps in zip(data["terms"], data["postings"][name], strict=True):
            assert sorted(set(_decode(gaps))) == sorted(int(r) for r in reference.inverted_index[term][name])
    lengths = {name: text_numbers(data["lengths"][name]) for name, _ in MAIN_FIELDS}
    for n, paper in enumerate(papers):
        texts = main_field_texts(paper.title, paper.keyphrases, paper.topics, labels)
        for name, _ in MAIN_FIELDS:
            assert lengths[name][n] == len(LunrTerms()(texts[name]))
    models = data["terms"].index("model")
    assert _decode(data["postings"]["title"][models]).count(3) == 3, "three 'models' in one title"


def test_a_large_digests_postings_are_in_runs_of_consecutive_terms(monkeypatch):
    papers, labels = _papers(), {"t1": "Diffusion Models"}
    whole, _ = main_index(papers, labels)
    monkeypatch.setattr(search_module, "PREFETCH_PAPERS", 1)
    monkeypatch.setattr(search_module, "MAIN_CHUNK_CHARS", 8)
    index, chunks = main_index(papers, labels)
    assert "postings" not in index and len(chunks) == len(index["chunks"]) > 2
    assert index["chunks"][0] == 0 and index["chunks"] == sorted(set(index["chunks"]))
    for name, _ in MAIN_FIELDS:
        assert [text for chunk in chunks for text in chunk[name]] == whole["postings"][name]
    files = search_files(Digest(papers=papers, topics=[]), [f"papers/{p.id}/" for p in papers])
    written = json.loads(files["search/index.json"])["chunks"]
    assert sorted(path for path in files if path.startswith("search/index/")) == sorted(
        f"search/index/{n}.json" for n in range(len(written)))


def test_abstract_postings_score_as_lunr_py_does():
    papers = _papers()
    shards = abstract_shards(papers)
    reference = lunr(ref="ref", fields=["abstract"],
                     documents=[{"ref": str(n), "abstract": p.abstract} for n, p in enumerate(papers)])
    by_index = {posting["_index"]: term for term, posting in reference.inverted_index.items()}
    expected = {}
    for field_ref, vector in reference.field_vectors.items():
        number = int(field_ref.split("/")[1])
        for k in range(0, len(vector.elements), 2):
            expected[by_index[vector.elements[k]], number] = vector.elements[k + 1]
    found = {}
    for shard_number, shard in shards.items():
        for term, postings in shard.items():
            assert shard_of(term, len(shards)) == shard_number
            pairs = text_numbers(postings)
            for number, score in zip(_decode(number_text(pairs[0::2])), pairs[1::2], strict=True):
                found[term, number] = score / 100
    assert found.keys() == expected.keys()
    assert max(abs(found[k] - expected[k]) for k in found) <= 0.006
    assert json.dumps(shards, ensure_ascii=False)


def test_a_digest_small_enough_has_its_abstract_and_title_files_also_in_one(monkeypatch):
    papers = _papers()
    monkeypatch.setattr(search_module, "PREFETCH_PAPERS", 1)
    files = search_files(Digest(papers, []), [f"papers/{p.id}/" for p in papers])
    for combined, folder in (("abstracts.json", "abstracts/"), ("titles.json", "papers/")):
        parts = sorted((name for name in files if name.startswith("search/" + folder)),
                       key=lambda name: int(Path(name).stem))
        assert parts and json.loads(files["search/" + combined]) == [json.loads(files[name]) for name in parts]
    monkeypatch.setattr(search_module, "PREFETCH_ABSTRACT_PAPERS", len(papers) - 1)
    monkeypatch.setattr(search_module, "PREFETCH_INDEX_PAPERS", len(papers) - 1)
    files = search_files(Digest(papers, []), [f"papers/{p.id}/" for p in papers])
    assert "search/abstracts.json" not in files and "search/titles.json" not in files


def test_numbers_are_written_as_base_64_digits_and_read_back():
    numbers = [0, 1, 31, 32, 1023, 1024, 2**31 + 5, 7]
    assert number_text([0, 31, 32]) == "A" + "f" + "gB"
    assert text_numbers(number_text(numbers)) == numbers
    assert number_text([]) == "" and text_numbers("") == []


def test_terms_are_spread_over_shards_by_32_bit_fnv_1a():
    assert [shard_of(t, 1 << 32) for t in ["", "a", "foobar"]] == [0x811C9DC5, 0xE40C292C, 0xBF9CF968]


def test_a_small_digest_has_one_title_file_and_a_large_one_many():
    papers = _papers()
    files = search_files(Digest(papers=papers, topics=[]), [f"papers/{p.id}/" for p in papers])
    assert [path for path in files if path.startswith("search/papers/")] == ["search/papers/0.json"]
    assert json.loads(files["search/papers/0.json"])[3] == [papers[3].title, "papers/3/"]
    small, large = layout(PREFETCH_PAPERS), layout(PREFETCH_PAPERS + 1)
    assert (small["paper_shards"], small["papers_per_shard"], small["prefetch"]) == (1, PREFETCH_PAPERS, True)
    assert large["paper_shards"] * large["papers_per_shard"] >= PREFETCH_PAPERS + 1 > large["papers_per_shard"]
    assert large["paper_shards"] > 1 and not large["prefetch"]
    assert large["prefetch_index"] and layout(PREFETCH_INDEX_PAPERS)["prefetch_index"]
    assert not layout(PREFETCH_INDEX_PAPERS + 1)["prefetch_index"]
    assert large["prefetch_titles"] and not small["prefetch_titles"]
    assert not layout(PREFETCH_INDEX_PAPERS + 1)["prefetch_titles"]
    assert layout(PREFETCH_ABSTRACT_PAPERS)["prefetch_abstracts"]
    assert not layout(PREFETCH_ABSTRACT_PAPERS + 1)["prefetch_abstracts"]


def test_the_page_preloads_every_search_module_and_the_index_carries_bm25s_constants():
    folder = Path(__file__).resolve().parent.parent / "site_config" / "overrides" / "assets" / "javascripts"
    imported, waiting = set(), ["search/main.js"]
    while waiting:
        module = waiting.pop()
        imported.add(module)
        source = (folder / module).read_text(encoding="utf-8")
        for name in re.findall(r'^import .* from "(\.{1,2}/[^"]+)";$', source, flags=re.MULTILINE):
            found = (Path(module).parent / name).as_posix()
            waiting += [] if found in imported else [os.path.normpath(found)]
    assert sorted(SEARCH_MODULES) == sorted(imported) == sorted(
        [f"search/{p.name}" for p in (folder / "search").glob("*.js")] + ["elements.js"])
    index, _ = main_index([Paper(id="p", title="A paper", abstract="", sightings=[])], {})
    assert index["bm25"] == {"k1": LUNR_K1, "b": LUNR_B}
    assert layout(10)["abstract_scale"] == ABSTRACT_SCORE_SCALE


def test_without_a_query_encoder_no_semantic_file_is_written_and_the_page_is_told():
    papers = _papers()
    files = search_files(Digest(papers, []), [f"papers/{p.id}/" for p in papers])
    assert not [name for name in files if name.startswith("search/meaning/")]
    assert layout(len(papers))["meaning"] is False
