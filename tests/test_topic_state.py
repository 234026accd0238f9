"""Topics kept between builds: a new dump adds papers to them and new topics beside them, never moves
what readers already follow; a rebuild retires what it does not find again, each with a successor."""

from __future__ import annotations

import dataclasses
import logging

import numpy as np

from generator.analysis.topic_state import (
    StateFiles,
    TopicState,
    kept_topics,
    load_state,
    save_state,
    state_json,
    update_topics,
)
from generator.config import TopicSettings
from generator.records import Paper, RetiredTopic

SETTINGS = TopicSettings(min_papers=3, max_share=0.5)


def _unit(*values: float) -> np.ndarray:
    vector = np.array(values, dtype=np.float32)
    return vector / np.linalg.norm(vector)


def _papers(spec: list[tuple[str, list[str], np.ndarray]]) -> tuple[list[Paper], dict[str, np.ndarray]]:
    papers = [Paper(id=i, title=i, abstract="", sightings=[], keyphrases=k) for i, k, _ in spec]
    return papers, {i: v for i, _, v in spec}


def _speech(i: int) -> np.ndarray:
    return _unit(1, 0.1 * (i % 3), 0.05 * (i % 2))


def _protein(i: int) -> np.ndarray:
    return _unit(0.05 * (i % 2), 0.1 * (i % 3), 1)


def _grow(papers, embeddings, state, **kwargs):
    return update_topics(papers, SETTINGS, embeddings, {}, None, None, state, **kwargs)


FIRST = ([(f"s{i}", ["speech recognition"], _speech(i)) for i in range(4)]
         + [(f"p{i}", ["protein folding"], _protein(i)) for i in range(4)])


def test_a_new_day_joins_kept_topics_and_moves_no_earlier_paper():
    papers, embeddings = _papers(FIRST)
    state, keep = _grow(papers, embeddings, None)
    assert keep and [t.id for t in state.topics] == ["protein-folding", "speech-recognition"]
    before = {p.id: list(p.topics) for p in papers}
    more, more_embeddings = _papers([*FIRST, ("s9", ["streaming speech recognition"], _speech(9)),
                                     ("x1", [], _unit(0.9, 0.1, 0.4))])
    grown, keep = _grow(more, {**embeddings, **more_embeddings}, state)
    assert keep and [t.id for t in grown.topics] == ["protein-folding", "speech-recognition"]
    assert {p.id: p.topics for p in more if p.id in before} == before
    assert next(p for p in more if p.id == "s9").topics == ["speech-recognition"]
    assert sorted(grown.papers) == sorted(p.id for p in more)


def test_new_material_makes_a_new_topic_beside_the_kept_ones():
    papers, embeddings = _papers(FIRST)
    state, _ = _grow(papers, embeddings, None)
    before = {p.id: list(p.topics) for p in papers}
    new = [(f"d{i}", ["diffusion models"], _unit(0.1 * i, 1, 0.1)) for i in range(3)]
    more, more_embeddings = _papers(FIRST + new)
    grown, _ = _grow(more, more_embeddings, state)
    assert [t.id for t in grown.topics] == ["diffusion-models", "protein-folding", "speech-recognition"]
    assert {p.id: p.topics for p in more if p.id in before} == before


def test_a_label_follows_the_spelling_most_papers_use_while_its_address_stays():
    papers, embeddings = _papers(FIRST)
    state, _ = _grow(papers, embeddings, None)
    more = [(f"s{i}", ["speech-recognition"], _speech(i)) for i in range(10, 16)]
    grown_papers, more_embeddings = _papers(FIRST + more)
    grown, _ = _grow(grown_papers, more_embeddings, state)
    speech = next(t for t in grown.topics if t.id == "speech-recognition")
    assert speech.label == "speech-recognition"
    assert {p.id for p in grown_papers if "speech-recognition" in p.topics} == {p[0] for p in FIRST[:4] + more}


def test_a_paper_left_without_a_topic_joins_one_later_only_by_carrying_its_phrase():
    papers, embeddings = _papers(FIRST)
    state, _ = _grow(papers, embeddings, None)
    judged = {"near": [], "carrier": []}
    state = TopicState(state.topics, {**state.papers, **judged}, [])
    later, later_embeddings = _papers([*FIRST, ("near", [], _speech(5)),
                                       ("carrier", ["speech recognition"], _protein(5))])
    _grow(later, later_embeddings, state)
    assert {p.id: p.topics for p in later if p.id in judged} == {"near": [], "carrier": ["speech-recognition"]}
    fresh, fresh_embeddings = _papers([*FIRST, ("near", [], _speech(5))])
    _grow(fresh, fresh_embeddings, TopicState(state.topics, {k: v for k, v in state.papers.items()
                                                             if k not in judged}, []))
    assert next(p for p in fresh if p.id == "near").topics == ["speech-recognition"]


def test_a_rebuild_retires_what_it_does_not_find_again_with_a_successor():
    papers, embeddings = _papers(FIRST)
    state, _ = _grow(papers, embeddings, None)
    renamed = dataclasses.replace(state.topics[1], id="asr")
    old = TopicState([state.topics[0], renamed], state.papers, [])
    rebuilt, keep = _grow(papers, embeddings, old, rebuild=True)
    assert keep
    assert rebuilt.retired == [RetiredTopic("asr", "speech recognition", "speech-recognition")]
    grown, _ = _grow(papers, embeddings, rebuilt)
    assert grown.retired == rebuilt.retired


