"""Keyphrases with the real all-MiniLM-L6-v2 model, and the on-disk cache that spares re-embedding."""

from __future__ import annotations

import dataclasses
import json
import logging

import numpy as np
import pytest

from generator.analysis.cache import EmbeddingStore, TextCache
from generator.analysis.engines.encoders import choose_runtime, encoder_for, length_batches, load_encoder
from generator.analysis.engines.local import KeyphraseExtractor, choose_device, sentence_chunks
from generator.analysis.engines.mmr import rank_by_mmr
from generator.analysis.keyphrases import (
    extract_keyphrases,
    settings_fingerprint,
    text_file_document,
)
from generator.analysis.phrases import CandidateSet, default_workers, noun_phrases, spelling_key
from generator.config import KeyphraseSettings
from generator.ingest.parse import parse_dump
from generator.records import Paper

from .conftest import SEEDS

SPEECH = ("Multi-talker ASR with Large Language Models. Recognizing overlapping speech from multiple "
          "speakers is one of the hardest problems for automatic speech recognition. We propose an "
          "LLM-based serialized output training approach for multi-talker ASR that uses a "
          "pre-trained speech encoder.")
DIFFUSION = ("Few-Step Diffusion Models. Diffusion models produce high quality images but need many denoising "
             "steps. We distil a latent diffusion model into a student that generates images in four steps.")


def test_candidates_are_noun_phrases_with_hyphens_acronyms_and_case_kept():
    text = ("We propose multi-talker ASR, a LLaMA-2 model for the speech of 3 speakers. Recognizing "
            "overlapping speech is hard; the sliding mode control is robust, as is tuning the "
            "controller gains.")
    assert noun_phrases(text) == ["multi-talker ASR", "LLaMA-2 model", "overlapping speech",
                                  "sliding mode control", "controller gains"]
    assert noun_phrases("They improve recall by combining retrieved passages.") == ["retrieved passages"]


def test_an_ing_form_ending_a_phrase_names_an_activity_unless_an_object_follows():
    assert noun_phrases("Speculative decoding is fast; we study instruction fine-tuning.") == [
        "Speculative decoding", "instruction fine-tuning"]
    assert noun_phrases("A model merging method and its weight averaging (WA) step.") == [
        "model merging", "weight averaging", "WA"]
    assert noun_phrases("The method improving the accuracy of speech recognition.") == ["speech recognition"]
    assert noun_phrases("Neural language models bring.") == ["Neural language models"], "no gerund"


def test_words_that_count_or_grade_are_no_part_of_a_phrase():
    text = "A simple adaptive filter and two adaptive filters of the so-called desired kind."
    assert noun_phrases(text) == ["adaptive filter", "adaptive filters"]
    assert noun_phrases("Robust two-stage Kalman filters.", max_words=5) == ["Robust two-stage Kalman filters"]
    kinds = "A lower bound on main memory for common sense reasoning in large language models."
    assert noun_phrases(kinds) == ["lower bound", "main memory", "common sense reasoning",
                                   "large language models"]


def test_candidates_never_straddle_verbs_stop_words_or_punctuation():
    for phrase in noun_phrases("Our method outperforms strong baselines and achieves state-of-the-art results "
                               "on ImageNet, while using fewer parameters; code is available."):
        assert not {"outperforms", "achieves", "using", "our", "on", "and", "is"} & set(phrase.lower().split())
    assert noun_phrases("The model significantly improves retrieval quality.") == ["retrieval quality"]
    assert noun_phrases("Errors inside code spans, outside comment blocks.") == ["code spans", "comment blocks"]


def test_long_compounds_give_their_ending_and_everyday_single_words_are_dropped():
    assert noun_phrases("We use latent root regression analysis.") == ["regression analysis"]
    assert noun_phrases("The services grew. Backpropagation is old. GPT-4 is new.") == [
        "Backpropagation", "GPT-4"]


def test_a_text_with_only_everyday_words_still_gets_candidates():
    assert noun_phrases("Attention is all.") == []
    assert CandidateSet.from_texts(["Attention is all."]).per_document == [["Attention"]]


