"""Stage 5b (after keyphrases): each paper's nearest papers by document embedding.

The embeddings are those the keyphrase stage made (unit length), so nearness is cosine similarity and
costs one matrix product, taken a block of rows at a time so that memory stays small at any size.
"""

from __future__ import annotations

import numpy as np

from generator.records import Paper

BLOCK_ROWS = 1024
"""Rows of the similarity matrix held at once: 1,024 × 20,000 float32 is 80 MB."""
SCORE_DECIMALS = 5
"""Similarities are rounded before ranking, so that the last bits of a machine's arithmetic never
reorder near ties: the same papers give the same neighbours anywhere (ties go to the earlier paper)."""
CHUNK = 256
"""Columns per chunk when bounding a row's best scores (see ``_nearest``)."""


def related_papers(papers: list[Paper], embeddings: dict[str, np.ndarray], count: int) -> dict[str, list[str]]:
    """The ``count`` papers nearest to each paper, most similar first, by paper id."""
    if count <= 0 or len(papers) < 2:
        return {paper.id: [] for paper in papers}
    ids = [paper.id for paper in papers]
    matrix = np.stack([embeddings[i] for i in ids]).astype(np.float32)
    keep = min(count, len(ids) - 1)
    related: dict[str, list[str]] = {}
    for start in range(0, len(ids), BLOCK_ROWS):
        scores = matrix[start:start + BLOCK_ROWS] @ matrix.T
        rows = np.arange(scores.shape[0])
        scores[rows, rows + start] = -np.inf
        for row, nearest in enumerate(_nearest(scores, keep)):
            related[ids[start + row]] = [ids[n] for n in nearest]
    return related


def _nearest(scores: np.ndarray, keep: int) -> list[list[int]]:
    """The columns of each row's ``keep`` best scores (rounded; ties to the lower column).

    A full sort or partition of every row is slow; instead each row is cut into chunks, and the
    ``keep``-th best chunk maximum bounds the ``keep``-th best score from below (``keep`` chunks each hold
    a score at least that high), so only the few scores above the bound are ranked."""
    rows, columns = scores.shape
    chunks = -(-columns // CHUNK)
    if chunks >= keep:
        padded = np.full((rows, chunks * CHUNK), -np.inf, dtype=scores.dtype)
        padded[:, :columns] = scores
        maxima = padded.reshape(rows, chunks, CHUNK).max(axis=2)
        bound = -np.partition(-maxima, keep - 1, axis=1)[:, keep - 1] - 10.0 ** -SCORE_DECIMALS
    else:
        bound = np.full(rows, -np.inf, dtype=scores.dtype)
    row_of, column = np.nonzero(scores >= bound[:, None])
    rounded = np.round(scores[row_of, column], SCORE_DECIMALS)
    order = np.lexsort((column, -rounded, row_of))
    row_of, column = row_of[order], column[order]
    rank = np.arange(len(row_of)) - np.searchsorted(row_of, row_of)
    chosen = rank < keep
    nearest: list[list[int]] = [[] for _ in range(rows)]
    for row, col in zip(row_of[chosen].tolist(), column[chosen].tolist(), strict=True):
        nearest[row].append(col)
    return nearest
