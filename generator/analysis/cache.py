"""On-disk caches of the analysis stages, keyed by a hash of each text: a rebuild computes only what
it has not seen. Each is written to a temporary file and moved into place, so a crash never leaves half
a cache; an unreadable one is rebuilt.

A long stage also saves its work as it goes: ``checkpoint`` writes what was added since the last save
to a part file beside the cache (``NAME.part-…``), which the next load merges, so a build killed
half-way keeps every finished part. ``save`` writes the whole cache and removes the parts it merged."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import numpy as np
from mkdocs.plugins import get_plugin_logger

from generator.analysis.engines.local import CHUNK_WORDS

log = get_plugin_logger("digest")


@contextmanager
def replaced(path: Path, mode: str = "wb") -> Iterator[IO]:
    """A temporary file beside ``path``, moved into place once written: ``path`` is whole or untouched."""
    path.parent.mkdir(parents=True, exist_ok=True)
    encoding = None if "b" in mode else "utf-8"
    with tempfile.NamedTemporaryFile(mode, encoding=encoding, dir=path.parent, delete=False,
                                     suffix=".tmp") as tmp:
        try:
            yield tmp
        except BaseException:
            tmp.close()
            os.unlink(tmp.name)
            raise
    os.replace(tmp.name, path)


def save_npz(path: Path, **arrays: object) -> None:
    """``np.savez`` into ``path``, whole or not at all."""
    with replaced(path) as tmp:
        np.savez(tmp, **arrays)


class Checkpointed:
    """What both caches share: entries per text hash in one file at ``path``, plus the part files that
    ``checkpoint`` writes and the next load merges. A subclass reads and writes one file
    (``_read``, ``_write``); ``_write`` takes the keys of the entries to write."""

    path: Path

    def _load_with_parts(self) -> dict:
        self.parts: list[Path] = sorted(self.path.parent.glob(f"{self.path.name}.part-*"))
        self.unsaved: set[str] = set()
        entries = self._read(self.path) if self.path.exists() else {}
        for part in self.parts:
            entries.update(self._read(part))
        return entries

    def save(self) -> None:
        """The whole cache into its file; then the parts it merged are removed."""
        self._write(self.path, list(self._entries()))
        for part in self.parts:
            part.unlink(missing_ok=True)
        self.parts, self.unsaved = [], set()

    def checkpoint(self) -> None:
        """What was put since the last save or checkpoint, into a part file of its own."""
        if self.unsaved:
            part = self.path.with_name(f"{self.path.name}.part-{uuid.uuid4().hex}")
            self._write(part, list(self.unsaved))
            self.parts.append(part)
            self.unsaved = set()

    def _entries(self) -> dict:
        raise NotImplementedError

    def _read(self, path: Path) -> dict:
        raise NotImplementedError

    def _write(self, path: Path, keys: list[str]) -> None:
        raise NotImplementedError


class TextCache(Checkpointed):
    """A list of phrases per text hash, for one fingerprint of model and settings, in one JSON file: each
    text's keyphrases (``keyphrases.json``) or, under another name, any other phrases per text (the
    topic stage's phrase keys, ``text-phrases.json``)."""

    def __init__(self, directory: Path, fingerprint: str, name: str = "keyphrases.json") -> None:
        self.path = directory / name
        self.fingerprint = fingerprint
        self.entries: dict[str, list[str]] = self._load_with_parts()
        self.changed = bool(self.parts)

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def get(self, text: str) -> list[str] | None:
        return self.entries.get(self.key(text))

    def put(self, text: str, phrases: list[str]) -> None:
        key = self.key(text)
        self.entries[key] = phrases
        self.unsaved.add(key)
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

    def _entries(self) -> dict[str, list[str]]:
        return self.entries

    def _write(self, path: Path, keys: list[str]) -> None:
        entries = {k: self.entries[k] for k in sorted(keys)}
        with replaced(path, "w") as tmp:
            json.dump({"fingerprint": self.fingerprint, "keyphrases": entries}, tmp, ensure_ascii=False)

    def _read(self, path: Path) -> dict[str, list[str]]:
        try:
            payload = json.loads(path.read_text(encoding="utf-8"))
            entries = payload["keyphrases"]
            valid = isinstance(entries, dict) and all(
                isinstance(v, list) and all(isinstance(p, str) for p in v) for v in entries.values())
        except (OSError, ValueError, KeyError, TypeError):
            valid = False
        if not valid:
            log.warning("Cache %s is unreadable; it will be rebuilt", path)
            return {}
        if payload.get("fingerprint") != self.fingerprint:
            log.info("Settings, model or version changed; %s is recomputed", path.name)
            return {}
        return entries


class EmbeddingStore(Checkpointed):
    """Embeddings per text hash for one model, as float16 in one ``.npz`` file: documents (embedded in
    chunks) or short phrases, each kind in its own file."""

    def __init__(self, directory: Path, model: str, kind: str = "documents") -> None:
        recipe = f"{model}|{CHUNK_WORDS}" if kind == "documents" else f"{model}|{kind}"
        tag = hashlib.sha256(recipe.encode()).hexdigest()[:12]
        self.path = directory / f"embeddings-{tag}.npz"
        self.vectors: dict[str, np.ndarray] = self._load_with_parts()

    def get(self, text: str) -> np.ndarray | None:
        return self.vectors.get(TextCache.key(text))

    def put(self, text: str, vector: np.ndarray) -> None:
        key = TextCache.key(text)
        self.vectors[key] = vector.astype(np.float16)
        self.unsaved.add(key)

    def _entries(self) -> dict[str, np.ndarray]:
        return self.vectors

    def _write(self, path: Path, keys: list[str]) -> None:
        keys = sorted(keys)
        save_npz(path, keys=np.array(keys), vectors=np.vstack([self.vectors[k] for k in keys]))

    def _read(self, path: Path) -> dict[str, np.ndarray]:
        try:
            with np.load(path, allow_pickle=False) as data:
                return dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
        except (OSError, ValueError, KeyError) as err:
            log.warning("Embedding cache %s is unreadable (%s); it will be rebuilt", path, err)
            return {}