def test_latex_remnants_are_cleaned_before_candidates_are_found():
    text = r"T\"ULU models are strong (12\%, see \url{https://x.org/a_b}); na\"{\i}ve baselines are weak."
    assert noun_phrases(text) == ["TÜLU models", "naïve baselines"]


def test_case_and_plural_variants_are_one_candidate_spelled_the_commonest_way():
    candidates = CandidateSet.from_texts(["Neural Networks learn.", "A neural network learns.",
                                          "Deep neural networks learn."])
    assert spelling_key("Neural Networks") == spelling_key("neural network")
    assert candidates.per_document == [["neural network"], ["neural network"], ["Deep neural networks"]]


def test_candidates_found_on_several_processes_are_those_found_on_one():
    seeds = [entry for path in sorted(SEEDS.glob("*.txt")) for entry in parse_dump(path).entries]
    texts = [f"{e.title}. {e.abstract}" for e in seeds]
    assert default_workers(len(texts)) == 1, "a few hundred texts are not worth starting processes"
    serial = CandidateSet.from_texts(texts, workers=1)
    assert CandidateSet.from_texts(texts, workers=2) == serial
    assert sum(map(len, serial.per_document)) > 10 * len(texts)


def test_gpu_batches_hold_more_short_texts_and_every_text_once():
    items = ["short phrase"] * 50 + ["word " * 300] * 5 + ["a medium sentence of some words"] * 20
    fixed = list(length_batches(items, 4))
    assert [len(rows) for rows in fixed] == [4] * 18 + [3]
    by_pieces = list(length_batches(items, 4, max_length=256))
    assert sorted(row for rows in by_pieces for row in rows) == list(range(len(items)))
    assert [items[rows[0]] for rows in by_pieces[:2]] == ["word " * 300] * 2, "longest first"
    assert [len(rows) for rows in by_pieces] == [4, 4, 67], "the rest fits the word pieces of 4 long texts"


def test_text_files_read_their_first_lines_as_the_title():
    raw = "A Study of\r\n\tThings [tags]\r\nThe body starts\r\n\there.\r\n"
    assert text_file_document(raw) == "A Study of Things [tags]. The body starts here."
    assert text_file_document("Title only\n") == "Title only"


def test_long_documents_are_embedded_in_sentence_chunks():
    chunks = sentence_chunks("One two three. Four five. Six seven eight nine.", max_words=5)
    assert chunks == ["One two three. Four five.", "Six seven eight nine."]
    assert sentence_chunks("a b c d e f g", max_words=3) == ["a b c", "d e f", "g"]


@pytest.mark.slow
def test_extractor_ranks_phrases_of_each_text_with_the_real_model():
    settings = KeyphraseSettings(top_n=4)
    speech, diffusion = KeyphraseExtractor(settings).extract([SPEECH, DIFFUSION], progress=False)
    assert len(speech) == 4 and len(diffusion) == 4
    assert all(p in SPEECH for p in speech) and all(p in DIFFUSION for p in diffusion)
    assert any("ASR" in p or "speech" in p.lower() for p in speech[:2])
    assert any("diffusion" in p.lower() for p in diffusion[:2])
    assert len({p.lower() for p in speech}) == len(speech)


VIDEO = ("Video Diffusion Models. Latent diffusion models extend from images to video. We train a "
         "video diffusion model with temporal attention and distil it for fast sampling.")


