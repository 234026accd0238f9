"""Measures of a set of topics that the benches report and the tests check: how tight their groups are
against the whole corpus, and which labels name the same thing twice."""

from __future__ import annotations

import itertools

import numpy as np

from generator.analysis.phrases import topic_key
from generator.analysis.topics import mean_pair_similarity


def similarity_ratio(groups: list[list[str]], embeddings: dict[str, np.ndarray]) -> float:
    """Mean within-group pair similarity (averaged over groups of 2+) over that of all papers."""
    within = [mean_pair_similarity([embeddings[i] for i in g]) for g in groups if len(g) >= 2]
    overall = mean_pair_similarity(list(embeddings.values()))
    return float(np.mean(within)) / overall if within else 0.0


def variant_pairs(labels: list[str]) -> list[tuple[str, str]]:
    """Label pairs that name the same thing: same words up to case, plural, inflection and hyphens, or
    one the acronym of the other."""
    pairs = []
    for a, b in itertools.combinations(labels, 2):
        if topic_key(a) == topic_key(b) or _acronym_of(a, b) or _acronym_of(b, a):
            pairs.append((a, b))
    return pairs


def _acronym_of(short: str, long: str) -> bool:
    """``short`` is one token whose capitals are the initials of ``long``'s words ("LLMs", "LoRA")."""
    capitals = "".join(c for c in short if c.isupper())
    words = long.replace("-", " ").split()
    return (" " not in short.strip() and len(capitals) >= 2 and len(words) >= 2
            and capitals.lower() == "".join(w[0] for w in words).lower())


def near_synonym_pairs(labels: list[str], vectors: np.ndarray, threshold: float = 0.75
                       ) -> list[tuple[str, str]]:
    """Label pairs for a reader to judge: labels whose embeddings (unit rows of ``vectors``) are this
    close, or that name one thing's different heads ("position encoding", "position embedding": the
    same words but the last). Synonyms and distinct ideas alike ("speech recognition", "speech
    synthesis"): what the merge rule left apart, for a reader to tell which."""
    pairs = []
    for (i, a), (j, b) in itertools.combinations(enumerate(labels), 2):
        words_a, words_b = _words(a), _words(b)
        other_head = len(words_a) == len(words_b) >= 2 and words_a[:-1] == words_b[:-1]
        if float(vectors[i] @ vectors[j]) >= threshold or other_head:
            pairs.append((a, b))
    return pairs


def _words(label: str) -> list[str]:
    return [topic_key(word) for word in label.split(" (")[0].split()]
