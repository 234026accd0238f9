"""Topics that stay put as the digest grows: the chosen topics are kept in a state file between builds.

The first build, or ``digest topics --rebuild``, clusters the whole digest (``topics.build_topics``).
Every later build starts from the kept topics: a paper seen before keeps exactly its topics, a new paper
joins the kept topics whose phrase it carries (or its nearest, when close enough), and a new topic is made
only when the new papers, with those that no topic holds, form one. A topic whose papers have all left
the digest is retired; a rebuild retires the topics it does not find again. A retired topic's address
stays, as a redirect to its successor, the topic that holds most of its papers.

Centroids are not stored: they follow from the members and the cached document embeddings.

The state is published with the site too (``digest-topics.json`` at its root), so that it outlives the
project's state file: a build that finds no state file (a CI cache evicted, a fresh machine) reads the
copy in the previous site, or one fetched from the published site, and every topic keeps its address.
A digest built into another folder than the project's site keeps its topics in its own site only, apart
from the project's.
"""

from __future__ import annotations

import dataclasses
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
from mkdocs.plugins import get_plugin_logger

from generator.analysis.phrases import topic_key
from generator.analysis.topics import (
    OVERLAP_LIMIT,
    Cohesion,
    PaperPhrases,
    PhraseEmbedder,
    also_covers,
    assign,
    build_topics,
    candidates_by_key,
    choose,
    jaccard,
    make_topics,
    ranked_candidates,
    relate,
    standing_apart,
    warn_of_unused,
)
from generator.config import TopicSettings
from generator.disk import replaced
from generator.records import Paper, RetiredTopic, Topic

log = get_plugin_logger("digest")

STATE_VERSION = 1
"""Bump when the meaning of a kept topic changes; a state of another version is rebuilt."""
PUBLISHED_STATE = "digest-topics.json"
"""The kept topics' path in the site."""


@dataclass
class TopicState:
    topics: list[Topic] = field(default_factory=list)
    papers: dict[str, list[str]] = field(default_factory=dict)
    """Every paper of the build that wrote the state, placed or not, with its topics in order."""
    retired: list[RetiredTopic] = field(default_factory=list)


@dataclass(frozen=True)
class StateFiles:
    """Where a digest's kept topics are read from and written to."""

    kept: Path | None
    """The project's state file (``topics.state_file``); None for other dumps built into another folder
    (an experiment), whose topics are kept in its site alone."""
    published: Path | None = None
    """The copy in the site the build replaces, read when ``kept`` is missing or None."""


def load_state(files: StateFiles) -> TopicState | None:
    """The kept topics, or None when there are none (first build) or the file cannot be used."""
    if files.kept is not None and files.kept.exists():
        return _read_state(files.kept)
    if files.published is not None and files.published.exists():
        if files.kept is not None:
            log.info("No topic state at %s: the topics are kept from the published copy, %s",
                     files.kept, files.published)
        return _read_state(files.published)
    return None


def _read_state(path: Path) -> TopicState | None:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("version") != STATE_VERSION:
            log.warning("Topic state %s is of another version; topics are rebuilt", path)
            return None
        return TopicState([Topic(**t) for t in raw["topics"]], dict(raw["papers"]),
                          [RetiredTopic(**r) for r in raw["retired"]])
    except (ValueError, KeyError, TypeError) as err:
        log.warning("Topic state %s is unreadable (%s); topics are rebuilt", path, err)
        return None


def save_state(files: StateFiles, text: str) -> None:
    """The state as ``state_json`` writes it, into the project's state file unless it holds it already."""
    if files.kept is None or (files.kept.exists() and files.kept.read_text(encoding="utf-8") == text):
        return
    with replaced(files.kept, "w") as tmp:
        tmp.write(text)


def state_json(state: TopicState) -> str:
    """The state as its file holds it, and as the site publishes it."""
    payload = {"version": STATE_VERSION, "topics": [asdict(t) for t in state.topics],
               "papers": state.papers, "retired": [asdict(r) for r in state.retired]}
    return json.dumps(payload, ensure_ascii=False, sort_keys=True)


def kept_topics(papers: list[Paper], settings: TopicSettings, embeddings: dict[str, np.ndarray],
                texts: dict[str, str], embed_phrases: PhraseEmbedder | None,
                phrase_keys: Callable[[str], list[str]] | None, files: StateFiles, rebuild: bool = False
                ) -> tuple[TopicState, str]:
    """``update_topics`` from the topics kept in ``files``, keeping the new state there when it belongs
    to this digest; returns it with its text (published with the site)."""
    state, keep = update_topics(papers, settings, embeddings, texts, embed_phrases, phrase_keys,
                                load_state(files), rebuild=rebuild)
    text = state_json(state)
    if keep:
        save_state(files, text)
    return state, text


