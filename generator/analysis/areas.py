"""Stage 5b: topics → areas, the second level of a large digest's topic index.

A digest of thousands of papers has hundreds of topics: an A-Z list of them is hard to browse. Its
topics are grouped into areas (Ward clustering of the topics' centroids, about the square root of the
number of topics), each named by the word its topics' labels share most, weighted by their papers
("speech" for "speech recognition", "speech synthesis" and "text-to-speech"); an area whose labels share
no word takes its largest topic's label. Areas are recomputed from the topics on every build: they are
sections of the topic index, not addresses anyone subscribes to.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict

import numpy as np
from sklearn.cluster import AgglomerativeClustering

from generator.analysis.phrases import FUNCTION_WORDS, topic_key
from generator.analysis.topics import GENERIC_STEMS, PLAIN_WORD, centroid
from generator.records import Area, Topic
from generator.slugs import unique_slugs


def group_into_areas(topics: list[Topic], embeddings: dict[str, np.ndarray], areas_from: int) -> list[Area]:
    """Areas of the topics, largest first, once there are more than ``areas_from`` topics; none before."""
    if len(topics) <= max(areas_from, 1):
        return []
    ordered = sorted(topics, key=lambda t: t.id)
    centroids = np.vstack([centroid(t, embeddings) for t in ordered])
    count = round(math.sqrt(len(ordered)))
    groups = AgglomerativeClustering(n_clusters=count, linkage="ward").fit_predict(centroids)
    members: dict[int, list[Topic]] = defaultdict(list)
    for topic, group in zip(ordered, groups, strict=True):
        members[int(group)].append(topic)
    clusters = sorted(members.values(), key=lambda ts: (-_papers(ts), min(t.id for t in ts)))
    labels = _distinct_labels(clusters)
    slugs = unique_slugs(labels, fallback="area")
    return [Area(slug, label, [t.id for t in sorted(cluster, key=lambda t: t.label.lower())])
            for slug, label, cluster in zip(slugs, labels, clusters, strict=True)]


def _papers(topics: list[Topic]) -> int:
    return sum(len(t.paper_ids) for t in topics)


def _distinct_labels(clusters: list[list[Topic]]) -> list[str]:
    """Each area's best shared word not already taken by a larger area, else its largest topic's label."""
    taken: set[str] = set()
    labels = []
    for cluster in clusters:
        words = [w for w in _shared_words(cluster) if w.lower() not in taken]
        largest = max(cluster, key=lambda t: (len(t.paper_ids), t.label.lower())).label
        label = words[0] if words else largest
        taken.add(label.lower())
        labels.append(label)
    return labels


def _shared_words(topics: list[Topic]) -> list[str]:
    """Content words that two or more of the topics' labels share, by the papers of the topics that share
    them, each in its most used spelling."""
    weight: Counter[str] = Counter()
    labels: Counter[str] = Counter()
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for topic in topics:
        for stem, word in _content_words(topic.label).items():
            weight[stem] += len(topic.paper_ids)
            labels[stem] += 1
            spellings[stem][word] += 1
    shared = sorted((s for s in weight if labels[s] >= 2), key=lambda s: (-weight[s], s))
    return [min(spellings[s], key=lambda w: (-spellings[s][w], w)) for s in shared]


def _content_words(label: str) -> dict[str, str]:
    words = PLAIN_WORD.findall(label.split(" (")[0])
    return {stem: word for word in words if word.lower() not in FUNCTION_WORDS
            and (stem := topic_key(word)) not in GENERIC_STEMS}
