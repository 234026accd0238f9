"""KeyBERT's Maximal Marginal Relevance, for many documents at once.

``keybert._mmr.mmr`` ranks one document per call, in Python: on a GPU that loop was a third of the
keyphrase time while the card waited (docs/performance.md, "Figures behind the code"). Here documents
with alike candidate counts are ranked together as batched tensor work on the encoder's device, step by
step as KeyBERT does: the candidate most relevant to the document first, then each time the one
maximising ``(1 - diversity) * relevance - diversity * highest similarity to a phrase already chosen``,
ties going to the earlier candidate; the chosen phrases are then sorted by their relevance rounded to 4
places, stably. A candidate's relevance is its similarity to the document, plus its ``prior`` where one
is given (``KeyphraseSettings.position_weight``). Without priors, tests/test_keyphrases.py checks the
result against KeyBERT's.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from generator.analysis.engines.encoders import padded

BATCH_CELLS = 1 << 24
"""Documents × candidates² per batch: bounds the memory of the candidates' similarity matrices."""


def rank_by_mmr(documents: np.ndarray, phrases: np.ndarray, candidates: Sequence[Sequence[int]],
                top_n: int, diversity: float, device: str = "cpu",
                priors: Sequence[Sequence[float]] | None = None) -> list[list[int]]:
    """For each document, the indices (rows of ``phrases``) of its ``top_n`` keyphrases, best first.

    ``documents`` holds one embedding per document, ``phrases`` one per phrase; ``candidates[i]`` are the
    rows of document ``i``'s own candidates, in KeyBERT's order (the vocabulary's sorted order), and
    ``priors[i]`` what each of them adds to its relevance."""
    import torch

    with torch.inference_mode():
        document_rows = _unit(torch.from_numpy(np.ascontiguousarray(documents, dtype=np.float32)).to(device))
        phrase_rows = _unit(torch.from_numpy(np.ascontiguousarray(phrases, dtype=np.float32)).to(device))
        ranked: list[list[int]] = [[] for _ in candidates]
        for batch in _batches(candidates):
            chosen = _rank_batch(document_rows, phrase_rows, [candidates[i] for i in batch], batch, top_n,
                                 diversity, None if priors is None else [priors[i] for i in batch])
            for document, picks in zip(batch, chosen, strict=True):
                ranked[document] = picks
        return ranked


def _padded_values(rows: Sequence[Sequence[float]], filled: np.ndarray) -> np.ndarray:
    values = np.zeros(filled.shape, dtype=np.float32)
    values[filled] = np.fromiter((v for row in rows for v in row), dtype=np.float32, count=int(filled.sum()))
    return values


def _unit(rows):
    return rows / rows.norm(dim=1, keepdim=True).clamp_min(1e-12)


def _batches(candidates: Sequence[Sequence[int]]) -> list[list[int]]:
    """Documents with candidates, fewest candidates first, grouped so each batch pads little and stays
    within ``BATCH_CELLS``."""
    order = sorted((i for i, c in enumerate(candidates) if len(c)), key=lambda i: len(candidates[i]))
    batches: list[list[int]] = []
    for document in order:
        width = len(candidates[document])
        if batches and (len(batches[-1]) + 1) * width * width <= BATCH_CELLS:
            batches[-1].append(document)
        else:
            batches.append([document])
    return batches


def _rank_batch(document_rows, phrase_rows, candidates: list[Sequence[int]], batch: list[int], top_n: int,
                diversity: float, priors: list[Sequence[float]] | None = None) -> list[list[int]]:
    import torch

    device = phrase_rows.device
    index_rows, filled = padded(candidates)
    index, padding = torch.from_numpy(index_rows).to(device), torch.from_numpy(~filled).to(device)
    width = index.shape[1]
    words = phrase_rows[index]                                              # batch × width × dim
    to_document = torch.einsum("bwd,bd->bw", words, document_rows[torch.tensor(batch, device=device)])
    if priors is not None:
        to_document = to_document + torch.from_numpy(_padded_values(priors, filled)).to(device)
    between = words @ words.transpose(1, 2)                                 # batch × width × width
    rows = torch.arange(len(candidates), device=device)
    taken = padding.clone()
    picks = [to_document.masked_fill(taken, -torch.inf).argmax(dim=1)]
    closest = between[rows, picks[0]]
    taken[rows, picks[0]] = True
    for _ in range(min(top_n, width) - 1):
        score = (1 - diversity) * to_document - diversity * closest
        pick = score.masked_fill(taken, -torch.inf).argmax(dim=1)
        picks.append(pick)
        taken[rows, pick] = True
        closest = torch.maximum(closest, between[rows, pick])
    chosen = torch.stack(picks, dim=1)
    scores = to_document.gather(1, chosen).cpu().numpy()
    chosen_rows = index.gather(1, chosen).cpu().numpy()
    result = []
    for row, count in enumerate(filled.sum(axis=1).tolist()):
        kept = range(min(top_n, count))
        by_score = sorted(kept, key=lambda k: round(float(scores[row, k]), 4), reverse=True)
        result.append([int(chosen_rows[row, k]) for k in by_score])
    return result
