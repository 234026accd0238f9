"""A build killed half-way through embedding keeps every finished slice: the next build embeds only the
rest, and its site is the site an uninterrupted build makes, byte for byte."""

from __future__ import annotations

import logging
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.analysis.cache import EmbeddingStore
from generator.cli import build_site
from generator.config import KeyphraseSettings

from .conftest import REPO, make_project

QUESTIONS = REPO / "tests" / "fixtures" / "questions"
SLICE = 10

pytestmark = pytest.mark.slow


def _project(folder: Path) -> Path:
    return make_project(folder, folder / "cache", dumps=[str(QUESTIONS)],
                        keyphrases={"checkpoint_texts": SLICE})


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _kill_once_a_slice_is_saved(config_file: Path, out: Path, cache: Path, kind: str) -> None:
    """Start a build and SIGKILL it once the embedding cache of ``kind`` has saved a slice."""
    store = EmbeddingStore(cache, KeyphraseSettings().model, kind=kind).path
    command = [sys.executable, "-m", "generator.cli", "build", "-f", str(config_file), "--out", str(out)]
    build = subprocess.Popen(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 600
    while not list(cache.glob(f"{store.name}.part-*")):
        assert build.poll() is None, "the build ended before it saved a slice"
        assert time.monotonic() < deadline, "no slice saved in ten minutes"
        time.sleep(0.05)
    build.send_signal(signal.SIGKILL)
    assert build.wait() == -signal.SIGKILL


def test_a_build_killed_mid_extraction_resumes_and_builds_the_same_site(tmp_path, caplog):
    whole = build_site(_project(tmp_path / "whole"), out=tmp_path / "whole" / "site")

    folder = tmp_path / "killed"
    config_file, cache, out = _project(folder), folder / "cache", folder / "site"
    _kill_once_a_slice_is_saved(config_file, out, cache, "documents")
    assert not out.exists(), "a killed build leaves no site"
    assert not (cache / "keyphrases.json").exists() and list(cache.glob("keyphrases.json.part-*"))
    assert list(folder.glob(".site.building-*")), "the killed build's staging folder is left behind"

    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.digest"):
        resumed = build_site(config_file, out=out)
    cached, extracted = map(int, re.search(r"Keyphrases: (\d+) from the cache, (\d+) extracted",
                                           caplog.text).groups())
    assert cached >= SLICE and cached % SLICE == 0 and cached + extracted == 60, (cached, extracted)
    assert "resuming an interrupted build" in caplog.text
    assert "An earlier build (pid" in caplog.text and "Waiting for" not in caplog.text, "its lock is taken"
    assert list(cache.glob("*.part-*")) == [], "the parts are merged into the caches"
    assert list(folder.glob(".site.building-*")) == [], "the next build removes earlier staging folders"
    first, second = _snapshot(whole), _snapshot(resumed)
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def test_a_build_killed_while_embedding_the_words_of_the_query_encoder_keeps_them_too(tmp_path, caplog):
    """The words the search's query encoder is fitted on: thousands of short texts after the keyphrases."""
    config_file = _project(tmp_path)
    cache, out = tmp_path / "cache", tmp_path / "site"
    words = EmbeddingStore(cache, KeyphraseSettings().model, kind="words").path
    _kill_once_a_slice_is_saved(config_file, out, cache, "words")
    assert (cache / "keyphrases.json").exists(), "the keyphrase stage had finished and saved its caches"
    saved = len(EmbeddingStore(cache, KeyphraseSettings().model, kind="words").vectors)
    assert saved >= SLICE and not words.exists()

    with caplog.at_level(logging.INFO, logger="mkdocs.plugins.digest"):
        build_site(config_file, out=out)
    assert "Keyphrases: 60 from the cache, 0 extracted" in caplog.text
    assert list(cache.glob("*.part-*")) == [] and words.exists()
    assert len(EmbeddingStore(cache, KeyphraseSettings().model, kind="words").vectors) > saved
