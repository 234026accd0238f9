"""On-disk caches of the analysis stages, keyed by a hash of each text: a rebuild computes only what
it has not seen. Each is written to a temporary file and moved into place, so a crash never leaves half
a cache; an unreadable one is rebuilt.

Every cache also saves its work as it goes: each ``checkpoint_every`` new entries (``checkpoint``) are
written to a part file beside the cache (``NAME.part-…``), which the next load merges, so a build killed
half-way keeps every finished part. ``save`` writes the whole cache and removes the parts it merged."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeVar

import numpy as np
from mkdocs.plugins import get_plugin_logger

from generator.analysis.engines.local import CHUNK_WORDS
from generator.disk import replaced

log = get_plugin_logger("digest")


LOCK_NAME = "build.lock"
T = TypeVar("T")


@contextmanager
def exclusive(cache_dir: Path) -> Iterator[None]:
    """One build at a time over ``cache_dir``: a second build waits for the first, saying which build it
    waits for, so neither overwrites the caches the other filled. The lock is the kernel's (``flock``),
    so a killed build holds none; its note in the lock file tells the next build that it was stopped.
    Under the lock, temporary files that a killed build left are removed."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    with (cache_dir / LOCK_NAME).open("a+", encoding="utf-8") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.warning("Waiting for another build that uses %s to finish (%s)", cache_dir, _holder(lock))
            fcntl.flock(lock, fcntl.LOCK_EX)
        stopped = _holder(lock)
        if stopped:
            log.info("An earlier build (%s) was stopped before it finished; the work it saved is kept", stopped)
        for leftover in cache_dir.glob(".*.tmp"):
            leftover.unlink(missing_ok=True)
        _note(lock, f"pid {os.getpid()}: {' '.join(sys.argv)}, since {time.strftime('%H:%M:%S')}")
        try:
            yield
        finally:
            _note(lock, "")


def _holder(lock: IO[str]) -> str:
    lock.seek(0)
    return lock.read().strip()


def _note(lock: IO[str], text: str) -> None:
    """Who holds the lock, for a build that waits; on a full disk the note is left out, not the build."""
    with contextlib.suppress(OSError):
        lock.seek(0)
        lock.truncate()
        lock.write(text)
        lock.flush()


def slices(items: list[str], size: int) -> Iterator[list[str]]:
    """``items`` in consecutive slices of ``size``: the unit of work a checkpoint keeps."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def save_npz(path: Path, **arrays: object) -> None:
    """``np.savez`` into ``path``, whole or not at all."""
    with replaced(path) as tmp:
        np.savez(tmp, **arrays)


def load_npz(path: Path, read: Callable[[Any], T], what: str, then: str = "rebuilt") -> T | None:
    """What ``read`` makes of the arrays saved at ``path``; None where there is none, or where they cannot
    be read (then said, naming ``what`` and how the stage makes it anew)."""
    if not path.exists():
        return None
    try:
        with np.load(path, allow_pickle=False) as data:
            return read(data)
    except (OSError, ValueError, KeyError) as err:
        log.warning("%s %s is unreadable (%s); it will be %s", what, path, err, then)
        return None


class Checkpointed:
    """What both caches share: entries per text hash in one file at ``path``, plus the part files that
    ``checkpoint`` writes and the next load merges. A subclass reads and writes one file
    (``_read``, ``_write``); ``_write`` takes the keys of the entries to write, and ``_added`` is told of
    each entry put."""

    path: Path
    checkpoint_every: int | None = None
    """New entries between two part files; None: only ``save`` writes."""

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

    def _added(self, key: str) -> None:
        self.unsaved.add(key)
        if self.checkpoint_every and len(self.unsaved) >= self.checkpoint_every:
            self.checkpoint()

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

    def __init__(self, directory: Path, fingerprint: str, name: str = "keyphrases.json",
                 checkpoint_every: int | None = None) -> None:
        self.path = directory / name
        self.fingerprint = fingerprint
        self.checkpoint_every = checkpoint_every
        self.entries: dict[str, list[str]] = self._load_with_parts()
        self.changed = bool(self.parts)

    def __enter__(self) -> TextCache:
        return self

    def __exit__(self, error_type: type[BaseException] | None, *_: object) -> None:
        """Saved whole when the stage using it finishes; what a failed stage put is kept as a part."""
        if error_type is None:
            if self.changed:
                self.save()
        else:
            with contextlib.suppress(OSError):
                self.checkpoint()

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def get(self, text: str) -> list[str] | None:
        return self.entries.get(self.key(text))

    def put(self, text: str, phrases: list[str]) -> None:
        key = self.key(text)
        self.entries[key] = phrases
        self.changed = True
        self._added(key)

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

    def __init__(self, directory: Path, model: str, kind: str = "documents",
                 checkpoint_every: int | None = None) -> None:
        self.checkpoint_every = checkpoint_every
        recipe = f"{model}|{CHUNK_WORDS}" if kind == "documents" else f"{model}|{kind}"
        tag = hashlib.sha256(recipe.encode()).hexdigest()[:12]
        self.path = directory / f"embeddings-{tag}.npz"
        self.vectors: dict[str, np.ndarray] = self._load_with_parts()

    def get(self, text: str) -> np.ndarray | None:
        return self.vectors.get(TextCache.key(text))

    def put(self, text: str, vector: np.ndarray) -> None:
        key = TextCache.key(text)
        self.vectors[key] = vector.astype(np.float16)
        self._added(key)

    def _entries(self) -> dict[str, np.ndarray]:
        return self.vectors

    def _write(self, path: Path, keys: list[str]) -> None:
        keys = sorted(keys)
        save_npz(path, keys=np.array(keys), vectors=np.vstack([self.vectors[k] for k in keys]))

    def _read(self, path: Path) -> dict[str, np.ndarray]:
        return load_npz(path, lambda data: dict(zip(data["keys"].tolist(), data["vectors"], strict=True)),
                        "Embedding cache") or {}
