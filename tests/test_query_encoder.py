"""The search's query encoder: term vectors fitted so that a text's words point where the real model's
embedding of it points; files the page reads; kept for a rebuild of the same papers, never reused for others."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import numpy as np
import pytest

from generator.analysis import query_encoder as qe
from generator.analysis.engines.encoders import encoder_for
from generator.analysis.engines.local import KeyphraseExtractor
from generator.analysis.terms import LunrTerms
from generator.config import KeyphraseSettings
from generator.publish.search import meaning_files, meaning_shard_count, shard_of
from generator.records import Paper

QUESTIONS = Path(__file__).parent / "fixtures" / "questions"

pytestmark = pytest.mark.slow


def _papers() -> list[Paper]:
    blocks = (QUESTIONS / "2024-05-01.txt").read_text(encoding="utf-8").split("\n\n")
    pairs = [blocks[n:n + 2] for n in range(0, len(blocks) - 1, 2)]
    return [Paper(id=f"p{n}", title=title.strip(), abstract=abstract.strip(), sightings=[])
            for n, (title, abstract) in enumerate(pairs)]


@pytest.fixture(scope="module")
def corpus():
    papers = _papers()
    encoder = encoder_for(KeyphraseSettings())
    vectors = KeyphraseExtractor._embed_documents(encoder, [f"{p.title}. {p.abstract}" for p in papers])
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    embeddings = {p.id: v for p, v in zip(papers, vectors, strict=True)}
    known: dict[str, np.ndarray] = {}

    def embed(words: list[str]) -> np.ndarray:
        new = [w for w in words if w not in known]
        if new:
            known.update(zip(new, encoder.encode(new), strict=True))
        return np.vstack([known[w] for w in words])

    return papers, embeddings, embed


def _fit(corpus, previous=None, papers=None):
    all_papers, embeddings, embed = corpus
    return qe.update_query_encoder(papers or all_papers, embeddings, "all-MiniLM-L6-v2", embed, previous)


def _query(encoder: qe.QueryEncoder, text: str) -> np.ndarray:
    rows = {t: n for n, t in enumerate(encoder.terms)}
    vector = np.zeros(encoder.dims, dtype=np.float64)
    for term in LunrTerms()(text):
        if term in rows:
            vector += encoder.weights[rows[term]] * encoder.vectors[rows[term]]
    return vector / np.linalg.norm(vector)


def test_a_question_points_at_the_paper_judged_relevant_to_it(corpus):
    """SciFact's claims, which share few words with their abstracts, find them by the fitted vectors: each
    claim's judged abstract is among its three nearest papers, and most are the nearest."""
    papers, embeddings, _ = corpus
    encoder = _fit(corpus)
    vectors = encoder.paper_vectors(np.vstack([embeddings[p.id] for p in papers]))
    titles = [p.title for p in papers]
    ranks = []
    for item in json.loads((QUESTIONS / "questions.json").read_text(encoding="utf-8")):
        order = np.argsort(-(vectors @ _query(encoder, item["question"])))
        ranks.append([titles[n] for n in order].index(item["title"]))
    assert max(ranks) <= 2, ranks
    assert sum(rank == 0 for rank in ranks) >= 8, ranks


def test_the_fit_is_deterministic_and_its_files_are_the_same_bytes(corpus):
    papers, embeddings, _ = corpus
    first, second = _fit(corpus), _fit(corpus)
    assert first.terms == second.terms
    assert np.array_equal(first.vectors, second.vectors)
    vectors = [embeddings[p.id] for p in papers]
    assert meaning_files(first, vectors) == meaning_files(second, vectors)


def test_papers_bin_and_term_files_hold_what_the_page_decodes(corpus):
    papers, embeddings, _ = corpus
    encoder = _fit(corpus)
    files = meaning_files(encoder, [embeddings[p.id] for p in papers])
    codes = np.frombuffer(files["search/meaning/papers.bin"], dtype=np.int8).reshape(len(papers), encoder.dims)
    exact = encoder.paper_vectors(np.vstack([embeddings[p.id] for p in papers]))
    decoded = codes / np.linalg.norm(codes, axis=1, keepdims=True)
    assert np.min(np.sum(decoded * exact, axis=1)) > 0.999
    count = meaning_shard_count(len(encoder.terms))
    assert {name for name in files if name.startswith("search/meaning/terms/")} == {
        f"search/meaning/terms/{n}.json" for n in range(count)}
    term = encoder.terms[len(encoder.terms) // 2]
    scale, text = json.loads(files[f"search/meaning/terms/{shard_of(term, count)}.json"])[term]
    vector = np.frombuffer(base64.b64decode(text), dtype=np.int8) * scale
    row = encoder.terms.index(term)
    np.testing.assert_allclose(vector, encoder.vectors[row] * encoder.weights[row], atol=scale / 2 + 1e-6)


def test_the_kept_encoder_serves_only_a_build_of_the_same_papers(corpus):
    """A rebuild of the same papers reuses the kept encoder; a build with one more paper, one paper less or
    another corpus gets what a first build of its papers would get, whatever the cache held before: the
    same dumps build the same site."""
    papers = corpus[0]
    kept = _fit(corpus, papers=papers[:40])
    assert _fit(corpus, previous=kept, papers=papers[:40]) is kept
    for others in (papers[:41], papers[:39], papers[20:]):
        after_kept, fresh = _fit(corpus, previous=kept, papers=others), _fit(corpus, papers=others)
        assert after_kept is not kept and after_kept.fingerprint == fresh.fingerprint
        assert after_kept.terms == fresh.terms and np.array_equal(after_kept.vectors, fresh.vectors)


def test_dimensions_shrink_with_the_digest_to_keep_paper_vectors_within_budget():
    sizes = (600, 20_000, 50_000, 60_000, 100_000, 10**6)
    assert [qe.dims_for(n) for n in sizes] == [128, 128, 128, 96, 64, 32]
    assert all(n * qe.dims_for(n) <= qe.VECTOR_BYTES for n in sizes[:-1])


def test_the_cache_round_trips_and_an_unreadable_one_is_fitted_anew(corpus, tmp_path, caplog):
    encoder = _fit(corpus)
    qe.save_query_encoder(tmp_path, encoder)
    loaded = qe.load_query_encoder(tmp_path)
    assert loaded.terms == encoder.terms and np.array_equal(loaded.vectors, encoder.vectors)
    assert loaded.fingerprint == encoder.fingerprint
    (tmp_path / qe.CACHE_NAME).write_bytes(b"not an npz")
    assert qe.load_query_encoder(tmp_path) is None
    assert "fitted anew" in caplog.text


def test_principal_axes_have_one_sign_whatever_the_decomposition_returns():
    rows = np.random.default_rng(3).standard_normal((50, 8)).astype(np.float32)
    axes = qe.principal_axes(rows, 4)
    flipped = qe.principal_axes(-rows, 4)
    np.testing.assert_allclose(axes, flipped, atol=1e-5)
    assert all(axes[np.abs(axes[:, k]).argmax(), k] > 0 for k in range(4))