@pytest.mark.slow
def test_slices_give_the_same_keyphrases_and_embed_each_phrase_once(monkeypatch):
    import generator.analysis.engines.local as keyphrases

    texts = [SPEECH, DIFFUSION, VIDEO]
    extractor = KeyphraseExtractor(KeyphraseSettings(top_n=4))
    whole, whole_vectors = extractor.extract_with_embeddings(texts, progress=False)
    embedded: list[str] = []
    encoder = encoder_for(extractor.settings)
    real_encode = encoder.encode

    def spy(items, progress=False):
        embedded.extend(items)
        return real_encode(items, progress)

    monkeypatch.setattr(keyphrases, "SLICE_TEXTS", 1)
    monkeypatch.setattr(encoder, "encode", spy)
    sliced, sliced_vectors = extractor.extract_with_embeddings(texts, progress=False)
    assert sliced == whole
    assert (sliced_vectors * whole_vectors).sum(axis=1).min() > 0.999
    per_text = CandidateSet.from_texts(texts, extractor.settings.max_words).per_document
    assert set(per_text[1]) & set(per_text[2]), "the two diffusion texts share candidates"
    vocabulary = {p for phrases in per_text for p in phrases}
    phrases = [item for item in embedded if item in vocabulary]
    assert sorted(phrases) == sorted(vocabulary), "each phrase is embedded once, in the first slice that has it"


@pytest.mark.slow
def test_batched_mmr_chooses_what_keybert_chooses(monkeypatch):
    """The ranking is KeyBERT's MMR run on many documents at once: on 250 seed abstracts, in batches of
    many sizes (padding included), and on texts with no, one or fewer candidates than asked for, it
    chooses the same phrases in the same order as KeyBERT's own extract_keywords."""
    from keybert import KeyBERT
    from sklearn.feature_extraction.text import CountVectorizer

    import generator.analysis.engines.mmr as mmr

    seeds = [entry for path in sorted(SEEDS.glob("*.txt")) for entry in parse_dump(path).entries]
    texts = [f"{e.title}. {e.abstract}" for e in seeds[::2][:250]]
    texts += ["x", "graph neural networks", "Sparse attention for long video diffusion."]
    settings = KeyphraseSettings()
    extractor = KeyphraseExtractor(settings)
    plain, candidates = extractor.prepare(texts)
    assert [len(c) for c in candidates[-3:-1]] == [0, 1] and len(candidates[-1]) < settings.top_n
    encoder = encoder_for(settings)
    vocabulary = sorted({p for phrases in candidates for p in phrases})
    phrases, documents = encoder.encode(vocabulary), extractor._embed_documents(encoder, plain)
    per_text = dict(zip(plain, candidates, strict=True))
    theirs = KeyBERT(model=encoder).extract_keywords(
        plain, vectorizer=CountVectorizer(analyzer=per_text.__getitem__), top_n=settings.top_n, use_mmr=True,
        diversity=settings.diversity, doc_embeddings=documents, word_embeddings=phrases)
    expected = [[phrase for phrase, _score in doc] for doc in theirs]
    row = {phrase: n for n, phrase in enumerate(vocabulary)}
    rows = [sorted(row[p] for p in phrases_of_text) for phrases_of_text in candidates]
    for cells in (mmr.BATCH_CELLS, 5_000, 1):
        monkeypatch.setattr(mmr, "BATCH_CELLS", cells)
        ours = rank_by_mmr(documents, phrases, rows, settings.top_n, settings.diversity)
        assert [[vocabulary[n] for n in doc] for doc in ours] == expected
    assert expected[-3] == [] and len(expected[-2]) == 1


@pytest.mark.slow
def test_the_torch_encoder_gives_sentence_transformers_own_embeddings():
    texts = [SPEECH, "  graph neural networks ", "", "x", " ".join([DIFFUSION] * 12), "ÄÖÜ naïve café"]
    encoder = load_encoder("all-MiniLM-L6-v2", "cpu", "torch", 2)
    assert encoder.tokenizer is not None, "the bundled model's fast tokenizer is used"
    reference = encoder.model.encode(texts, normalize_embeddings=True)
    assert (encoder.encode(texts) * reference).sum(axis=1).min() > 0.99999