def update_topics(papers: list[Paper], settings: TopicSettings, embeddings: dict[str, np.ndarray],
                  texts: dict[str, str], embed_phrases: PhraseEmbedder | None,
                  phrase_keys: Callable[[str], list[str]] | None, state: TopicState | None,
                  rebuild: bool = False) -> tuple[TopicState, bool]:
    """The topics of ``papers``, grown from ``state`` (or clustered anew when there is none, or on
    ``rebuild``); sets ``paper.topics``. Returns the new state and whether to keep it: a build of other
    dumps, holding fewer than half the papers the state knows, is clustered on its own and leaves the
    kept topics as they are."""
    other = state is not None and len({p.id for p in papers} & set(state.papers)) < len(state.papers) / 2
    if other and not rebuild:
        log.info("Most papers of the kept topics are not in this build: its topics are clustered on their "
                 "own, and the kept ones stay for the digest they belong to")
    if state is None or rebuild or other or not state.topics:
        topics = build_topics(papers, settings, embeddings, texts, embed_phrases, phrase_keys)
        retired = _retire(state, topics) if state and rebuild else []
        return TopicState(topics, _memberships(papers), retired), rebuild or not other
    return _grow(papers, settings, embeddings, texts, phrase_keys, state), True


def _grow(papers: list[Paper], settings: TopicSettings, embeddings: dict[str, np.ndarray],
          texts: dict[str, str], phrase_keys: Callable[[str], list[str]] | None,
          state: TopicState) -> TopicState:
    present = {p.id for p in papers}
    kept, gone = [], []
    for topic in state.topics:
        members = [i for i in topic.paper_ids if i in present]
        (kept if members else gone).append(Topic(topic.id, topic.label, members, topic.key, topic.aliases,
                                                 topic.phrases, topic.synonyms))
    phrases = PaperPhrases.of(papers, texts, phrase_keys, settings.same)
    kept, joined = _join_declared(kept, phrases)
    alive = {t.id for t in kept}
    moved = {r.id: r.successor for r in joined}
    fixed = {p.id: list(dict.fromkeys(moved.get(t, t) for t in state.papers[p.id] if moved.get(t, t) in alive))
             for p in papers if p.id in state.papers}
    fresh = {p.id for p in papers if not fixed.get(p.id)}
    candidates = candidates_by_key(papers, phrases)
    warn_of_unused(settings.same, phrases, candidates)
    for topic in kept:
        topic.aliases = sorted({*topic.aliases, *(phrases.expanded(a) for a in topic.aliases)})
        topic.paper_ids = sorted(set(topic.paper_ids) | _carriers(topic, candidates, fresh))
        topic.label = _current_label(topic, candidates, phrases)
        topic.synonyms = _declared_covers(topic, candidates, phrases)
    added = _new_topics(papers, settings, embeddings, phrases, candidates, kept, fresh, state)
    topics = kept + added
    assign(papers, topics, embeddings, settings, phrases.in_text,
           fixed={i: ids for i, ids in fixed.items() if ids},
           judged={p.id for p in papers if state.papers.get(p.id) == []})
    topics = sorted((t for t in topics if t.paper_ids), key=lambda t: (t.label.lower(), t.id))
    relate(topics, papers, embeddings)
    retired = sorted(state.retired + [RetiredTopic(t.id, t.label) for t in gone] + joined, key=lambda r: r.id)
    if added or gone or joined:
        log.info("Topics: %d kept, %d new, %d retired, %d joined as the configuration says (their addresses "
                 "redirect)", len(kept), len(added), len(gone), len(joined))
    return TopicState(topics, _memberships(papers), retired)


