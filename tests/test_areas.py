"""Areas: a large digest's topics grouped by their papers' embeddings and named by a shared word."""

from __future__ import annotations

import numpy as np

from generator.analysis.areas import group_into_areas
from generator.records import Topic

FIELDS = {
    "speech": ["speech recognition", "speech synthesis", "streaming speech", "speech translation"],
    "image": ["image generation", "image segmentation", "image captioning", "image retrieval"],
    "protein": ["protein folding", "protein design", "protein language", "protein structure"],
    "graph": ["graph neural networks", "knowledge graph", "graph transformers", "molecular graph"],
}


def _digest(seed: int = 0) -> tuple[list[Topic], dict[str, np.ndarray]]:
    """Four fields far apart, four topics each, whose papers lie close to their field's direction."""
    rng = np.random.default_rng(seed)
    topics, embeddings = [], {}
    for f, (field, labels) in enumerate(FIELDS.items()):
        direction = np.zeros(32)
        direction[f] = 1.0
        for t, label in enumerate(labels):
            ids = [f"{field}-{t}-{n}" for n in range(3 + t)]
            for paper_id in ids:
                vector = direction + 0.15 * rng.standard_normal(32)
                embeddings[paper_id] = vector / np.linalg.norm(vector)
            topics.append(Topic(label.replace(" ", "-"), label, ids))
    return topics, embeddings


def test_topics_of_one_field_form_one_area_named_by_their_shared_word():
    topics, embeddings = _digest()
    areas = group_into_areas(topics, embeddings, areas_from=10)
    assert len(areas) == 4
    by_label = {area.label: set(area.topic_ids) for area in areas}
    expected = {field: {label.replace(" ", "-") for label in labels} for field, labels in FIELDS.items()}
    assert by_label == expected
    assert sorted(t for area in areas for t in area.topic_ids) == sorted(t.id for t in topics)
    assert len({area.id for area in areas}) == 4


def test_a_digest_with_few_topics_has_no_areas():
    topics, embeddings = _digest()
    assert group_into_areas(topics, embeddings, areas_from=16) == []


def test_areas_do_not_depend_on_the_order_of_the_topics():
    topics, embeddings = _digest()
    assert group_into_areas(topics[::-1], embeddings, 10) == group_into_areas(topics, embeddings, 10)


def test_an_area_whose_labels_share_no_word_takes_its_largest_topics_label():
    topics, embeddings = _digest()
    relabel = {"graph-neural-networks": "GNNs", "knowledge-graph": "link prediction",
               "graph-transformers": "message passing", "molecular-graph": "molecules"}
    for topic in topics:
        topic.label = relabel.get(topic.id, topic.label)
    areas = group_into_areas(topics, embeddings, areas_from=10)
    graph = next(area for area in areas if "molecular-graph" in area.topic_ids)
    assert graph.label == "molecules"