@pytest.mark.slow
def test_onnx_runtime_gives_the_torch_embeddings_and_keyphrases():
    texts = [SPEECH, DIFFUSION, VIDEO, "graph neural networks", "x", "", " ".join([DIFFUSION] * 4)]
    onnx, torch = (load_encoder("all-MiniLM-L6-v2", "cpu", runtime, 32) for runtime in ("onnx", "torch"))
    assert type(onnx).__name__ == "OnnxEncoder" and type(torch).__name__ == "TorchEncoder"
    cosines = (onnx.encode(texts) * torch.encode(texts)).sum(axis=1)
    assert cosines.min() > 0.9999, cosines
    on_onnx, on_torch = (KeyphraseExtractor(KeyphraseSettings(runtime=r)).extract(texts[:3], progress=False)
                         for r in ("onnx", "torch"))
    assert on_onnx == on_torch


@pytest.mark.slow
def test_the_onnx_runtime_keeps_no_telemetry_store_nor_device_id(tmp_path):
    """ONNX Runtime's telemetry (a device id and events under ~/.cache/Microsoft, uploaded when online)
    stays off: a fresh process with its own home encodes a text and leaves nothing there."""
    import os
    import subprocess
    import sys

    script = ("from generator.analysis.engines.encoders import load_encoder\n"
              "print(load_encoder('all-MiniLM-L6-v2', 'cpu', 'onnx', 32).encode(['a text']).shape)")
    environment = {k: v for k, v in os.environ.items() if k != "ORT_DISABLE_TELEMETRY"}
    done = subprocess.run([sys.executable, "-c", script], env={**environment, "HOME": str(tmp_path)},
                          capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "(1, 384)"
    assert not (tmp_path / ".cache" / "Microsoft").exists()


def test_runtime_auto_is_onnx_for_the_bundled_model_on_a_cpu_only():
    assert choose_runtime("auto", "cpu", "all-MiniLM-L6-v2") == "onnx"
    assert choose_runtime("auto", "cuda", "all-MiniLM-L6-v2") == "torch"
    assert choose_runtime("auto", "cpu", "some/other-model") == "torch"
    assert choose_runtime("torch", "cpu", "all-MiniLM-L6-v2") == "torch"


def test_device_is_chosen_automatically_and_cpu_here_without_a_gpu():
    import torch

    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert choose_device("auto") in (expected, "mps")
    assert choose_device("cpu") == "cpu"


def _paper(pid: str, text: str) -> Paper:
    title, abstract = text.split(". ", 1)
    return Paper(id=pid, title=title, abstract=abstract, sightings=[])


@pytest.mark.slow
def test_cache_embeds_only_new_papers_and_is_invalidated_by_new_settings(tmp_path):
    settings = KeyphraseSettings(top_n=3)
    first = [_paper("a", SPEECH)]
    first_embeddings, counts = extract_keyphrases(first, settings, tmp_path)
    assert counts == {"cached": 0, "extracted": 1}
    both = [_paper("a", SPEECH), _paper("b", DIFFUSION)]
    embeddings, counts = extract_keyphrases(both, settings, tmp_path)
    assert counts == {"cached": 1, "extracted": 1}
    assert both[0].keyphrases == first[0].keyphrases
    assert all(p.keyphrases for p in both)
    assert embeddings["a"].shape == (384,)
    assert abs(float(embeddings["a"] @ embeddings["a"]) - 1) < 1e-2
    assert float(embeddings["a"] @ first_embeddings["a"]) > 0.999
    assert float(embeddings["a"] @ embeddings["b"]) < 0.8
    changed = dataclasses.replace(settings, diversity=0.2)
    assert settings_fingerprint(changed) != settings_fingerprint(settings)
    assert settings_fingerprint(dataclasses.replace(settings, device="cpu")) == settings_fingerprint(settings)
    assert extract_keyphrases(both, changed, tmp_path)[1] == {"cached": 0, "extracted": 2}
    (tmp_path / next(p.name for p in tmp_path.glob("embeddings-*.npz"))).write_bytes(b"truncated")
    assert extract_keyphrases(both, changed, tmp_path)[1] == {"cached": 0, "extracted": 2}


@pytest.mark.parametrize("content", ["{not json", json.dumps({"keyphrases": [1, 2]}), "",
                                     json.dumps({"fingerprint": "fingerprint", "keyphrases": {"k": [1]}})])
def test_corrupt_cache_is_detected_and_rebuilt(tmp_path, caplog, content):
    (tmp_path / "keyphrases.json").write_text(content)
    with caplog.at_level(logging.WARNING):
        cache = TextCache(tmp_path, "fingerprint")
    assert cache.entries == {}
    assert "unreadable" in caplog.text
    cache.put("text", ["phrase"])
    cache.save()
    assert TextCache(tmp_path, "fingerprint").get("text") == ["phrase"]


@pytest.mark.slow
def test_a_truncated_cache_file_is_detected_and_rebuilt(tmp_path, caplog):
    papers = [_paper("a", SPEECH), _paper("b", DIFFUSION)]
    settings = KeyphraseSettings(top_n=3)
    extract_keyphrases(papers, settings, tmp_path)
    cache_file = tmp_path / "keyphrases.json"
    cache_file.write_bytes(cache_file.read_bytes()[: cache_file.stat().st_size // 2])
    with caplog.at_level(logging.WARNING):
        assert extract_keyphrases(papers, settings, tmp_path)[1] == {"cached": 0, "extracted": 2}
    assert f"Cache {cache_file} is unreadable" in caplog.text
    assert extract_keyphrases(papers, settings, tmp_path)[1] == {"cached": 2, "extracted": 0}


@pytest.mark.slow
def test_keywords_command_prints_ranked_phrases_per_text_file(tmp_path):
    import subprocess
    import sys

    (tmp_path / "speech.txt").write_text(SPEECH.replace(". ", "\n", 1))
    (tmp_path / "diffusion.txt").write_text(DIFFUSION.replace(". ", "\n", 1))
    (tmp_path / "notes.md").write_text("not a text file")
    result = subprocess.run([sys.executable, "-m", "generator.cli", "keywords", str(tmp_path), "--top-n", "3",
                             "--json"], capture_output=True, text=True, check=True)
    ranked = json.loads(result.stdout)
    assert sorted(ranked) == ["diffusion.txt", "speech.txt"]
    assert [len(v) for v in ranked.values()] == [3, 3]
    assert any("diffusion" in p.lower() for p in ranked["diffusion.txt"])


def test_a_cache_answers_what_it_has_and_computes_only_the_rest(tmp_path):
    calls = []

    def compute(text: str) -> list[str]:
        calls.append(text)
        return text.split()

    cache = TextCache(tmp_path, "v1", name="text-phrases.json")
    assert [cache.through(compute)(t) for t in ("a b", "c")] == [["a", "b"], ["c"]]
    cache.save()
    again = TextCache(tmp_path, "v1", name="text-phrases.json")
    assert again.through(compute)("a b") == ["a", "b"]
    assert calls == ["a b", "c"] and not again.changed
    assert TextCache(tmp_path, "v2", name="text-phrases.json").entries == {}


def test_checkpoints_are_parts_merged_on_load_and_folded_in_by_the_next_save(tmp_path, caplog):
    cache, store = TextCache(tmp_path, "v1"), EmbeddingStore(tmp_path, "model")
    cache.put("first", ["a"])
    store.put("first", np.ones(4))
    cache.checkpoint()
    store.checkpoint()
    cache.put("second", ["b"])
    store.put("second", np.zeros(4))
    cache.checkpoint()
    store.checkpoint()
    assert not (tmp_path / "keyphrases.json").exists() and len(list(tmp_path.glob("*.part-*"))) == 4
    broken = sorted(tmp_path.glob("keyphrases.json.part-*"))[0]
    kept = broken.read_bytes()
    broken.write_bytes(kept[: len(kept) // 2])
    with caplog.at_level(logging.WARNING):
        again, vectors = TextCache(tmp_path, "v1"), EmbeddingStore(tmp_path, "model")
    assert f"Cache {broken} is unreadable" in caplog.text
    assert len(again.entries) == 1 and again.changed, "the whole part stays; the broken one is redone"
    assert vectors.get("first").tolist() == [1] * 4 and vectors.get("second").tolist() == [0] * 4
    again.save()
    vectors.save()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["keyphrases.json", vectors.path.name])
    assert TextCache(tmp_path, "v2").entries == {}, "a part of other settings is not merged"


def test_a_cache_writes_a_part_every_checkpoint_every_new_entries(tmp_path):
    cache = TextCache(tmp_path, "v1", name="summaries.json", checkpoint_every=2)
    store = EmbeddingStore(tmp_path, "model", kind="phrases", checkpoint_every=2)
    for n, text in enumerate(["one", "two", "three"]):
        cache.put(text, [text])
        store.put(text, np.full(4, n))
    assert len(list(tmp_path.glob("summaries.json.part-*"))) == 1
    assert len(list(tmp_path.glob(f"{store.path.name}.part-*"))) == 1
    survived = TextCache(tmp_path, "v1", name="summaries.json")
    assert sorted(survived.entries.values()) == [["one"], ["two"]], "what a killed build had put by then"
    assert EmbeddingStore(tmp_path, "model", kind="phrases").get("two").tolist() == [1] * 4


@pytest.mark.slow
def test_candidates_carried_between_calls_are_not_embedded_again_and_change_nothing(monkeypatch):
    extractor = KeyphraseExtractor(KeyphraseSettings(top_n=4))
    calls = ([SPEECH, DIFFUSION], [VIDEO, DIFFUSION])
    alone = [extractor.extract_with_embeddings(texts, progress=False) for texts in calls]
    encoder = encoder_for(extractor.settings)
    embedded: list[str] = []
    encode = encoder.encode

    def counted(items: list[str], progress: bool = False) -> np.ndarray:
        embedded.extend(items)
        return encode(items)

    monkeypatch.setattr(encoder, "encode", counted)
    carried: dict[str, np.ndarray] = {}
    first = extractor.extract_with_embeddings(calls[0], progress=False, carried=carried)
    assert carried, "the last slice's candidates are left for the next call"
    embedded.clear()
    second = extractor.extract_with_embeddings(calls[1], progress=False, carried=carried)
    for (phrases, vectors), (again, again_vectors) in zip(alone, [first, second], strict=True):
        assert phrases == again and np.array_equal(vectors, again_vectors)
    diffusion = set(extractor.prepare(calls[1])[1][1])
    assert diffusion and not diffusion & set(embedded), "the candidates the first call embedded are reused"
    last = {phrase for phrases in extractor.prepare(calls[1])[1] for phrase in phrases}
    assert set(carried) <= last, "only the last call's candidates stay"


def test_an_earlier_phrase_wins_between_two_as_close_to_the_document():
    document = np.array([[1.0, 0.0, 0.0]], dtype=np.float32)
    phrases = np.array([[0.8, 0.6, 0.0], [0.8, 0.0, 0.6], [0.0, 1.0, 0.0]], dtype=np.float32)
    assert rank_by_mmr(document, phrases, [[0, 1, 2]], 2, 0.3, priors=[[0.0, 0.1, 0.0]]) == [[1, 0]]
    assert rank_by_mmr(document, phrases, [[0, 1, 2]], 2, 0.3, priors=[[0.1, 0.0, 0.0]]) == [[0, 1]]
    assert (rank_by_mmr(document, phrases, [[0, 1, 2]], 3, 0.3)
            == rank_by_mmr(document, phrases, [[0, 1, 2]], 3, 0.3, priors=[[0.0, 0.0, 0.0]]))


def test_the_position_prior_gives_the_first_phrase_the_whole_weight_and_the_last_least():
    extractor = KeyphraseExtractor(KeyphraseSettings(position_weight=0.2))
    priors = extractor._position_priors(["speech recognition", "LLM", "speech encoder", "ASR"],
                                        ["ASR", "LLM", "speech encoder", "speech recognition"])
    assert priors == pytest.approx([0.05, 0.15, 0.1, 0.2])
