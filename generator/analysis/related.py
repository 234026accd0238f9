"""Stage 5b (after keyphrases): each paper's nearest papers by document embedding.

The embeddings are those the keyphrase stage made (unit length), so nearness is cosine similarity and
costs one matrix product, taken a block of rows at a time so that memory stays small at any size. For a
large digest that product is a noticeable part of every build (docs/scaling.md), so the result is kept
between builds
(``Neighbours``, in the cache folder): when papers were only added, each earlier paper's list is merged
with the new papers alone, and only new papers are compared with all. The result is the one a fresh
computation gives: scores are taken in float64 and rounded, and ties go to the paper earlier in the list.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from mkdocs.plugins import get_plugin_logger

from generator.analysis.cache import load_npz, save_npz
from generator.records import Paper

log = get_plugin_logger("digest")

BLOCK_ROWS = 1024
"""Rows of the similarity matrix held at once: 1,024 × 20,000 float32 is 80 MB."""
SCORE_DECIMALS = 5
"""Similarities are rounded before ranking, so that the last bits of a machine's arithmetic never
reorder near ties: the same papers give the same neighbours anywhere (ties go to the earlier paper)."""
MARGIN = 10.0 ** -SCORE_DECIMALS
"""How far below a bound a float32 score may be and still be ranked exactly: far above float32's error."""
CHUNK = 256
"""Columns per chunk when bounding a row's best scores (see ``_candidates``)."""
CACHE_NAME = "related.npz"


@dataclass
class Neighbours:
    """Each paper's ``count`` nearest papers, as kept between builds: paper ids in the papers' order, a
    digest of each one's embedding, and per paper the rows (into ``ids``) of its nearest papers, best
    first, with their rounded similarities."""

    count: int
    ids: list[str]
    digests: np.ndarray
    nearest: np.ndarray
    scores: np.ndarray

    def by_id(self) -> dict[str, list[str]]:
        return {paper: [self.ids[n] for n in row] for paper, row in zip(self.ids, self.nearest.tolist(),
                                                                        strict=True)}


def link_related(papers: list[Paper], embeddings: dict[str, np.ndarray], count: int, cache_dir: Path) -> None:
    """Sets each paper's ``related`` (its ``count`` nearest papers, most similar first) and their
    ``closeness``. The neighbours are kept in ``cache_dir``; the next build computes only the rows its new
    papers change."""
    previous = load_neighbours(cache_dir)
    neighbours = nearest_papers(papers, embeddings, count, previous)
    if neighbours is not previous:
        save_neighbours(cache_dir, neighbours)
    related = neighbours.by_id()
    for paper in papers:
        paper.related = related[paper.id]
        paper.closeness = [float(embeddings[paper.id] @ embeddings[other]) for other in paper.related]


def related_papers(papers: list[Paper], embeddings: dict[str, np.ndarray], count: int) -> dict[str, list[str]]:
    """The ``count`` papers nearest to each paper, most similar first, by paper id."""
    return nearest_papers(papers, embeddings, count).by_id()


def nearest_papers(papers: list[Paper], embeddings: dict[str, np.ndarray], count: int,
                   previous: Neighbours | None = None) -> Neighbours:
    """Each paper's nearest papers; from ``previous`` (an earlier build's) where that gives the same, and
    ``previous`` itself when nothing changed."""
    ids = [paper.id for paper in papers]
    matrix = np.stack([embeddings[i] for i in ids]).astype(np.float32) if ids else np.zeros((0, 0))
    digests = np.frombuffer(b"".join(_digest(embeddings[i]) for i in ids), dtype=np.uint8).reshape(-1, 16)
    keep = max(0, min(count, len(ids) - 1))
    old = _kept_rows(previous, ids, digests, count, keep) if previous is not None else None
    if previous is not None and old is not None:
        return _extended(previous, old, ids, matrix, digests)
    nearest, scores = _compute(matrix, np.arange(len(ids)), keep)
    return Neighbours(count, ids, digests, nearest, scores)


def _digest(vector: np.ndarray) -> bytes:
    return hashlib.blake2b(np.ascontiguousarray(vector).tobytes(), digest_size=16).digest()


def _kept_rows(previous: Neighbours, ids: list[str], digests: np.ndarray, count: int, keep: int
               ) -> np.ndarray | None:
    """Where the earlier papers are now, if they are all still here, with the same embeddings and in the
    same order, and each kept the same number of neighbours; else None."""
    if previous.count != count or previous.nearest.shape[1] != keep or not previous.ids:
        return None
    position = {paper: n for n, paper in enumerate(ids)}
    rows = np.array([position.get(paper, -1) for paper in previous.ids])
    in_order = rows.min() >= 0 and np.all(np.diff(rows) > 0)
    return rows if in_order and np.array_equal(digests[rows], previous.digests) else None