def test_a_build_of_other_dumps_leaves_the_kept_topics_alone():
    papers, embeddings = _papers(FIRST)
    state, _ = _grow(papers, embeddings, None)
    diffusion = [(f"d{i}", ["diffusion models"], _unit(0.1 * i, 1, 0.1)) for i in range(3)]
    other, other_embeddings = _papers(diffusion)
    result, keep = _grow(other, other_embeddings, state)
    assert not keep
    assert [t.id for t in result.topics] == ["diffusion-models"]


def test_the_state_file_round_trips_and_a_damaged_one_is_rebuilt(tmp_path, caplog):
    papers, embeddings = _papers(FIRST)
    state, _ = _grow(papers, embeddings, None)
    state.retired.append(RetiredTopic("asr", "ASR", "speech-recognition"))
    path = tmp_path / "topics.json"
    save_state(StateFiles(path), state_json(state))
    assert load_state(StateFiles(path)) == state
    assert path.read_text(encoding="utf-8") == state_json(state), "the file is what the site publishes"
    path.write_text("{not json")
    assert load_state(StateFiles(path)) is None
    assert "unreadable" in caplog.text
    assert load_state(StateFiles(tmp_path / "none.json")) is None


def test_the_published_copy_stands_in_for_a_missing_state_file(tmp_path, caplog):
    papers, embeddings = _papers(FIRST)
    state, _ = _grow(papers, embeddings, None)
    published = tmp_path / "site" / "digest-topics.json"
    published.parent.mkdir()
    published.write_text(state_json(state), encoding="utf-8")
    kept = tmp_path / "cache" / "digest-topics.json"
    with caplog.at_level(logging.INFO):
        assert load_state(StateFiles(kept, published)) == state
    assert f"No topic state at {kept}: the topics are kept from the published copy" in caplog.text
    assert load_state(StateFiles(None, published)) == state, "a digest of another folder: its site alone"
    save_state(StateFiles(None, published), state_json(TopicState()))
    assert not kept.exists() and published.read_text(encoding="utf-8") == state_json(state)


def test_a_kept_topic_takes_new_papers_in_a_wording_the_texts_later_tie_to_its_phrase():
    first = [(f"e{i}", ["position encoding"], _speech(i)) for i in range(4)] + FIRST[4:]
    papers, embeddings = _papers(first)
    state, _ = update_topics(papers, SETTINGS, embeddings, {}, None, None, None)
    assert [t.id for t in state.topics] == ["position-encoding", "protein-folding"]
    later = [*first, ("m1", ["rotary position embedding"], _speech(5)),
             ("m2", ["position embedding"], _speech(6))]
    more, more_embeddings = _papers(later)
    texts = {"e0": "Rotary position encoding (RoPE) for long inputs.",
             "m1": "Rotary position embedding (RoPE) extended to images."}
    grown, _ = update_topics(more, SETTINGS, {**embeddings, **more_embeddings}, texts, None, None, state)
    position = next(t for t in grown.topics if t.id == "position-encoding")
    assert {"m1", "m2"} <= set(position.paper_ids)
    assert [t.id for t in grown.topics] == ["position-encoding", "protein-folding"]


def test_kept_topics_the_configuration_later_declares_one_join_and_the_others_address_redirects():
    spec = ([(f"n{i}", ["next-token prediction"], _speech(i)) for i in range(4)]
            + [(f"a{i}", ["autoregressive modeling"], _speech(i + 1)) for i in range(3)] + FIRST[4:])
    papers, embeddings = _papers(spec)
    state, _ = _grow(papers, embeddings, None)
    assert [t.id for t in state.topics] == [
        "autoregressive-modeling", "next-token-prediction", "protein-folding"]
    same = (("autoregressive modeling", "next-token prediction", "causal modeling"),
            ("protein structure", "protein folding"))
    declared = dataclasses.replace(SETTINGS, same=same)
    papers, more_embeddings = _papers([*spec, ("c1", ["causal modeling"], _speech(5)),
                                       *((f"f{i}", ["protein-folding"], _protein(i)) for i in range(5))])
    embeddings |= more_embeddings
    joined, keep = update_topics(papers, declared, embeddings, {}, None, None, state)
    assert keep and [t.id for t in joined.topics] == ["autoregressive-modeling", "protein-folding"]
    assert [(t.label, t.synonyms, len(t.paper_ids)) for t in joined.topics] == [
        ("autoregressive modeling", ["causal modeling", "next-token prediction"], 8),
        ("protein structure", ["protein folding"], 9)]
    assert joined.retired == [RetiredTopic("next-token-prediction", "next-token prediction",
                                           "autoregressive-modeling")]
    assert {p.id: p.topics for p in papers if p.id[0] in "anc"} == {
        p.id: ["autoregressive-modeling"] for p in papers if p.id[0] in "anc"}
    again, _ = update_topics(papers, declared, embeddings, {}, None, None, joined)
    assert state_json(again) == state_json(joined)


def test_a_declared_wording_that_no_paper_carries_is_named_in_a_warning(tmp_path, caplog):
    papers, embeddings = _papers(FIRST)
    declared = dataclasses.replace(SETTINGS, same=(("speech-to-text", "Speech Recognition", "ASR"),))
    state, _ = kept_topics(papers, declared, embeddings, {}, None, None, StateFiles(tmp_path / "topics.json"))
    assert "no paper's keyphrases carry 'ASR', so it joins nothing" in caplog.text
    assert "speech-to-text'" not in caplog.text, "the first wording names the topic, carried or not"
    assert [(t.id, t.label, t.synonyms) for t in state.topics] == [
        ("protein-folding", "protein folding", []),
        ("speech-to-text", "speech-to-text", ["speech recognition"])]
