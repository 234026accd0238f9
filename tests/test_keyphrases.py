"""Keyphrases with the real all-MiniLM-L6-v2 model, and the on-disk cache that spares re-embedding."""

from __future__ import annotations

import dataclasses
import json
import logging

import pytest

from generator.config import KeyphraseSettings
from generator.keyphrases import (
    KeyphraseCache,
    KeyphraseExtractor,
    candidate_phrases,
    choose_device,
    extract_keyphrases,
    settings_fingerprint,
)
from generator.records import Paper

SPEECH = ("Multi-talker ASR with Large Language Models. Recognizing overlapping speech from multiple "
          "speakers is one of the hardest problems for automatic speech recognition. We propose an "
          "LLM-based serialized output training approach for multi-talker ASR that uses a "
          "pre-trained speech encoder.")
DIFFUSION = ("Few-Step Diffusion Models. Diffusion models produce high quality images but need many denoising "
             "steps. We distil a latent diffusion model into a student that generates images in four steps.")


def test_candidates_are_phrases_cut_at_stop_words_and_punctuation_with_hyphens_and_case_kept():
    candidates = candidate_phrases("We propose multi-talker ASR, a LLaMA-2 model for the speech of 3 speakers.")
    assert "multi-talker ASR" in candidates
    assert "LLaMA-2 model" in candidates
    assert "speech" in candidates
    assert not any(c.split()[0].lower() in {"we", "a", "the", "for", "of"} for c in candidates)
    assert not any("," in c or "." in c for c in candidates)


def test_long_runs_of_content_words_give_their_sub_phrases():
    assert candidate_phrases("streaming transformer transducer model", max_words=3) == [
        "streaming transformer", "transformer transducer", "transducer model",
        "streaming transformer transducer", "transformer transducer model",
    ]


def test_extractor_ranks_phrases_of_each_text_with_the_real_model():
    settings = KeyphraseSettings(top_n=4)
    speech, diffusion = KeyphraseExtractor(settings).extract([SPEECH, DIFFUSION], progress=False)
    assert len(speech) == 4 and len(diffusion) == 4
    assert all(p in SPEECH for p in speech) and all(p in DIFFUSION for p in diffusion)
    assert any("ASR" in p or "speech" in p.lower() for p in speech[:2])
    assert any("diffusion" in p.lower() for p in diffusion[:2])
    assert len({p.lower() for p in speech}) == len(speech)


def test_device_is_chosen_automatically_and_cpu_here_without_a_gpu():
    import torch

    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert choose_device("auto") in (expected, "mps")
    assert choose_device("cpu") == "cpu"


def _paper(pid: str, text: str) -> Paper:
    title, abstract = text.split(". ", 1)
    return Paper(id=pid, title=title, abstract=abstract, sightings=[])


def test_cache_embeds_only_new_papers_and_is_invalidated_by_new_settings(tmp_path):
    settings = KeyphraseSettings(top_n=3)
    first = [_paper("a", SPEECH)]
    assert extract_keyphrases(first, settings, tmp_path) == {"cached": 0, "extracted": 1}
    both = [_paper("a", SPEECH), _paper("b", DIFFUSION)]
    assert extract_keyphrases(both, settings, tmp_path) == {"cached": 1, "extracted": 1}
    assert both[0].keyphrases == first[0].keyphrases
    assert all(p.keyphrases for p in both)
    changed = dataclasses.replace(settings, diversity=0.2)
    assert settings_fingerprint(changed) != settings_fingerprint(settings)
    assert settings_fingerprint(dataclasses.replace(settings, device="cpu")) == settings_fingerprint(settings)
    assert extract_keyphrases(both, changed, tmp_path) == {"cached": 0, "extracted": 2}


@pytest.mark.parametrize("content", ["{not json", json.dumps({"keyphrases": [1, 2]}), ""])
def test_corrupt_cache_is_detected_and_rebuilt(tmp_path, caplog, content):
    (tmp_path / "keyphrases.json").write_text(content)
    with caplog.at_level(logging.WARNING):
        cache = KeyphraseCache(tmp_path, "fingerprint")
    assert cache.entries == {}
    assert "unreadable" in caplog.text
    cache.put("text", ["phrase"])
    cache.save()
    assert KeyphraseCache(tmp_path, "fingerprint").get("text") == ["phrase"]