def _extended(previous: Neighbours, old: np.ndarray, ids: list[str], matrix: np.ndarray, digests: np.ndarray
              ) -> Neighbours:
    """``previous`` itself when no paper was added (so a caller can tell nothing changed)."""
    if ids == previous.ids:
        log.info("Related papers: all %d kept from the last build", len(ids))
        return previous
    new = np.setdiff1d(np.arange(len(ids)), old)
    keep = previous.nearest.shape[1]
    nearest = np.zeros((len(ids), keep), dtype=np.int64)
    scores = np.zeros((len(ids), keep), dtype=np.float64)
    nearest[old], scores[old] = old[previous.nearest], previous.scores
    if len(new):
        nearest[new], scores[new] = _compute(matrix, new, keep)
        _merge_new_papers(matrix, old, new, nearest, scores)
    log.info("Related papers: %d kept from the last build, %d new papers compared with all", len(old), len(new))
    return Neighbours(previous.count, ids, digests, nearest, scores)


def _merge_new_papers(matrix: np.ndarray, old: np.ndarray, new: np.ndarray, nearest: np.ndarray,
                      scores: np.ndarray) -> None:
    """Earlier papers' lists, in place, with any new paper that now ranks among them."""
    for start in range(0, len(old), BLOCK_ROWS):
        rows = old[start:start + BLOCK_ROWS]
        rough = matrix[rows] @ matrix[new].T
        row_of, column = np.nonzero(rough >= (scores[rows, -1] - MARGIN)[:, None])
        for row in np.unique(row_of):
            paper, entering = rows[row], new[column[row_of == row]]
            joined = np.concatenate([nearest[paper], entering])
            exact = np.concatenate([scores[paper], _exact(matrix, np.full(len(entering), paper), entering)])
            best = np.lexsort((joined, -exact))[:nearest.shape[1]]
            nearest[paper], scores[paper] = joined[best], exact[best]


def _compute(matrix: np.ndarray, rows: np.ndarray, keep: int) -> tuple[np.ndarray, np.ndarray]:
    """The nearest papers of ``rows`` among all, and their scores: rows into ``matrix``."""
    nearest = np.zeros((len(rows), keep), dtype=np.int64)
    scores = np.zeros((len(rows), keep), dtype=np.float64)
    if keep == 0:
        return nearest, scores
    for start in range(0, len(rows), BLOCK_ROWS):
        block = rows[start:start + BLOCK_ROWS]
        rough = matrix[block] @ matrix.T
        rough[np.arange(len(block)), block] = -np.inf
        row_of, column = _candidates(rough, keep)
        exact = _exact(matrix, block[row_of], column)
        order = np.lexsort((column, -exact, row_of))
        row_of, column, exact = row_of[order], column[order], exact[order]
        rank = np.arange(len(row_of)) - np.searchsorted(row_of, row_of)
        chosen = rank < keep
        nearest[start + row_of[chosen], rank[chosen]] = column[chosen]
        scores[start + row_of[chosen], rank[chosen]] = exact[chosen]
    return nearest, scores


def _candidates(scores: np.ndarray, keep: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of every score that may be among its row's ``keep`` best (a row's own paper is -inf).

    A full sort or partition of every row is slow; instead each row is cut into chunks, and the
    ``keep``-th best chunk maximum bounds the ``keep``-th best score from below (``keep`` chunks each hold
    a score at least that high), so only the few scores above the bound are ranked."""
    rows, columns = scores.shape
    chunks = -(-columns // CHUNK)
    if chunks >= keep:
        padded = np.full((rows, chunks * CHUNK), -np.inf, dtype=scores.dtype)
        padded[:, :columns] = scores
        maxima = padded.reshape(rows, chunks, CHUNK).max(axis=2)
        bound = -np.partition(-maxima, keep - 1, axis=1)[:, keep - 1] - MARGIN
    else:
        bound = np.full(rows, -np.inf, dtype=scores.dtype)
    return np.nonzero((scores >= bound[:, None]) & (scores > -np.inf))


def _exact(matrix: np.ndarray, rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
    """Similarities of (row, column) pairs in float64, rounded: the same whatever block they come in."""
    exact = np.empty(len(rows), dtype=np.float64)
    for start in range(0, len(rows), 65_536):
        pick = slice(start, start + 65_536)
        exact[pick] = np.einsum("ij,ij->i", matrix[rows[pick]].astype(np.float64),
                                matrix[columns[pick]].astype(np.float64))
    return np.round(exact, SCORE_DECIMALS)


def load_neighbours(directory: Path) -> Neighbours | None:
    """The last build's neighbours, or None (absent or unreadable: then all are computed)."""
    return load_npz(directory / CACHE_NAME, lambda data: Neighbours(
        int(data["count"]), data["ids"].tolist(), data["digests"], data["nearest"], data["scores"]),
        "Related-papers cache")


def save_neighbours(directory: Path, neighbours: Neighbours) -> None:
    save_npz(directory / CACHE_NAME, count=neighbours.count, ids=np.array(neighbours.ids, dtype=str),
             digests=neighbours.digests, nearest=neighbours.nearest, scores=neighbours.scores)
