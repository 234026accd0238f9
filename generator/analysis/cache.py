"""On-disk caches of the analysis stages, keyed by a hash of each text: a rebuild computes only what
it has not seen. Each is written to a temporary file and moved into place, so a crash never leaves half
a cache; an unreadable one is rebuilt."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np
from mkdocs.plugins import get_plugin_logger

from generator.analysis.engines.local import CHUNK_WORDS

log = get_plugin_logger("digest")


def save_npz(path: Path, **arrays: object) -> None:
    """``np.savez`` into a temporary file beside ``path``, then moved into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".npz") as tmp:
        np.savez(tmp, **arrays)
    os.replace(tmp.name, path)


class TextCache:
    """A list of phrases per text hash, for one fingerprint of model and settings, in one JSON file: each
    text's keyphrases (``keyphrases.json``) or, under another name, any other phrases per text (the
    topic stage's phrase keys, ``text-phrases.json``)."""

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
        return self.vectors.get(TextCache.key(text))

    def put(self, text: str, vector: np.ndarray) -> None:
        self.vectors[TextCache.key(text)] = vector.astype(np.float16)

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
