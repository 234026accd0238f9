"""The local engine: ranks texts in this process, on the CPU or a GPU, with KeyBERT's MMR (``mmr``).

Documents and the candidate vocabulary are embedded once each, in slices of ``SLICE_TEXTS`` texts (so
memory is bounded by a slice), and each document's own candidates are ranked with MMR: the cost grows
with the corpus, not with documents times candidates. The model reads at most 256 word pieces; longer
documents are embedded in chunks of whole sentences and their embeddings averaged, so a phrase late in
a long abstract is judged against all of it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
from mkdocs.plugins import get_plugin_logger
from tqdm.auto import tqdm

from generator.analysis.engines.encoders import Encoder, choose_device, encoder_for
from generator.analysis.engines.mmr import rank_by_mmr
from generator.analysis.phrases import CandidateSet
from generator.config import KeyphraseSettings

log = get_plugin_logger("digest")

CHUNK_WORDS = 150
"""Words per embedded chunk: about 200 word pieces, inside the model's 256."""
SLICE_TEXTS = 1000
"""Texts ranked together: bounds the memory of a cold build (embeddings, KeyBERT's matrices) by a slice."""
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentence_chunks(text: str, max_words: int = CHUNK_WORDS) -> list[str]:
    """Consecutive sentences packed into chunks of at most ``max_words`` words (a longer sentence is split)."""
    chunks: list[list[str]] = [[]]
    for sentence in _SENTENCE_END.split(text):
        words = sentence.split()
        while words:
            room = max_words - len(chunks[-1])
            if room <= 0 or (len(words) > room and chunks[-1]):
                chunks.append([])
                continue
            chunks[-1] += words[:room]
            words = words[room:]
    return [" ".join(chunk) for chunk in chunks if chunk] or [text]


class KeyphraseExtractor:
    """Ranks each text's candidate phrases with KeyBERT's MMR."""

    def __init__(self, settings: KeyphraseSettings) -> None:
        self.settings = settings
        self.device = choose_device(settings.device)

    def extract(self, texts: Sequence[str], progress: bool = True) -> list[list[str]]:
        return self.extract_with_embeddings(texts, progress)[0]

    def extract_with_embeddings(self, texts: Sequence[str], progress: bool = True,
                                carried: dict[str, np.ndarray] | None = None
                                ) -> tuple[list[list[str]], np.ndarray]:
        """Keyphrases of each text, and each text's document embedding (unit length).

        Texts are ranked in slices of ``SLICE_TEXTS``, so memory is bounded by a slice, not by the corpus.
        Candidate spellings are chosen over all texts first, and a phrase's embedding is kept from its
        first slice to its last, so slicing changes neither the result nor the embedding work.

        ``carried`` holds candidate embeddings from the previous call (a build embeds its new papers in
        checkpoint slices, one call each): those this call's texts use are not embedded again, and it
        leaves the candidates of its last slice there for the next call. A phrase's embedding does not
        depend on the batch it was embedded in (measured: bit for bit on ONNX Runtime), so the results
        are the same either way."""
        if not texts:
            return [], np.zeros((0, 0), dtype=np.float32)
        texts, candidates = self.prepare(texts)
        encoder = encoder_for(self.settings)
        starts = range(0, len(texts), SLICE_TEXTS)
        last_slice = {p: n for n, start in enumerate(starts)
                      for phrases in candidates[start:start + SLICE_TEXTS] for p in phrases}
        log.info("Embedding %d documents and %d candidate phrases on %s", len(texts), len(last_slice),
                 self.device)
        expiring: dict[int, list[str]] = {}
        for phrase, n in last_slice.items():
            if carried is None or n < len(starts) - 1:
                expiring.setdefault(n, []).append(phrase)
        kept: dict[str, np.ndarray] = {} if carried is None else carried
        for phrase in [p for p in kept if p not in last_slice]:
            del kept[phrase]
        ranked: list[list[str]] = []
        documents: list[np.ndarray] = []
        with tqdm(total=len(texts), unit="paper", desc="Keyphrases", disable=not progress) as bar:
            for n, start in enumerate(starts):
                stop = start + SLICE_TEXTS
                phrases, vectors = self.rank(encoder, texts[start:stop], candidates[start:stop], kept)
                ranked += phrases
                documents.append(vectors)
                for phrase in expiring.get(n, []):
                    del kept[phrase]
                bar.update(len(phrases))
        return ranked, np.vstack(documents)

    def prepare(self, texts: Sequence[str]) -> tuple[list[str], list[list[str]]]:
        """The texts cleaned of LaTeX remnants, and each one's candidates, spelled one way across all."""
        candidates = CandidateSet.from_texts(texts, self.settings.max_words)
        return candidates.texts, candidates.per_document

    def rank(self, encoder: Encoder, texts: list[str], candidates: list[list[str]],
             kept: dict[str, np.ndarray]) -> tuple[list[list[str]], np.ndarray]:
        """One slice of prepared texts, ranked by MMR over their own candidates, and their unit document
        embeddings. ``kept`` holds the embeddings of phrases met in earlier slices and receives this
        slice's new ones."""
        vocabulary = sorted({p for phrases in candidates for p in phrases})
        new = [p for p in vocabulary if p not in kept]
        if new:
            kept.update((p, v.copy()) for p, v in zip(new, encoder.encode(new), strict=True))
        documents = self._embed_documents(encoder, texts)
        row = {phrase: n for n, phrase in enumerate(vocabulary)}
        rows = [sorted(row[p] for p in phrases) for phrases in candidates]
        ranked = rank_by_mmr(documents, np.array([kept[p] for p in vocabulary]).reshape(-1, documents.shape[1]),
                             rows, self.settings.top_n, self.settings.diversity, self.device,
                             [self._position_priors(phrases, [vocabulary[n] for n in cells])
                              for phrases, cells in zip(candidates, rows, strict=True)])
        norms = np.linalg.norm(documents, axis=1, keepdims=True)
        return [[vocabulary[n] for n in rows] for rows in ranked], documents / np.maximum(norms, 1e-12)

    def _position_priors(self, in_order: list[str], ranked_order: list[str]) -> list[float]:
        """``position_weight`` in proportion to how early each candidate (in ``ranked_order``) first
        appears in the text (``in_order``: the candidates in order of first appearance)."""
        place = {phrase: n for n, phrase in enumerate(in_order)}
        return [self.settings.position_weight * (1 - place[p] / len(in_order)) for p in ranked_order]

    @staticmethod
    def _embed_documents(encoder: Encoder, texts: list[str]) -> np.ndarray:
        """Each text's chunks embedded, averaged with their word counts as weights."""
        chunked = [sentence_chunks(text) for text in texts]
        flat_chunks = [chunk for chunks in chunked for chunk in chunks]
        flat = encoder.encode(flat_chunks)
        weights = np.array([len(chunk.split()) or 1 for chunk in flat_chunks], dtype=np.float32)
        starts = np.cumsum([0] + [len(chunks) for chunks in chunked[:-1]])
        return np.add.reduceat(flat * weights[:, None], starts) / np.add.reduceat(weights, starts)[:, None]