def _join_declared(kept: list[Topic], phrases: PaperPhrases) -> tuple[list[Topic], list[RetiredTopic]]:
    """Kept topics whose phrases the configuration declares one idea (``TopicSettings.same``) become
    one: the topic of the first wording (else the largest) takes the others' papers, and their addresses
    redirect to it; the labels they had are shown as "Also covers". Returns the topics left and those
    joined."""
    groups: dict[str, list[Topic]] = defaultdict(list)
    for topic in kept:
        target = phrases.expanded(topic.key)
        if target in phrases.names:
            groups[target].append(topic)
    joined: list[RetiredTopic] = []
    for target, group in groups.items():
        host = min(group, key=lambda t: (t.key != target, -len(t.paper_ids), t.id))
        if topic_key(host.label) != topic_key(phrases.names[target]):
            host.synonyms = sorted({*host.synonyms, host.label}, key=str.lower)
        for other in (t for t in group if t is not host):
            host.paper_ids = sorted({*host.paper_ids, *other.paper_ids})
            host.aliases = sorted({*host.aliases, *other.aliases})
            host.synonyms = sorted({*host.synonyms, other.label, *other.synonyms}, key=str.lower)
            joined.append(RetiredTopic(other.id, other.label, host.id))
    gone = {r.id for r in joined}
    return [t for t in kept if t.id not in gone], joined


def _memberships(papers: list[Paper]) -> dict[str, list[str]]:
    return {paper.id: list(paper.topics) for paper in sorted(papers, key=lambda p: p.id)}


def _current_label(topic: Topic, candidates: dict, phrases: PaperPhrases) -> str:
    """The spelling the digest's papers now use most for the topic's phrase: a label improves as papers
    come ("Masked Language Models" → "masked language modeling") while the id, and so the address,
    stays. A kept topic's phrase joins the expansion or wording the digest's texts now give it
    (``PaperPhrases.expansions``), so that new papers using either wording still join it."""
    candidate = candidates.get(phrases.expanded(topic.key))
    if candidate is None or not phrases.content(candidate.label):
        return topic.label
    return candidate.label


def _declared_covers(topic: Topic, candidates: dict, phrases: PaperPhrases) -> list[str]:
    """A kept topic's "Also covers", with the other wordings its papers now carry where the configuration
    declares them one (``TopicSettings.same``), as a new topic of those wordings would list them."""
    candidate = candidates.get(phrases.expanded(topic.key))
    if candidate is None or not candidate.named:
        return topic.synonyms
    said = {topic_key(label) for label in [topic.label, *topic.synonyms]}
    return sorted([*topic.synonyms, *(c for c in also_covers(candidate) if topic_key(c) not in said)],
                  key=str.lower)


def _carriers(topic: Topic, candidates: dict, among: set[str]) -> set[str]:
    """The papers of ``among`` whose keyphrases carry the topic's phrase or one of its variants."""
    return {i for alias in topic.aliases if alias in candidates for i in candidates[alias].papers if i in among}


def _new_topics(papers: list[Paper], settings: TopicSettings, embeddings: dict[str, np.ndarray],
                phrases: PaperPhrases, candidates: dict, kept: list[Topic], fresh: set[str],
                state: TopicState) -> list[Topic]:
    """Topics that the new material forms: phrases no kept topic covers, shared by enough papers that
    no topic holds yet; they hold those papers only, so no earlier paper moves."""
    room = settings.topics_allowed(len(papers)) - len(kept)
    if room <= 0 or not fresh:
        return []
    cohesion = Cohesion.of(papers, embeddings)
    ranked, limit = ranked_candidates(papers, settings, cohesion, phrases, candidates)
    needed = settings.papers_needed(len(papers))
    covered = {alias for t in kept for alias in t.aliases}
    said = {phrases.content(t.label) for t in kept}
    eligible = []
    for candidate in ranked:
        candidate = dataclasses.replace(candidate, papers=candidate.papers & fresh)
        if (len(candidate.papers) >= needed and not candidate.aliases & covered
                and phrases.content(candidate.label) not in said
                and all(jaccard(candidate.papers, set(t.paper_ids)) < OVERLAP_LIMIT for t in kept)):
            eligible.append(candidate)
    taken = {t.id for t in kept} | {r.id for r in state.retired}
    chosen = choose(eligible, room, limit, None, phrases.content)
    return make_topics(standing_apart(chosen, cohesion), taken=taken)


def _retire(state: TopicState, topics: list[Topic]) -> list[RetiredTopic]:
    """After a rebuild: every earlier topic whose address the new topics do not have, with the new topic
    that holds most of its papers as successor."""
    now = {t.id for t in topics}
    retired = [r for r in state.retired if r.id not in now]
    for old in state.topics:
        if old.id in now:
            continue
        overlap = {t.id: len(set(old.paper_ids) & set(t.paper_ids)) for t in topics}
        best = max(sorted(overlap), key=lambda i: overlap[i], default="")
        retired.append(RetiredTopic(old.id, old.label, best if overlap.get(best) else ""))
    return sorted(retired, key=lambda r: r.id)
