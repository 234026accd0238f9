"""Stage 4: papers → keyphrases, ranked by an engine (``engines/``), with on-disk caches.

Candidates are the noun phrases of each text (``phrases.py``), so a keyphrase never straddles a
phrase boundary; the engine ranks them with KeyBERT's MMR and embeds each document. Results are cached on
disk, keyed by text, model and settings, so a rebuild embeds only papers it has not seen.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path

import numpy as np
from mkdocs.plugins import get_plugin_logger
from tqdm.auto import tqdm

from generator.analysis.cache import EmbeddingStore, TextCache, slices
from generator.analysis.engines import extract_with_engine
from generator.analysis.engines.encoders import encoder_for
from generator.config import KeyphraseSettings
from generator.records import Paper

log = get_plugin_logger("digest")

PROGRESS_FROM = 2000
"""Texts to embed from which a progress bar is shown."""

EXTRACTOR_VERSION = 10
"""Bump when candidate generation or ranking changes, so cached keyphrases are recomputed."""


def paper_texts(papers: list[Paper]) -> dict[str, str]:
    """Each paper's text (``paper_text``), by paper id."""
    return {paper.id: paper_text(paper) for paper in papers}


def paper_text(paper: Paper) -> str:
    """The text keyphrases and embeddings are computed from: the dump's own text (``plain_text`` cleans it)."""
    title, abstract = paper.source_title, paper.source_abstract
    if paper.untitled:
        return abstract
    return f"{title}. {abstract}" if abstract else title


def text_file_document(raw: str) -> str:
    """A text file as a document: its first line, with any indented lines after it, is the title."""
    lines = raw.strip().splitlines()
    if not lines:
        return ""
    end = 1
    while end < len(lines) and lines[end][:1].isspace() and lines[end].strip():
        end += 1
    title = " ".join(" ".join(lines[:end]).split())
    body = " ".join(" ".join(lines[end:]).split())
    if not body:
        return title
    return f"{title} {body}" if title.endswith((".", "?", "!", ":")) else f"{title}. {body}"


def settings_fingerprint(settings: KeyphraseSettings) -> str:
    where = ("device", "runtime", "batch_size", "engine", "ray_actors", "ray_gpus_per_actor",
             "checkpoint_texts")
    relevant = {k: v for k, v in asdict(settings).items() if k not in where}
    blob = json.dumps({"extractor": EXTRACTOR_VERSION, **relevant}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def extract_keyphrases(papers: list[Paper], settings: KeyphraseSettings, cache_dir: Path,
                       texts: dict[str, str] | None = None) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """Set ``paper.keyphrases`` on every paper. Returns each paper's document embedding (unit length,
    by paper id) and how many texts came from the caches and how many were embedded now.

    The missing texts are embedded in slices of ``settings.checkpoint_texts``, each saved as a part of the
    caches once done, so a build killed half-way resumes where it stopped."""
    size = settings.checkpoint_texts
    cache = TextCache(cache_dir, settings_fingerprint(settings), checkpoint_every=size)
    store = EmbeddingStore(cache_dir, settings.model, checkpoint_every=size)
    texts = texts or paper_texts(papers)
    missing = sorted({t for t in texts.values() if cache.get(t) is None or store.get(t) is None})
    if store.parts and missing:
        log.info("Keyphrases: resuming an interrupted build, %d texts still to embed", len(missing))
    carried: dict[str, np.ndarray] = {}
    for part in slices(missing, size):
        phrases, vectors = extract_with_engine(part, settings, carried)
        for text, ranked, vector in zip(part, phrases, vectors, strict=True):
            cache.put(text, ranked)
            store.put(text, vector)
    if missing or cache.parts or store.parts:
        cache.save()
        store.save()
    for paper in papers:
        paper.keyphrases = cache.get(texts[paper.id]) or []
    embeddings = {paper.id: store.get(texts[paper.id]).astype(np.float32) for paper in papers}
    return embeddings, {"cached": len(set(texts.values())) - len(missing), "extracted": len(missing)}


class PhraseEmbedder:
    """Unit embeddings of short texts: topic labels (``phrases``), an abstract's sentences
    (``sentences``). Cached on disk, each kind in its own store, so the model is loaded only when a text
    is new and a warm build never loads it."""

    def __init__(self, settings: KeyphraseSettings, cache_dir: Path, kind: str = "phrases") -> None:
        self.settings = settings
        self.kind = kind
        self.store = EmbeddingStore(cache_dir, settings.model, kind=kind,
                                    checkpoint_every=settings.checkpoint_texts)

    def __call__(self, phrases: Sequence[str]) -> np.ndarray:
        missing = sorted({p for p in phrases if self.store.get(p) is None})
        with tqdm(total=len(missing), desc=f"Embedding {self.kind}", unit="text",
                  disable=len(missing) < PROGRESS_FROM) as bar:
            for part in slices(missing, self.settings.checkpoint_texts):
                for phrase, vector in zip(part, encoder_for(self.settings).encode(part), strict=True):
                    self.store.put(phrase, vector)
                bar.update(len(part))
        if missing or self.store.parts:
            self.store.save()
        if not phrases:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([self.store.get(p) for p in phrases]).astype(np.float32)
