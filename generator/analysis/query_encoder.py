"""Stage 5c (after keyphrases): the search page's query encoder, fitted to this digest's own papers.

The page ranks papers by meaning without running the transformer: a query's vector is the sum of its
terms' vectors (lunr's terms, as the index has them), each weighted by the term's rarity, and papers are
ranked by the cosine of that vector with their own embedding, the one the keyphrase stage made, reduced
to ``dims`` principal components. The term vectors are fitted so that the same sum over a paper's own
title and abstract points where the model's embedding of that paper points (cosine loss, Adam), starting
from the model's embedding of each term's most used spelling, in the manner of model2vec's tokenlearn.
So a query whose words a paper uses, or uses near such words, points at that paper: on SciFact's claims
this static encoder ranks as well as the transformer itself (docs/performance.md).

Fitting takes seconds to a minute, so the result is kept in the cache folder (``query-encoder.npz``) with
a fingerprint of the papers it was fitted to, and reused only by a build of the same papers. A build with
other papers (a new day, other dumps sharing the cache) fits its own: the vectors depend on the papers
alone, never on which builds came before, so the same dumps build the same site whatever the cache holds.
The fit is deterministic (a fixed seed, sparse products in one thread).
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from mkdocs.plugins import get_plugin_logger
from scipy import sparse
from tqdm.auto import tqdm

from generator.analysis.cache import load_npz, save_npz
from generator.analysis.terms import shared_terms
from generator.records import Paper

log = get_plugin_logger("digest")

ENCODER_VERSION = 2
"""Bump when the fit changes, so a cached encoder is fitted anew."""
CACHE_NAME = "query-encoder.npz"
VECTOR_BYTES = 6_400_000
"""Bytes of paper vectors (one byte a dimension) a question may load: ``dims_for`` keeps the dimensions
within it, from 128 (up to 50,000 papers) down to 32."""
MAX_DIMS, MIN_DIMS = 128, 32
EPOCHS = 10
BATCH = 1024
LEARNING_RATE = 0.02
SEED = 0


@dataclass
class QueryEncoder:
    """Term vectors in the space of ``projection`` (the model's embeddings → ``dims`` components)."""

    terms: list[str]
    """Sorted."""
    vectors: np.ndarray
    """float32, one row per term, per unit of the term's weight (``term_weights``)."""
    projection: np.ndarray
    """float32, embedding dimensions × ``dims``."""
    fingerprint: str
    """Of the fit, the model and the papers (``fingerprint``): the cache is reused only when it matches."""
    weights: np.ndarray
    """Each term's weight in these papers (``term_weights``)."""

    @property
    def dims(self) -> int:
        return self.projection.shape[1]

    def paper_vectors(self, embeddings: np.ndarray) -> np.ndarray:
        """Unit vectors of papers' embeddings (rows) in the encoder's space."""
        return _unit(embeddings.astype(np.float32) @ self.projection)


def dims_for(papers: int) -> int:
    """Dimensions of a digest of ``papers`` papers: a multiple of 16, within ``VECTOR_BYTES``."""
    return int(min(MAX_DIMS, max(MIN_DIMS, VECTOR_BYTES // max(papers, 1) // 16 * 16)))


def paper_terms(papers: Sequence[Paper]) -> tuple[list[list[str]], dict[str, str]]:
    """Each paper's terms (title and abstract as shown, as the search index reads them), and the most
    used spelling of each term ("models" for ``model``; ties go to the first in order)."""
    read = shared_terms()
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    per_paper = []
    for paper in papers:
        pairs = read.pairs(f"{paper.title} {paper.abstract}")
        for word, term in pairs:
            spellings[term][word] += 1
        per_paper.append([term for _, term in pairs])
    spelling = {term: min(counts.items(), key=lambda item: (-item[1], item[0]))[0]
                for term, counts in spellings.items()}
    return per_paper, spelling


def term_weights(term_lists: Sequence[Sequence[str]], terms: Sequence[str]) -> np.ndarray:
    """BM25's idf of each term over the papers, as the search ranks words by rarity."""
    frequency = Counter(t for paper in term_lists for t in set(paper))
    count = len(term_lists)
    return np.array([math.log(1 + (count - frequency[t] + 0.5) / (frequency[t] + 0.5)) for t in terms],
                    dtype=np.float32)


def kept_query_encoder(papers: Sequence[Paper], embeddings: dict[str, np.ndarray], model: str,
                       embed_words: Callable[[list[str]], np.ndarray], cache_dir: Path) -> QueryEncoder:
    """The encoder for ``papers``, kept in ``cache_dir`` for a rebuild of the same papers."""
    previous = load_query_encoder(cache_dir)
    encoder = update_query_encoder(papers, embeddings, model, embed_words, previous)
    if encoder is not previous:
        save_query_encoder(cache_dir, encoder)
    return encoder


def update_query_encoder(papers: Sequence[Paper], embeddings: dict[str, np.ndarray], model: str,
                         embed_words: Callable[[list[str]], np.ndarray], previous: QueryEncoder | None
                         ) -> QueryEncoder:
    """The encoder for ``papers``: ``previous`` when it was fitted to these very papers, else fitted anew."""
    matrix = np.vstack([embeddings[p.id] for p in papers]).astype(np.float32)
    key = fingerprint(papers, matrix, model)
    if previous is not None and previous.fingerprint == key:
        return previous
    return _fit_anew(*paper_terms(papers), matrix, embed_words, key)


def fingerprint(papers: Sequence[Paper], matrix: np.ndarray, model: str) -> str:
    """What the fit depends on: its version, the model, each paper's id and text in order, and their
    embeddings (the rows of ``matrix``)."""
    digest = hashlib.sha256(f"{ENCODER_VERSION}|{model}|{len(papers)}".encode())
    for paper in papers:
        digest.update(f"\0{paper.id}\0{paper.title}\0{paper.abstract}".encode())
    digest.update(np.ascontiguousarray(matrix).tobytes())
    return digest.hexdigest()[:32]


def _fit_anew(term_lists: list[list[str]], spelling: dict[str, str], matrix: np.ndarray,
              embed_words: Callable[[list[str]], np.ndarray], key: str) -> QueryEncoder:
    terms = sorted(spelling)
    dims = dims_for(len(term_lists))
    log.info("Query encoder: fitting %d terms to %d papers (%d dimensions)", len(terms), len(term_lists), dims)
    projection = principal_axes(matrix, dims)
    start = embed_words([spelling[t] for t in terms]) @ projection
    weights = term_weights(term_lists, terms)
    vectors = _fit(_design(term_lists, terms, weights), _unit(matrix @ projection), start.astype(np.float32))
    return QueryEncoder(terms, vectors, projection, key, weights)


def principal_axes(matrix: np.ndarray, dims: int) -> np.ndarray:
    """The ``dims`` principal axes of the rows (embedding dimensions × ``dims``), each signed so that its
    largest component is positive: the same axes whatever sign the decomposition returns."""
    centred = (matrix - matrix.mean(axis=0)).astype(np.float64)
    _, _, axes = np.linalg.svd(centred, full_matrices=False)
    axes = axes[:dims]
    if axes.shape[0] < dims:
        axes = np.vstack([axes, np.zeros((dims - axes.shape[0], matrix.shape[1]))])
    signs = np.sign(axes[np.arange(dims), np.abs(axes).argmax(axis=1)])
    return (axes * np.where(signs == 0, 1, signs)[:, None]).T.astype(np.float32)


def _design(term_lists: Sequence[Sequence[str]], terms: Sequence[str], weights: np.ndarray
            ) -> sparse.csr_matrix:
    """Papers × terms: each term's weight times its count in the paper."""
    column = {t: n for n, t in enumerate(terms)}
    indptr, indices, values = [0], [], []
    for paper in term_lists:
        counts = Counter(column[t] for t in paper if t in column)
        for n in sorted(counts):
            indices.append(n)
            values.append(weights[n] * counts[n])
        indptr.append(len(indices))
    return sparse.csr_matrix((np.array(values, dtype=np.float32), np.array(indices, dtype=np.int32),
                              np.array(indptr, dtype=np.int64)), shape=(len(term_lists), len(terms)))


def _fit(design: sparse.csr_matrix, targets: np.ndarray, start: np.ndarray, epochs: int = EPOCHS,
         batch: int = BATCH, rate: float = LEARNING_RATE) -> np.ndarray:
    """Term vectors (from ``start``) such that each row of ``design`` times them
    has the direction of that row of ``targets``: Adam on the mean of 1 − cosine, updating in each step
    only the terms the batch holds (as torch's SparseAdam does)."""
    vectors = start.astype(np.float32).copy()
    first, second = np.zeros_like(vectors), np.zeros_like(vectors)
    beta1, beta2, epsilon = 0.9, 0.999, 1e-8
    used = np.flatnonzero(np.diff(design.indptr) > 0)
    design, targets = design[used], targets[used]
    random = np.random.default_rng(SEED)
    step = 0
    steps = epochs * math.ceil(design.shape[0] / batch)
    with tqdm(total=steps, desc="Query encoder", unit="step", disable=steps < 200) as bar:
        for _ in range(epochs):
            order = random.permutation(design.shape[0])
            for begin in range(0, len(order), batch):
                rows = np.sort(order[begin:begin + batch])
                part = design[rows]
                columns, local = np.unique(part.indices, return_inverse=True)
                part = sparse.csr_matrix((part.data, local.astype(np.int32), part.indptr),
                                         shape=(len(rows), len(columns)))
                predicted = part @ vectors[columns]
                gradient = part.T @ _cosine_gradient(predicted, targets[rows])
                step += 1
                first[columns] = beta1 * first[columns] + (1 - beta1) * gradient
                second[columns] = beta2 * second[columns] + (1 - beta2) * gradient * gradient
                corrected = (first[columns] / (1 - beta1 ** step)) / (
                    np.sqrt(second[columns] / (1 - beta2 ** step)) + epsilon)
                vectors[columns] -= (rate * corrected).astype(np.float32)
                bar.update()
    return vectors


def _cosine_gradient(predicted: np.ndarray, targets: np.ndarray) -> np.ndarray:
    """The gradient of mean(1 − cos(predicted, target)) by ``predicted`` (targets have unit length)."""
    norms = np.maximum(np.linalg.norm(predicted, axis=1, keepdims=True), 1e-12)
    cosines = (predicted * targets).sum(axis=1, keepdims=True) / norms
    return -(targets / norms - cosines * predicted / norms ** 2) / len(predicted)


def _unit(matrix: np.ndarray) -> np.ndarray:
    return (matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)).astype(np.float32)


def load_query_encoder(directory: Path) -> QueryEncoder | None:
    """The kept encoder, or None: absent, from an earlier version (no weights), or unreadable."""
    def read(data) -> QueryEncoder | None:
        if "weights" not in data.files:
            return None
        return QueryEncoder(data["terms"].tolist(), data["vectors"], data["projection"],
                            str(data["fingerprint"]), data["weights"])

    return load_npz(directory / CACHE_NAME, read, "Query encoder cache", then="fitted anew")


def save_query_encoder(directory: Path, encoder: QueryEncoder) -> None:
    save_npz(directory / CACHE_NAME, terms=np.array(encoder.terms, dtype=str), vectors=encoder.vectors,
             projection=encoder.projection, fingerprint=encoder.fingerprint, weights=encoder.weights)
