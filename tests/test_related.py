"""Related papers: nearest by document embedding, computed at build time."""

from __future__ import annotations

import logging
import re

import numpy as np

from generator.analysis import related as related_module
from generator.analysis.related import load_neighbours, nearest_papers, related_papers, save_neighbours
from generator.records import Paper


def _papers(count: int) -> list[Paper]:
    return [Paper(id=f"p{n}", title=f"Paper {n}", abstract="", sightings=[]) for n in range(count)]


def test_nearest_by_cosine_most_similar_first_never_itself():
    vectors = np.array([[1, 0, 0], [0.9, 0.1, 0], [0, 1, 0], [0.5, 0.5, 0], [0, 0, 1]], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    papers = _papers(5)
    found = related_papers(papers, {p.id: v for p, v in zip(papers, vectors, strict=True)}, 2)
    assert found["p0"] == ["p1", "p3"]
    assert found["p2"] == ["p3", "p1"]
    assert found["p4"] == ["p0", "p1"], "equal similarities (0) go to the earlier paper"
    assert all(pid not in ids for pid, ids in found.items())


def test_matches_a_full_sort_across_blocks_and_chunks(monkeypatch):
    monkeypatch.setattr(related_module, "BLOCK_ROWS", 7)
    monkeypatch.setattr(related_module, "CHUNK", 4)
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(45, 8)).astype(np.float32)
    vectors[10] = vectors[3]
    vectors[11] = vectors[3]
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    papers = _papers(45)
    found = related_papers(papers, {p.id: v for p, v in zip(papers, vectors, strict=True)}, 6)
    scores = np.round(vectors.astype(np.float64) @ vectors.T.astype(np.float64), related_module.SCORE_DECIMALS)
    for n, paper in enumerate(papers):
        order = [m for m in np.lexsort((np.arange(45), -scores[n])) if m != n][:6]
        assert found[paper.id] == [f"p{m}" for m in order]
    assert found["p3"][:2] == ["p10", "p11"]


def _vectors(count: int, seed: int = 2) -> np.ndarray:
    vectors = np.random.default_rng(seed).normal(size=(count, 8)).astype(np.float32)
    vectors[20] = vectors[30] = vectors[35] = vectors[5]  # ties, broken by the papers' order
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_a_later_build_merges_new_papers_into_kept_lists_as_a_fresh_computation_would(monkeypatch, tmp_path):
    monkeypatch.setattr(related_module, "BLOCK_ROWS", 9)
    papers, vectors = _papers(60), _vectors(60)
    embeddings = {p.id: v for p, v in zip(papers, vectors, strict=True)}
    earlier = [p for n, p in enumerate(papers) if n % 7 not in (2, 5) and n != 30]
    save_neighbours(tmp_path, nearest_papers(earlier, embeddings, 6))
    kept = load_neighbours(tmp_path)
    assert kept is not None and kept.ids == [p.id for p in earlier]
    merged = nearest_papers(papers, embeddings, 6, kept)
    fresh = nearest_papers(papers, embeddings, 6)
    assert merged.by_id() == fresh.by_id() and np.array_equal(merged.scores, fresh.scores)
    assert merged.by_id()["p20"][:3] == ["p5", "p30", "p35"], "ties with a kept one (p35) go by order"
    assert sum(p.id in fresh.by_id()[q.id] for p in papers[2::7] for q in earlier) > 0, "new papers do enter"
    assert nearest_papers(papers, embeddings, 6, merged) is merged, "nothing new: not saved again"


def test_kept_lists_are_not_used_when_papers_left_changed_or_moved(caplog):
    papers, vectors = _papers(30), _vectors(40)
    embeddings = {p.id: v for p, v in zip(papers, vectors[:30], strict=True)}
    kept = nearest_papers(papers, embeddings, 4)
    changed = {**embeddings, "p7": vectors[35]}
    moved = [papers[1], papers[0], *papers[2:]]
    for now, vectors_now in ((papers[:-1], embeddings), (papers, changed), (moved, embeddings)):
        with caplog.at_level(logging.INFO, logger="mkdocs.plugins.digest"):
            caplog.clear()
            reused = nearest_papers(now, vectors_now, 4, kept)
            assert reused.by_id() == nearest_papers(now, vectors_now, 4).by_id()
        assert "kept from the last build" not in caplog.text
    assert nearest_papers(papers, embeddings, 5, kept).nearest.shape == (30, 5), "another count: computed anew"


def test_an_unreadable_related_cache_is_computed_anew(tmp_path, caplog):
    (tmp_path / related_module.CACHE_NAME).write_bytes(b"not a zip")
    with caplog.at_level(logging.WARNING, logger="mkdocs.plugins.digest"):
        assert load_neighbours(tmp_path) is None
    assert "related.npz is unreadable" in caplog.text


def test_few_papers_or_none_wanted():
    papers = _papers(3)
    vectors = {p.id: np.eye(3, dtype=np.float32)[n] for n, p in enumerate(papers)}
    assert related_papers(papers, vectors, 10) == {"p0": ["p1", "p2"], "p1": ["p0", "p2"], "p2": ["p0", "p1"]}
    assert related_papers(papers, vectors, 0) == {"p0": [], "p1": [], "p2": []}
    assert related_papers(papers[:1], vectors, 5) == {"p0": []}


def test_every_paper_page_lists_its_related_papers(seeds_site, seeds_json):
    papers = {p["id"]: p for p in seeds_json["papers"]}
    for paper in seeds_json["papers"]:
        assert len(paper["related"]) == 5 and paper["id"] not in paper["related"]
        assert set(paper["related"]) <= set(papers)
    paper = next(p for p in seeds_json["papers"] if p["title"].startswith("NV-Embed"))
    html = (seeds_site / paper["url"] / "index.html").read_text(encoding="utf-8")
    section = html[html.index('id="related"'):html.index('id="provenance"')]
    positions = [section.index(f'><a href="../{pid}/">') for pid in paper["related"]]
    assert positions == sorted(positions), "nearest first"
    closeness = [float(c) for c in re.findall(r'<li data-closeness="([^"]+)"', section)]
    assert len(closeness) == 5 and closeness == sorted(closeness, reverse=True) and 0 < closeness[-1] <= 1
    related_titles = " ".join(papers[pid]["title"].lower() for pid in paper["related"])
    assert "embed" in related_titles, "an embedding model's neighbours include embedding papers"
