"""Topics from keyphrases: variants and acronyms merge, common and generic phrases stay out, and a paper
joins a topic only when it is about it."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import generator.analysis.topics as topics_module
from bench.topic_measures import similarity_ratio
from generator.analysis.keyphrases import PhraseEmbedder
from generator.analysis.phrases import topic_key
from generator.analysis.topics import (
    acronym_expansions,
    assign,
    backdrop_stems,
    build_topics,
    content_key,
    phrase_heads,
    wording_variants,
)
from generator.config import KeyphraseSettings, TopicSettings
from generator.records import Paper, Topic


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def _corpus(spec: list[tuple[list[str], np.ndarray]]) -> tuple[list[Paper], dict[str, np.ndarray]]:
    papers = [Paper(id=f"p{i:02d}", title=f"Paper {i}", abstract="", sightings=[], keyphrases=k)
              for i, (k, _) in enumerate(spec)]
    return papers, {p.id: vector for p, (_, vector) in zip(papers, spec, strict=True)}


SPEECH, VISION, PROTEIN = _unit(1, 0.1, 0), _unit(0.1, 1, 0), _unit(0, 0.1, 1)


def test_variants_of_case_plural_hyphen_and_inflection_share_a_group_key():
    assert topic_key("Pre-trained Language Models") == topic_key("pretrained language model")
    assert topic_key("language modeling") == topic_key("Language Models")
    assert topic_key("speech recognition") != topic_key("speech synthesis")
    assert phrase_heads("streaming speech recognition") == [
        "streaming speech recognition", "speech recognition"]
    assert phrase_heads("fine-tuning large language models") == ["large language models", "language models"]
    assert phrase_heads("ASR") == ["ASR"]
    assert phrase_heads("question answering datasets") == ["question answering datasets"]
    assert phrase_heads("subsequence string kernels") == ["subsequence string kernels", "string kernels"]


def test_acronyms_join_the_expansion_that_abstracts_define():
    texts = ["Large language models (LLMs) are big.", "We use low-rank adaptation (LoRA) and "
             "reinforcement learning from human feedback (RLHF).", "The state of the art (SOTA) moves."]
    assert acronym_expansions(texts) == {
        topic_key("LLMs"): topic_key("large language models"),
        topic_key("LoRA"): topic_key("low-rank adaptation"),
        topic_key("RLHF"): topic_key("reinforcement learning from human feedback"),
    }


def test_topics_merge_variants_and_acronyms_and_papers_about_nothing_there_stay_unplaced():
    papers, embeddings = _corpus([
        (["speech recognition"], SPEECH), (["automatic speech recognition"], SPEECH),
        (["Speech Recognition"], SPEECH), (["LLMs"], VISION), (["large language models"], VISION),
        (["Large Language Model"], VISION), (["protein folding"], PROTEIN), (["folding proteins"], PROTEIN),
        ([], SPEECH),
    ])
    texts = {"p03": "We study large language models (LLMs)."}
    topics = build_topics(papers, TopicSettings(min_papers=2, max_share=0.5), embeddings, texts)
    assert {t.label: t.paper_ids for t in topics} == {
        "large language model (LLMs)": ["p03", "p04", "p05"],
        "speech recognition": ["p00", "p01", "p02", "p08"],
    }
    assert [p.topics for p in papers[5:]] == [["large-language-model-llms"], [], [], ["speech-recognition"]]


def test_a_phrase_most_papers_share_is_no_topic():
    fields = [SPEECH, VISION, PROTEIN]
    papers, embeddings = _corpus([(["language model", f"topic {i // 3}"], fields[i // 3]) for i in range(9)])
    topics = build_topics(papers, TopicSettings(min_papers=3, max_share=0.4), embeddings)
    assert "language model" not in {t.label for t in topics}
    assert sorted(t.label for t in topics) == ["topic 0", "topic 1", "topic 2"]


def test_papers_keep_at_most_the_configured_number_of_topics(monkeypatch):
    monkeypatch.setattr(topics_module, "MIN_COHESION", 0.0)  # overlapping groups of alike papers
    groups = {"alpha beta": {0, 1, 2, 3}, "gamma delta": {3, 4, 5, 6}, "epsilon zeta": {0, 3, 6, 7}}
    spec = [([phrase for phrase, members in groups.items() if i in members], _unit(1, 0.1 * i, 0.2))
            for i in range(8)]
    papers, embeddings = _corpus(spec)
    topics = build_topics(papers, TopicSettings(min_papers=3, max_share=1.0, max_topics_per_paper=2),
                          embeddings)
    assert len(topics) == 3
    assert len(papers[3].topics) == 2
    assert all(1 <= len(p.topics) <= 2 for p in papers)


def test_same_input_gives_the_same_topics():
    spec = [([f"phrase {i % 4}", f"other {i % 3}"], _unit(1, i % 4, i % 3)) for i in range(24)]
    runs = []
    for _ in range(2):
        papers, embeddings = _corpus(spec)
        topics = build_topics(papers, TopicSettings(min_papers=3, max_share=0.5), embeddings)
        runs.append(([(t.id, t.label, t.paper_ids) for t in topics], [p.topics for p in papers]))
    assert runs[0] == runs[1]
    assert runs[0][0]


def test_similarity_ratio_is_above_one_for_tight_groups():
    embeddings = {"a": SPEECH, "b": SPEECH, "c": VISION, "d": VISION}
    assert similarity_ratio([["a", "b"], ["c", "d"]], embeddings) > 1.5
    assert similarity_ratio([["a", "c"], ["b", "d"]], embeddings) < 1.0


@pytest.mark.slow
def test_near_synonyms_with_close_papers_merge_and_look_alikes_with_distant_papers_do_not(tmp_path):
    near = [_unit(1, 0.05 * i, 0) for i in range(8)]
    spec = ([(["neural networks"], v) for v in near[::2]]
            + [(["neural models"], v) for v in near[1::2]]
            + [(["image generation"], _unit(0, 1, 0.05 * i)) for i in range(4)]
            + [(["video generation"], _unit(0, 0.05 * i, 1)) for i in range(4)])
    papers, embeddings = _corpus(spec)
    embedder = PhraseEmbedder(KeyphraseSettings(), tmp_path)
    topics = build_topics(papers, TopicSettings(min_papers=3, max_share=0.5), embeddings, {}, embedder)
    assert sorted(sorted([t.label, *t.synonyms]) for t in topics) == [
        ["image generation"], ["neural models", "neural networks"], ["video generation"]]
    assert next(t for t in topics if t.synonyms).paper_ids == [f"p{i:02d}" for i in range(8)]
    assert list(tmp_path.glob("embeddings-*.npz")), "phrase embeddings are cached"
    cached = PhraseEmbedder(KeyphraseSettings(), tmp_path).store.vectors
    assert len(cached) == 4


def test_a_paper_without_a_topic_phrase_joins_a_topic_only_as_close_as_its_members():
    near = _unit(1, 0.12, 0.02)
    speech = [_unit(1, 0.3, 0), _unit(1, 0, 0.3), _unit(1, 0.1, 0.1)]
    protein = [_unit(0, 0.3, 1), _unit(0.3, 0, 1), _unit(0.1, 0.1, 1)]
    spec = ([([], near)] * 2 + [([], VISION)] + [(["speech recognition"], v) for v in speech]
            + [(["protein folding"], v) for v in protein])
    papers, embeddings = _corpus(spec)
    topics = build_topics(papers, TopicSettings(min_papers=3, max_share=0.5), embeddings)
    assert [p.topics for p in papers[:3]] == [["speech-recognition"], ["speech-recognition"], []]
    assert {t.label: len(t.paper_ids) for t in topics} == {"speech recognition": 5, "protein folding": 3}


def test_papers_are_placed_alike_when_their_similarities_are_taken_a_few_at_a_time(monkeypatch):
    spec = [([f"phrase {i % 4}", f"other {i % 3}"] if i % 5 else [], _unit(1, i % 4, i % 3 + 0.1 * (i % 7)))
            for i in range(40)]
    runs = []
    for rows in (topics_module.SIMILARITY_ROWS, 3):
        monkeypatch.setattr(topics_module, "SIMILARITY_ROWS", rows)
        papers, embeddings = _corpus(spec)
        topics = build_topics(papers, TopicSettings(min_papers=3, max_share=0.5), embeddings)
        runs.append(([(t.id, t.paper_ids) for t in topics], [p.topics for p in papers]))
    assert runs[0] == runs[1]
    assert any(not keyphrases and placed for (keyphrases, _), placed in zip(spec, runs[0][1], strict=True)), \
        "some paper without a topic phrase is placed by similarity"


def test_labels_say_something_once_in_one_casing():
    spec = ([(["training data"], SPEECH)] * 3 + [(["prediction tasks"], SPEECH)] * 3
            + [(["BERT"], VISION)] * 3 + [(["BERT models"], VISION)] * 2
            + [(["Vision-Language Models"], PROTEIN)] * 3 + [(["Fine-Tuning"], _unit(1, 1, 1))] * 2
            + [(["finetuning"], _unit(1, 1, 1))])
    papers, embeddings = _corpus(spec)
    topics = build_topics(papers, TopicSettings(min_papers=2, max_share=1.0), embeddings)
    assert {t.label: t.synonyms for t in topics} == {"BERT": ["BERT models"], "vision-language models": [],
                                                     "fine-tuning": []}, "a title's capitals are no acronym"


def test_an_acronym_spelt_out_two_ways_makes_the_two_wordings_one_phrase():
    texts = ["We extend rotary position embedding (RoPE) to images.",
             "Rotary position encoding (RoPE) fails beyond the training length.",
             "We forecast each time series (TS).", "Every time step (TS) costs a call."]
    assert wording_variants(texts) == {
        topic_key("rotary position encoding"): topic_key("rotary position embedding"),
        topic_key("position encoding"): topic_key("position embedding"),
    }


def test_a_word_nearly_every_text_uses_says_nothing_in_that_digest_only():
    texts = [f"Multilingual language models for task {i}." for i in range(20)]
    backdrop = backdrop_stems(texts)
    assert {topic_key("language"), topic_key("multilingual")} <= backdrop
    assert backdrop_stems(texts[:10]) == frozenset(), "too few texts to tell a backdrop from a theme"
    texts = [f"Language models for task {i}." for i in range(12)] + [
        f"Multilingual protein {i} folds." for i in range(8)]
    backdrop = backdrop_stems(texts)
    assert content_key("multilingual language models", backdrop) == content_key("multilingual models")
    assert content_key("transformer-based language models", backdrop) == content_key("transformer models")
    assert content_key("multilingual language models") != content_key("multilingual models")


def test_labels_that_differ_by_a_word_for_one_thing_are_one_topic_whatever_their_papers(monkeypatch):
    monkeypatch.setattr(topics_module, "MIN_COHESION", 0.0)  # papers of three fields under one label
    spec = ([(["sentence embeddings"], SPEECH)] * 4 + [(["sentence representations"], VISION)] * 3
            + [(["sentence encoders"], PROTEIN)] * 3 + [(["video encoding"], SPEECH)] * 3
            + [(["video embeddings"], SPEECH)] * 3)
    papers, embeddings = _corpus(spec)
    topics = build_topics(papers, TopicSettings(min_papers=3, max_share=1.0), embeddings)
    assert {t.label: (t.synonyms, len(t.paper_ids)) for t in topics} == {
        "sentence embeddings": (["sentence encoders", "sentence representations"], 10),
        "video embeddings": ([], 3),
        "video encoding": ([], 3),
    }
    assert content_key("word vectors") == content_key("Word Embeddings") != content_key("word encodings")


def test_a_noun_in_sis_and_its_adjective_in_tic_say_the_same():
    assert (content_key("data synthesis") == content_key("synthetic data generation")
            == content_key("synthetic data"))
    assert content_key("analysis tools") == content_key("analytic tools")
    assert content_key("speech synthesis") != content_key("speech recognition")
    assert content_key("diagnosis") != content_key("diagnostic") and content_key("basis") == topic_key("basis")


def test_a_phrase_whose_papers_are_no_more_alike_than_the_digest_is_no_topic():
    spec = ([(["speech recognition", "neural networks"], SPEECH)] * 3 + [(["neural networks"], VISION)] * 2
            + [(["neural networks"], PROTEIN)] * 2 + [(["image segmentation"], VISION)] * 3
            + [(["protein folding"], PROTEIN)] * 3)
    papers, embeddings = _corpus(spec)
    topics = build_topics(papers, TopicSettings(min_papers=3, max_share=1.0), embeddings)
    assert sorted(t.label for t in topics) == ["image segmentation", "protein folding", "speech recognition"]


def test_a_topic_that_labels_saying_the_same_leave_no_more_alike_than_the_digest_is_dropped():
    between = _unit(1, 1, 0)
    spec = [(["BERT"], SPEECH)] * 3 + [(["BERT models"], VISION)] * 3 + [(["mixed topic"], between)] * 6
    papers, embeddings = _corpus(spec)
    topics = build_topics(papers, TopicSettings(min_papers=3, max_share=1.0), embeddings)
    assert [t.label for t in topics] == ["mixed topic"]


def test_a_phrase_whose_papers_a_topic_mostly_holds_is_an_aspect_of_it():
    both = ["knowledge distillation", "teacher model"]
    spec = ([(["knowledge distillation"], SPEECH)] * 3 + [(both, SPEECH)] * 3 + [(["teacher model"], SPEECH)]
            + [(["protein folding"], PROTEIN)] * 3)
    papers, embeddings = _corpus(spec)
    topics = build_topics(papers, TopicSettings(min_papers=3, max_share=1.0), embeddings)
    assert [(t.label, t.synonyms, len(t.paper_ids)) for t in topics] == [
        ("knowledge distillation", ["teacher model"], 7), ("protein folding", [], 3)]


def test_of_two_labels_that_say_the_same_the_one_in_fewer_words_names_the_topic():
    spec = ([(["text embedding benchmark"], SPEECH)] * 4 + [(["text embeddings"], SPEECH)] * 3
            + [(["protein folding"], PROTEIN)] * 3)
    papers, embeddings = _corpus(spec)
    topics = build_topics(papers, TopicSettings(min_papers=3, max_share=1.0), embeddings)
    assert [(t.label, t.synonyms, len(t.paper_ids)) for t in topics] == [
        ("protein folding", [], 3), ("text embeddings", ["text embedding benchmark"], 7)]


def test_labels_that_differ_by_the_digests_backdrop_or_a_spelt_out_acronym_are_one_topic(monkeypatch):
    monkeypatch.setattr(topics_module, "MIN_COHESION", 0.0)  # four topics on three directions
    spec = ([(["multilingual language models"], SPEECH)] * 3 + [(["multilingual models"], SPEECH)] * 3
            + [(["rotary position embedding"], VISION)] * 2 + [(["position encoding"], VISION)] * 4
            + [(["speech recognition"], PROTEIN)] * 4 + [(["speech synthesis"], PROTEIN)] * 4 + [([], VISION)])
    papers, embeddings = _corpus(spec)
    texts = {p.id: f"Language models, paper {i}." for i, p in enumerate(papers)}
    texts |= {"p06": "Rotary position embedding (RoPE) for language.",
              "p08": "Rotary position encoding (RoPE) in language models."}
    topics = build_topics(papers, TopicSettings(min_papers=3, max_share=1.0), embeddings, texts)
    assert {t.label: (t.synonyms, len(t.paper_ids)) for t in topics} == {
        "multilingual models": (["multilingual language models"], 6),
        "position encoding": (["position embedding"], 7),  # with the paper of no keyphrase, as close
        "speech recognition": ([], 4),
        "speech synthesis": ([], 4),
    }


def test_placement_never_takes_a_topic_past_its_largest_size():
    spec = [(["speech recognition"], SPEECH)] * 3 + [([], SPEECH)] * 5 + [([], PROTEIN)] * 2
    papers, embeddings = _corpus(spec)
    speech = Topic("speech-recognition", "speech recognition", ["p00", "p01", "p02"], "speechrecognit")
    settings = TopicSettings(min_papers=2, max_share=0.5)
    assign(papers, [speech], embeddings, settings)
    assert len(speech.paper_ids) == settings.largest_topic(len(papers)) == 5
    assert {"p00", "p01", "p02"} <= set(speech.paper_ids), "the phrase's own papers stay"
    assert sum(bool(p.topics) for p in papers[3:8]) == 2


def test_a_paper_a_full_topic_leaves_out_joins_the_next_topic_it_is_close_to():
    recognition, synthesis, between = _unit(1, 0, 0), _unit(1, 0.6, 0), _unit(1, 0.2, 0)
    spec = ([(["speech recognition"], recognition)] * 3 + [(["speech synthesis"], synthesis)] * 2
            + [([], between)] * 4 + [([], VISION)] * 10 + [([], PROTEIN)] * 10)
    papers, embeddings = _corpus(spec)
    topics = [Topic("speech-recognition", "speech recognition", ["p00", "p01", "p02"], "speechrecognit"),
              Topic("speech-synthesis", "speech synthesis", ["p03", "p04"], "speechsynthesi")]
    settings = TopicSettings(min_papers=2, max_share=0.14)
    assign(papers, topics, embeddings, settings)
    assert settings.largest_topic(len(papers)) == 4
    assert [len(t.paper_ids) for t in topics] == [4, 4]
    assert sorted(tuple(p.topics) for p in papers[5:9]) == [(), ("speech-recognition",),
                                                            ("speech-synthesis",), ("speech-synthesis",)]


def test_a_paper_whose_text_names_a_topic_needs_less_closeness_to_join_it_when_nothing_else_fits():
    members = [_unit(1, 0.3, 0), _unit(1, 0, 0.3), _unit(1, 0.1, 0.1)]
    middling = _unit(1, 1.1, 0)
    spec = ([(["speech recognition"], v) for v in members] + [([], _unit(1, 0.9, 0))] * 4
            + [([], middling)] * 2 + [([], VISION)] * 4 + [([], PROTEIN)] * 6 + [([], PROTEIN)])
    papers, embeddings = _corpus(spec)
    speech = Topic("speech-recognition", "speech recognition", ["p00", "p01", "p02"], "speechrecognit",
                   aliases=["speechrecognit"])
    names_it = {papers[7].id: {"speechrecognit"}, papers[-1].id: {"speechrecognit"}}
    assign(papers, [speech], embeddings, TopicSettings(min_papers=2, max_share=0.9), names_it)
    assert papers[7].topics == ["speech-recognition"], "named in its text, and closer than most"
    assert papers[8].topics == [], "as close, but its text does not name the topic"
    assert papers[-1].topics == [], "named, but about something else"


def test_wordings_the_configuration_declares_one_make_one_topic_named_by_the_first():
    spec = ([(["next-token prediction"], SPEECH)] * 4 + [(["autoregressive modeling"], SPEECH)] * 3
            + [(["ARMs"], SPEECH)] + [(["speech recognition"], VISION)] * 3
            + [(["speech synthesis"], PROTEIN)] * 3 + [(["next-token prediction models"], SPEECH)] * 3)
    papers, embeddings = _corpus(spec)
    texts = {"p07": "Autoregressive models (ARMs) predict the next token."}
    settings = TopicSettings(min_papers=3, max_share=1.0)
    assert len(build_topics(papers, settings, embeddings, texts)) == 4
    same = (("autoregressive modeling", "Next Token Prediction"),)
    topics = build_topics(papers, dataclasses.replace(settings, same=same), embeddings, texts)
    assert {t.label: (t.synonyms, len(t.paper_ids)) for t in topics} == {
        "autoregressive modeling": (["next-token prediction", "next-token prediction models"], 11),
        "speech recognition": ([], 3),
        "speech synthesis": ([], 3),
    }
    assert topics[0].id == "autoregressive-modeling"
