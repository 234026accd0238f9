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
