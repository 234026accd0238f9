"""Topics from keyphrases: variants merge, heads gather longer phrases, small groups stay out."""

from __future__ import annotations

from generator.config import TopicSettings
from generator.records import Paper
from generator.topics import build_topics, phrase_heads, phrase_key


def _papers(*keyphrases: list[str]) -> list[Paper]:
    return [Paper(id=f"p{i}", title=f"Paper {i}", abstract="", sightings=[], keyphrases=list(k))
            for i, k in enumerate(keyphrases)]


def test_case_plural_and_hyphen_variants_share_a_key():
    assert phrase_key("Diffusion Models") == phrase_key("diffusion model") == phrase_key("diffusion-model")
    assert phrase_key("loss") != phrase_key("los")
    assert phrase_heads("streaming speech recognition") == [
        "streaming speech recognition", "speech recognition"]
    assert phrase_heads("multi-talker ASR") == ["multi-talker ASR"]


def test_topics_gather_variants_and_heads_and_keep_the_commonest_spelling():
    papers = _papers(["Diffusion Models", "video generation"], ["diffusion model"], ["latent diffusion models"],
                     ["speech recognition", "ASR"], ["Streaming Speech Recognition"], ["ASR"])
    topics = build_topics(papers, TopicSettings(min_papers=2))
    assert [(t.label, t.paper_ids) for t in topics] == [
        ("ASR", ["p3", "p5"]),
        ("Diffusion Models", ["p0", "p1", "p2"]),
        ("Speech Recognition", ["p3", "p4"]),
    ]
    assert [p.topics for p in papers] == [["diffusion-model"], ["diffusion-model"], ["diffusion-model"],
                                          ["speech-recognition", "asr"], ["speech-recognition"], ["asr"]]


def test_phrases_shared_by_fewer_papers_than_the_minimum_make_no_topic():
    papers = _papers(["graph neural networks"], ["graph neural network"], ["protein folding"])
    assert [t.label for t in build_topics(papers, TopicSettings(min_papers=3))] == []
    assert [t.label for t in build_topics(papers, TopicSettings(min_papers=2))] == ["graph neural network"]
