"""Related papers: nearest by document embedding, computed at build time."""

from __future__ import annotations

import re

import numpy as np

from generator.analysis import related as related_module
from generator.analysis.related import related_papers
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
    scores = np.round(vectors @ vectors.T, related_module.SCORE_DECIMALS)
    for n, paper in enumerate(papers):
        order = [m for m in np.lexsort((np.arange(45), -scores[n])) if m != n][:6]
        assert found[paper.id] == [f"p{m}" for m in order]
    assert found["p3"][:2] == ["p10", "p11"]


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
