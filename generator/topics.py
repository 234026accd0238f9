"""Stage 5: keyphrases → topics.

A topic gathers the papers sharing a keyphrase, matched regardless of case and plural form. A
keyphrase also counts for the phrases it ends with ("streaming speech recognition" for "speech
recognition"), so that papers meet under the shared head. Phrases shared by at least ``min_papers``
papers become topics.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from slugify import slugify

from .config import TopicSettings
from .records import Paper, Topic


def phrase_key(phrase: str) -> str:
    words = phrase.lower().replace("-", " ").split()
    if words and len(words[-1]) > 3 and words[-1].endswith("s") and not words[-1].endswith("ss"):
        words[-1] = words[-1][:-1]
    return " ".join(words)


def phrase_heads(phrase: str) -> list[str]:
    """The phrase, then the trailing sub-phrases of two words or more it ends with, longest first."""
    words = phrase.split()
    return [" ".join(words[i:]) for i in range(max(len(words) - 1, 1))]


def build_topics(papers: list[Paper], settings: TopicSettings) -> list[Topic]:
    """Topics ordered by label; sets ``paper.topics`` to the ids of each paper's topics."""
    members: dict[str, list[str]] = defaultdict(list)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for paper in papers:
        for phrase in paper.keyphrases:
            for head in phrase_heads(phrase):
                key = phrase_key(head)
                if paper.id not in members[key]:
                    members[key].append(paper.id)
                spellings[key][head] += 1
    keys = _without_redundant_heads(sorted(k for k, ids in members.items() if len(ids) >= settings.min_papers),
                                    members)
    ids = _topic_ids(keys)
    topics = sorted(
        (Topic(ids[key], _label(spellings[key]), sorted(members[key]), key) for key in keys),
        key=lambda t: (t.label.lower(), t.id),
    )
    by_key = {t.key: t for t in topics}
    for paper in papers:
        paper.topics = _distinct(t.id for p in paper.keyphrases if (t := topic_for(p, by_key)))
    return topics


def topic_for(phrase: str, topics_by_key: dict[str, Topic]) -> Topic | None:
    """The most specific topic a keyphrase belongs to."""
    keys = (phrase_key(head) for head in phrase_heads(phrase))
    return next((topics_by_key[k] for k in keys if k in topics_by_key), None)


def _without_redundant_heads(keys: list[str], members: dict[str, list[str]]) -> list[str]:
    """Drop a head ("neural network") whose papers all share a longer topic ("graph neural network")."""
    kept = set(keys)
    for key in keys:
        words = key.split()
        for start in range(1, len(words) - 1):
            head = " ".join(words[start:])
            if head in kept and set(members[head]) <= set(members[key]):
                kept.discard(head)
    return sorted(kept)


def _label(spellings: Counter[str]) -> str:
    """The most used spelling; ties go to the one with capitals (acronyms), then alphabetically."""
    return min(spellings, key=lambda s: (-spellings[s], s == s.lower(), s))


def _topic_ids(keys: list[str]) -> dict[str, str]:
    ids: dict[str, str] = {}
    taken: set[str] = set()
    for key in keys:
        base = slugify(key, max_length=60, word_boundary=True) or "topic"
        slug, n = base, 2
        while slug in taken:
            slug, n = f"{base}-{n}", n + 1
        taken.add(slug)
        ids[key] = slug
    return ids


def _distinct(items: object) -> list[str]:
    return list(dict.fromkeys(items))  # type: ignore[call-overload]
