"""Watchlist matching: whole phrases, any case, plural optional, hyphen or space alike, exclusions; and
``about`` with the real model."""

from __future__ import annotations

import numpy as np
import pytest

from generator.analysis.keyphrases import PhraseEmbedder, extract_keyphrases
from generator.analysis.watchlists import ABOUT_MIN_COSINE, match_watchlists
from generator.config import DigestConfig, WatchlistSettings
from generator.records import Paper


def _paper(pid: str, title: str, abstract: str = "", keyphrases: tuple[str, ...] = ()) -> Paper:
    return Paper(id=pid, title=title, abstract=abstract, sightings=[], keyphrases=list(keyphrases))


PAPERS = [
    _paper("plural", "Pre-Trained LLMs for Speech Recognizers"),
    _paper("hyphen", "A study", "We build a pre trained LLM."),
    _paper("keyphrase", "Something else", "", ("pretrained llm", "pre-trained LLM")),
    _paper("inside", "Prefix pre-trained LLMology is not a match"),
    _paper("excluded", "Pre-trained LLMs for image captioning"),
    _paper("across", "A pre", "", ("x pre", "trained LLM")),
]


def test_a_term_matches_as_a_whole_phrase_in_any_case_plural_and_hyphen_alike_and_exclusions_hold():
    watchlist = WatchlistSettings(name="LLMs", include=("pre-trained LLM",), exclude=("image captioning",))
    [matched] = match_watchlists(PAPERS, [watchlist], {}, None)
    assert matched.id == "llms" and matched.paper_ids == ["hyphen", "keyphrase", "plural"]


def test_a_plural_term_finds_the_singular_and_several_terms_add_up():
    watchlist = WatchlistSettings(name="Two", include=("speech recognizer", "Image Captionings"))
    [matched] = match_watchlists(PAPERS, [watchlist], {}, None)
    assert matched.paper_ids == ["excluded", "plural"]


@pytest.mark.slow
def test_about_admits_the_papers_closest_to_its_sentence_and_exclusions_still_hold(tmp_path):
    config = DigestConfig(cache_dir=tmp_path)
    topics = {"speech": "Speech recognition for low-resource languages with little transcribed audio.",
              "proteins": "Protein structure prediction with deep learning from amino acid sequences.",
              "vision": "Image classification with convolutional networks on ImageNet."}
    papers = [_paper(f"{name}-{n}", f"{text} Part {n}", text)
              for name, text in topics.items() for n in range(40)]
    papers.append(_paper("speech-excluded", "Speech recognition for low-resource languages, with a survey",
                         topics["speech"]))
    embeddings, _ = extract_keyphrases(papers, config.keyphrases, tmp_path)
    embed = PhraseEmbedder(config.keyphrases, tmp_path, kind="sentences")
    about = "Automatic speech recognition when transcribed data is scarce"
    watchlist = WatchlistSettings(name="ASR", include=("no such phrase",), exclude=("survey",), about=about)
    [matched] = match_watchlists(papers, [watchlist], embeddings, embed)
    assert matched.paper_ids and all(i.startswith("speech-") for i in matched.paper_ids)
    assert "speech-excluded" not in matched.paper_ids
    assert len(matched.paper_ids) <= max(1, len(papers) // 100)
    vector = embed([about])[0]
    assert all(float(embeddings[i] @ vector) >= ABOUT_MIN_COSINE for i in matched.paper_ids)
    assert float(np.mean([embeddings[f"proteins-{n}"] @ vector for n in range(40)])) < ABOUT_MIN_COSINE
