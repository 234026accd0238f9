"""Stage 5: keyphrases → topics.

A topic is a canonical phrase that a group of papers shares. Phrases are made canonical by case,
plural, hyphenation and inflection (Porter stems: "Pre-trained Language Models" and "pretrained
language modeling" agree), and an acronym joins the expansion that abstracts define for it ("large
language models (LLMs)"). A keyphrase also counts for the phrases it ends with ("streaming speech
recognition" for "speech recognition").

The choice is corpus-aware. A phrase that more than ``max_share`` of the papers share, among their
keyphrases or anywhere in their text, says nothing about any of them and is never a topic (a small
digest still allows topics of twice ``min_papers``).
Candidates are ranked by how tightly their papers cluster: the mean similarity of their embeddings over
that of random pairs of papers, squared so that cohesion outweighs size, times the square root of their
size. They are taken greedily, skipping a candidate whose papers mostly belong to a chosen topic; a
near-synonym of a chosen topic (close label embeddings and close papers) joins it instead, and so does
one whose label says the same once generic words are left out ("BERT models" and "BERT"), the digest's
backdrop words too ("multilingual language models" and "multilingual models" where most papers are
about language), and one that differs only by words for one thing ("sentence embeddings" and "sentence
representations", ``ONE_THING_WORDS``); a label made only of generic words is never a topic. Two
wordings that papers give for one acronym are one phrase ("rotary position embedding/encoding (RoPE)").
Each paper keeps its 1-5 closest topics among those whose phrase it carries; a paper that carries none
joins a topic only when the evidence holds (``assign``), and may stay without one. ``topic_state`` keeps
the topics between builds.
"""

from __future__ import annotations

import itertools
import math
import re
import warnings
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field

import numpy as np
from mkdocs.plugins import get_plugin_logger

from generator.analysis.phrases import FUNCTION_WORDS, is_gerund, noun_phrases, topic_key
from generator.config import TopicSettings
from generator.records import Paper, Topic
from generator.slugs import unique_slugs

log = get_plugin_logger("digest")

OVERLAP_LIMIT = 0.5
"""A candidate sharing this share (Jaccard) of its papers with a chosen topic is the same topic."""
ASPECT_SHARE = 0.75
"""A candidate whose papers a chosen topic mostly holds already (this share of them) names an aspect of
that topic, not a topic of its own, and joins it as "Also covers": "teacher model" in "knowledge
distillation", "pretrained BERT model" in "BERT", "artificial neural network" in "neural networks".
A page of its own would repeat the topic's papers (``OVERLAP_LIMIT`` misses a small candidate inside a
large topic)."""
SYNONYM_PHRASES = 0.75
SYNONYM_PAPERS = 0.85
"""A candidate whose label embeds this close to a chosen topic's label (cosine), and whose papers'
centroid this close to the topic's, names the same thing in other words ("sentence embeddings",
"sentence representations") and joins it, unless the union is less coherent than the topic was (a
neighbour such as "word embeddings" would dilute it). Neither similarity alone suffices: on MiniLM,
"continual learning" and "lifelong learning" score 0.71 as phrases while "image generation" and "video
generation" score 0.76."""
GENERIC_WORDS = frozenset("""
accuracy algorithm analysis application approach art baseline benchmark capability case corpus data dataset
downstream effectiveness efficiency evaluation example experiment feature framework generation improvement
information input level method model nlg nlp number output paper parameter performance prediction problem
process quality result sample sequence set setting size state study system task technique time training type
use strategy way work
""".split())
"""Words that say nothing of what a paper is about: a label made only of these (and function words),
such as "training data", "NLP tasks", "generation tasks" or "prediction tasks", is never a topic, and two
labels that differ only by them ("BERT", "BERT models") name one topic. Compared by Porter stem."""
GENERIC_STEMS = frozenset(topic_key(word) for word in GENERIC_WORDS)
ONE_THING_WORDS = frozenset({"embedding", "representation", "vector", "encoder"})
"""Words that labels use for one thing, the learnt vector of a text, word or item, and so compared as one:
"sentence embeddings", "sentence representations", "sentence vectors" and "sentence encoders" (what makes
them) name one topic. "Encoding" is not among them: an encoding may be a code ("video encoding")."""
_ONE_THING_STEM = topic_key("embedding")
_SIS_STEM = re.compile(r"(?<=[ey])si$")
"""A noun in -sis and its adjective in -tic name one idea: "data synthesis" and "synthetic data", "text
analysis" and "analytic text", "hypothesis testing" and "hypothetical testing". Their Porter stems differ by
"si" and "t" ("synthesi", "synthet") after an e or a y; other nouns in -sis ("basis", "diagnosis") keep
theirs."""
COMBINING_FORMS = ("-based", "-driven", "-oriented", "-powered")
"""Endings that say how, not what: "transformer-based models" names the topic "transformer models"."""
BACKDROP_SHARE = 0.6
"""A word that this share of the digest's texts use is its backdrop, generic in this digest alone: in a
digest of language-model papers, "language" says no more than "model" ("multilingual language models"
and "multilingual models" name one topic), while in one of control or finance abstracts it keeps its
meaning. Shares measured on the seeds and Inspec: docs/performance.md."""
PLACEMENT_QUANTILE = 0.8
"""A paper whose keyphrases carry no topic's phrase joins a topic only when it is closer to the topic's
centroid than this share of the papers outside the topic are: a threshold calibrated for each topic
against its own background, so that it holds in a tight corpus (every paper about language models) as in
a broad one (abstracts from control, networks, finance); bench/topics.py measures what it places and how
well the labels hold (docs/performance.md)."""
NAMED_PLACEMENT_QUANTILE = 0.5
"""The lower bar for a topic whose phrase (or an alias) the paper's text names though its keyphrases do
not: the text's own word and the closeness together are the evidence (docs/performance.md)."""
MIN_COHESION = 1.1
"""A topic's papers are at least this much more alike (mean cosine of their pairs) than two papers of the
digest taken at random: a phrase that papers of every kind use ("neural networks", "representation
learning", "classification tasks" in a digest of language-model papers) gathers no more alike papers
than the digest itself and names no topic. Abstracts from many fields (Inspec) are far above it
(docs/performance.md). Checked for each phrase, and again for each chosen topic once the labels that say
the same, its aspects and near-synonyms have joined it ("neural models" with "neural language models"
falls to 1.08). A candidate that holds every paper of a small digest has nothing to stand apart from and
is exempt."""
FALLBACK_TOPICS = 5
"""Topics a placed paper may fall back to, nearest first, when placement leaves it out of a full one."""
SIMILARITY_ROWS = 4096
"""Papers whose similarity to every topic is taken at once: all of a large digest's papers against all its
topics were the peak of a whole build (docs/scaling.md)."""
THRESHOLD_SAMPLE = 5000
"""Papers outside a topic that its threshold is estimated from (an even sample by id), and texts that the
backdrop is estimated from, so that the cost stays linear in a digest of 100,000 papers."""
TEXT_KEYS_VERSION = "7"
"""Bump when ``text_phrase_keys`` changes, so cached phrase keys are recomputed."""
TOPIC_WORDS = 3
"""The most words a topic's phrase has: a longer keyphrase counts for the phrases it ends with, since
its first words mostly qualify a topic ("fine-tuning large language models", "modern large language
models") rather than name one."""
DEFINING_PHRASES = 5
RELATED_TOPICS = 5
_ACRONYM_IN_PARENS = re.compile(r"(?<=\w) \(([A-Z][A-Za-z0-9-]*[A-Z][a-z]?s?)\)")
PLAIN_WORD = re.compile(r"[\w'-]+")


def phrase_heads(phrase: str) -> list[str]:
    """The phrases of two to ``TOPIC_WORDS`` words that ``phrase`` ends with, longest first (a shorter
    phrase stands for itself). An ending that starts with a gerund is a fragment of the compound
    ("question answering datasets" does not end with "answering datasets", nor "machine learning
    models" with "learning models")."""
    words = phrase.split()
    starts = range(max(len(words) - TOPIC_WORDS, 0), max(len(words) - 1, 1))
    return [" ".join(words[i:]) for i in starts if i == 0 or not is_gerund(words[i])]


def acronym_expansions(texts: list[str]) -> dict[str, str]:
    """Acronym key → expansion key, from definitions such as "large language models (LLMs)"."""
    return _expansions(_definitions(texts))


def wording_variants(texts: list[str]) -> dict[str, str]:
    """Phrase key → the key of the wording it varies, where papers spell out one acronym in two ways
    that differ only in their last word after at least two shared ones ("rotary position embedding
    (RoPE)", "rotary position encoding (RoPE)"): the two wordings, and the phrases they end with
    ("position embedding"), name one thing. One shared word is not enough: "time series (TS)" and
    "time step (TS)" are two things."""
    return _variants(_definitions(texts))


Definition = tuple[str, tuple[str, ...]]
"""(acronym key, the topic key of each word of its expansion)."""


def _expansions(definitions: Iterable[Definition]) -> dict[str, str]:
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for acronym, expansion in definitions:
        votes[acronym]["".join(expansion)] += 1
    return {acronym: counts.most_common(1)[0][0] for acronym, counts in sorted(votes.items())}


def _variants(definitions: Iterable[Definition]) -> dict[str, str]:
    spelled: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for acronym, expansion in definitions:
        spelled[acronym].add(expansion)
    canonical: dict[str, str] = {}
    for expansions in spelled.values():
        for a, b in itertools.combinations(sorted(expansions), 2):
            if len(a) == len(b) >= 3 and a[:-1] == b[:-1] and a[-1] != b[-1]:
                for start in range(len(a) - 1):
                    _join(canonical, "".join(a[start:]), "".join(b[start:]))
    return {key: _root(canonical, key) for key in sorted(canonical) if _root(canonical, key) != key}


def _definitions(texts: list[str]) -> Iterator[Definition]:
    """Every acronym definition in ``texts``."""
    for text in texts:
        for match in _ACRONYM_IN_PARENS.finditer(text):
            words_before = _words_before(text, match.start())
            expansion = _expansion(words_before, match[1]) if len(words_before) >= 2 else None
            if expansion:
                yield topic_key(match[1]), tuple(topic_key(word) for word in expansion.split())


def _root(parents: dict[str, str], key: str) -> str:
    while parents.get(key, key) != key:
        key = parents[key]
    return key


def _join(parents: dict[str, str], a: str, b: str) -> None:
    """One group for ``a`` and ``b``, named by its alphabetically first key."""
    first, second = sorted((_root(parents, a), _root(parents, b)))
    parents.setdefault(first, first)
    parents[second] = first


def _words_before(text: str, end: int) -> list[str]:
    """Up to the seven words just before ``end`` that are plain words (no punctuation between them)."""
    words = text[max(0, end - 300):end].split(" ")
    taken: list[str] = []
    for word in reversed(words):
        if len(taken) == 7 or not PLAIN_WORD.fullmatch(word):
            break
        taken.append(word)
    return taken[::-1]


def _expansion(words: list[str], acronym: str) -> str | None:
    """The words ending just before "(ACR)" whose initials spell the acronym's capitals, if any:
    "low-rank adaptation (LoRA)", "reinforcement learning from human feedback (RLHF)"."""
    capitals = "".join(c.lower() for c in acronym if c.isupper())
    for start in range(len(words) - 1, -1, -1):
        candidate = words[start:]
        content = [w for w in candidate if w.lower() not in FUNCTION_WORDS]
        whole = "".join(w[0].lower() for w in content)
        parts = "".join(p[0].lower() for w in content for p in w.split("-") if p)
        if capitals in (whole, parts) and candidate[0].lower() not in FUNCTION_WORDS:
            return " ".join(candidate)
        if len(whole) > len(capitals) and len(parts) > len(capitals):
            return None
    return None


@dataclass
class _Candidate:
    key: str
    aliases: set[str]
    papers: set[str]
    spellings: Counter[str]
    """How often each spelling of the topic phrase itself occurs."""
    sources: Counter[str] = field(default_factory=Counter)
    """How often each whole keyphrase that led a paper here occurs."""
    score: float = 0.0
    synonyms: list[str] = field(default_factory=list)
    """Labels of the near-synonym candidates merged into this one."""
    named: str = ""
    """The label the configuration gives the topic (``TopicSettings.same``), if any."""

    @property
    def label(self) -> str:
        return self.named or _label(self.spellings)

    def absorb(self, other: _Candidate) -> None:
        self.papers |= other.papers
        self.aliases |= other.aliases
        self.sources.update(other.sources)
        self.synonyms += [other.label, *other.synonyms]


PhraseEmbedder = Callable[[Sequence[str]], np.ndarray]
"""Unit embeddings of phrases, one row each (``keyphrases.PhraseEmbedder``)."""


def build_topics(papers: list[Paper], settings: TopicSettings, embeddings: dict[str, np.ndarray],
                 texts: dict[str, str] | None = None, embed_phrases: PhraseEmbedder | None = None,
                 phrase_keys: Callable[[str], list[str]] | None = None) -> list[Topic]:
    """Topics ordered by label; sets ``paper.topics`` to each paper's topic ids, closest first.
    Without ``embed_phrases``, near-synonyms are not merged. ``phrase_keys`` may be a cached
    ``text_phrase_keys``."""
    if not papers:
        return []
    phrases = PaperPhrases.of(papers, texts or {}, phrase_keys, settings.same)
    candidates = candidates_by_key(papers, phrases)
    warn_of_unused(settings.same, phrases, candidates)
    cohesion = Cohesion.of(papers, embeddings)
    ranked, limit = ranked_candidates(papers, settings, cohesion, phrases, candidates)
    synonyms = _SynonymTest(ranked, cohesion, embed_phrases) if embed_phrases else None
    chosen = choose(ranked, settings.topics_allowed(len(papers)), limit, synonyms, phrases.content)
    topics = make_topics(standing_apart(chosen, cohesion))
    assign(papers, topics, embeddings, settings, phrases.in_text)
    kept = sorted((t for t in topics if t.paper_ids), key=lambda t: (t.label.lower(), t.id))
    relate(kept, papers, embeddings)
    return kept


@dataclass
class PaperPhrases:
    """The phrases of each paper that topics are matched on: acronym expansions and wording variants
    found in the texts, and the wordings the configuration declares one (``TopicSettings.same``), the
    topic keys of every noun phrase in each paper's text (expanded), and the digest's backdrop words
    (``BACKDROP_SHARE``)."""

    expansions: dict[str, str]
    in_text: dict[str, set[str]]
    backdrop: frozenset[str] = frozenset()
    names: dict[str, str] = field(default_factory=dict)
    """Expanded key → the label the configuration gives its topic."""

    @classmethod
    def of(cls, papers: list[Paper], texts: dict[str, str],
           phrase_keys: Callable[[str], list[str]] | None = None,
           same: Sequence[Sequence[str]] = ()) -> PaperPhrases:
        present = [texts[p.id] for p in papers if p.id in texts]
        definitions = list(_definitions(present))
        variants = _variants(definitions)
        expansions = {key: variants.get(expansion, expansion)
                      for key, expansion in _expansions(definitions).items()}
        expansions |= {key: variant for key, variant in variants.items() if key not in expansions}
        declared, names = _declared_wordings(same, expansions)
        expansions = {key: declared.get(value, value) for key, value in expansions.items()} | declared
        keys = phrase_keys or text_phrase_keys
        return cls(expansions, {p.id: {expansions.get(k, k) for k in keys(texts[p.id])}
                                for p in papers if p.id in texts}, backdrop_stems(present), names)

    def expanded(self, key: str) -> str:
        return self.expansions.get(key, key)

    def content(self, label: str) -> str:
        """``content_key`` in this digest: its backdrop words left out too."""
        return content_key(label, self.backdrop)


def _declared_wordings(same: Sequence[Sequence[str]], expansions: dict[str, str]
                       ) -> tuple[dict[str, str], dict[str, str]]:
    """For each group of wordings declared one idea: every wording's key (and its expansion's, for an
    acronym) → the first wording's expanded key, and that key → the first wording, its label."""
    declared: dict[str, str] = {}
    names: dict[str, str] = {}
    for group in same:
        first = topic_key(group[0])
        target = expansions.get(first, first)
        names[target] = group[0]
        for wording in group:
            key = topic_key(wording)
            declared |= {k: target for k in (key, expansions.get(key, key)) if k != target}
    return declared, names


def warn_of_unused(same: Sequence[Sequence[str]], phrases: PaperPhrases, candidates: dict[str, _Candidate]
                   ) -> None:
    """A warning for each wording of ``topics.same`` that no paper's keyphrases carry, so that it joins
    nothing and may be misspelt; the first wording names the topic all the same, and so needs no paper."""
    for group in same:
        for wording in group[1:]:
            key = topic_key(wording)
            if key not in getattr(candidates.get(phrases.expanded(key)), "aliases", ()):
                log.warning("topics.same: no paper's keyphrases carry %r, so it joins nothing (is it spelt "
                            "as the papers spell it?)", wording)


def backdrop_stems(texts: list[str]) -> frozenset[str]:
    """The stems of the words that ``BACKDROP_SHARE`` of ``texts`` use, estimated on an even sample of
    ``THRESHOLD_SAMPLE`` texts (none for fewer than 20 texts, too few to tell a backdrop from a theme)."""
    if len(texts) < 20:
        return frozenset()
    sample = texts[::max(1, math.ceil(len(texts) / THRESHOLD_SAMPLE))]
    stems: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for text in sample:
        words = set(PLAIN_WORD.findall(text.lower())) - FUNCTION_WORDS
        counts.update({stems.get(w) or stems.setdefault(w, topic_key(w)) for w in words})
    return frozenset(stem for stem, n in counts.items() if n >= BACKDROP_SHARE * len(sample))


def ranked_candidates(papers: list[Paper], settings: TopicSettings, cohesion: Cohesion, phrases: PaperPhrases,
                      candidates: dict[str, _Candidate] | None = None) -> tuple[list[_Candidate], int]:
    """The phrases that may be topics, best first, and the most papers a topic may hold (``cohesion``: that
    of the digest's papers); ``candidates`` are those of ``candidates_by_key`` when the caller has them
    already."""
    candidates = candidates if candidates is not None else candidates_by_key(papers, phrases)
    needed = settings.papers_needed(len(papers))
    limit = settings.largest_topic(len(papers))
    in_text = Counter(key for keys in phrases.in_text.values() for key in keys)
    viable = [c for c in candidates.values() if needed <= len(c.papers) <= limit
              and in_text.get(c.key, 0) <= limit and phrases.content(c.label)]
    cohesive = []
    for candidate in viable:
        ratio = cohesion.ratio(candidate.papers)
        candidate.score = ratio ** 2 * math.sqrt(len(candidate.papers))
        if cohesion.stands_apart(candidate.papers, ratio):
            cohesive.append(candidate)
    return sorted(cohesive, key=lambda c: (-c.score, c.key)), limit


@dataclass(frozen=True)
class Cohesion:
    """How alike a group of a digest's papers is: the mean cosine of its pairs over that of all the
    digest's pairs (``MIN_COHESION``)."""

    embeddings: dict[str, np.ndarray]
    baseline: float
    papers: int

    @classmethod
    def of(cls, papers: list[Paper], embeddings: dict[str, np.ndarray]) -> Cohesion:
        baseline = mean_pair_similarity([embeddings[p.id] for p in papers])
        return cls(embeddings, max(baseline, 1e-6), len(papers))

    def ratio(self, paper_ids: set[str]) -> float:
        return mean_pair_similarity([self.embeddings[i] for i in sorted(paper_ids)]) / self.baseline

    def stands_apart(self, paper_ids: set[str], ratio: float | None = None) -> bool:
        """At least ``MIN_COHESION``; a group of every paper has nothing to stand apart from."""
        if len(paper_ids) == self.papers:
            return True
        return (self.ratio(paper_ids) if ratio is None else ratio) >= MIN_COHESION


def content_key(label: str, backdrop: frozenset[str] = frozenset()) -> str:
    """What a label says once its generic and function words (and the digest's ``backdrop``) are left
    out, and the combining forms of its words ("BERT models" → "bert", "transformer-based models" →
    "transform"), with ``ONE_THING_WORDS`` as one ("word vectors" → "word embed") and a noun in -sis as
    its adjective ("data synthesis" → "synthet", ``_SIS_STEM``): empty for a label made only of generic
    words."""
    words = PLAIN_WORD.findall(label.lower().split(" (")[0])
    stems = (_content_stem(w) for w in words if w not in FUNCTION_WORDS)
    return " ".join(s for s in stems if s not in GENERIC_STEMS and s not in backdrop)


def _content_stem(word: str) -> str:
    word = next((word.removesuffix(form) for form in COMBINING_FORMS if word.endswith(form)), word)
    return _ONE_THING_STEM if word.removesuffix("s") in ONE_THING_WORDS else _SIS_STEM.sub("t", topic_key(word))


def relate(topics: list[Topic], papers: list[Paper], embeddings: dict[str, np.ndarray]) -> None:
    """Related topics: those sharing the most papers, then the nearest by their papers' embeddings."""
    shared: dict[str, Counter[str]] = defaultdict(Counter)
    for paper in papers:
        for a, b in itertools.permutations(paper.topics, 2):
            shared[a][b] += 1
    labels = {t.id: t.label.lower() for t in topics}
    centroids = {t.id: centroid(t, embeddings) for t in topics}
    for topic in topics:
        counts = shared[topic.id]
        related = sorted(counts, key=lambda t: (-counts[t], labels[t]))[:RELATED_TOPICS]
        nearest = sorted((t for t in centroids if t != topic.id and t not in related),
                         key=lambda t: (-float(centroids[t] @ centroids[topic.id]), labels[t]))
        topic.related = related + nearest[: RELATED_TOPICS - len(related)]


def candidates_by_key(papers: list[Paper], phrases: PaperPhrases) -> dict[str, _Candidate]:
    candidates: dict[str, _Candidate] = {}
    for paper in papers:
        for phrase in paper.keyphrases:
            for head in phrase_heads(phrase):
                key = topic_key(head)
                expanded = phrases.expanded(key)
                candidate = candidates.setdefault(expanded, _Candidate(
                    expanded, set(), set(), Counter(), named=phrases.names.get(expanded, "")))
                candidate.aliases.update({key, expanded})
                candidate.papers.add(paper.id)
                candidate.spellings[head] += 1
                candidate.sources[phrase] += 1
    return candidates


def text_phrase_keys(text: str) -> list[str]:
    """The group keys of a text's noun phrases and of the phrases they end with."""
    return sorted({topic_key(head) for phrase in noun_phrases(text) for head in phrase_heads(phrase)})


class _SynonymTest:
    """Whether a candidate names a chosen topic in other words: close labels, close papers, and a union
    at least as coherent as the topic."""

    BATCH = 256
    """Labels are embedded in rank order, a batch at a time, as the choice reaches them: a large
    digest has thousands of candidates, and the choice stops at ``max_topics``."""

    def __init__(self, ranked: list[_Candidate], cohesion: Cohesion, embed_phrases: PhraseEmbedder) -> None:
        self.cohesion = cohesion
        self.embed_phrases = embed_phrases
        self.ranked = ranked
        self.rank = {c.key: i for i, c in enumerate(ranked)}
        self.phrase_vectors: dict[str, np.ndarray] = {}

    def __call__(self, candidate: _Candidate, topic: _Candidate) -> bool:
        phrases = float(self._phrase_vector(candidate) @ self._phrase_vector(topic))
        return (phrases >= SYNONYM_PHRASES
                and float(self._centroid(candidate.papers) @ self._centroid(topic.papers)) >= SYNONYM_PAPERS
                and self.cohesion.ratio(candidate.papers | topic.papers) >= self.cohesion.ratio(topic.papers))

    def _phrase_vector(self, candidate: _Candidate) -> np.ndarray:
        if candidate.key not in self.phrase_vectors:
            start = self.rank[candidate.key]
            batch = self.ranked[start:start + self.BATCH]
            vectors = self.embed_phrases([_label_words(c.spellings) for c in batch])
            self.phrase_vectors.update(zip((c.key for c in batch), vectors, strict=True))
        return self.phrase_vectors[candidate.key]

    def _centroid(self, paper_ids: set[str]) -> np.ndarray:
        return _unit(np.mean([self.cohesion.embeddings[i] for i in sorted(paper_ids)], axis=0))


def choose(ranked: list[_Candidate], max_topics: int, limit: int, synonyms: _SynonymTest | None,
           content: Callable[[str], str] = content_key) -> list[_Candidate]:
    """The best candidates, skipping those whose papers mostly belong to a chosen topic; one whose label
    says the same (``content``), an aspect of the topic (``ASPECT_SHARE``) or a near-synonym joins the
    topic while it stays within ``limit`` papers (a label that says the same, or an aspect, is never a
    topic of its own)."""
    chosen: list[_Candidate] = []
    for candidate in ranked:
        if len(chosen) == max_topics:
            break
        same = next((c for c in chosen if content(candidate.label) in _says(c, content)), None)
        if same and len(same.papers | candidate.papers) <= limit:
            chosen[chosen.index(same)] = _plainer_absorbs(same, candidate)
        if same:
            continue
        if any(jaccard(candidate.papers, c.papers) >= OVERLAP_LIMIT for c in chosen):
            continue
        host = next((c for c in chosen if _mostly_inside(candidate.papers, c.papers)), None)
        if host and len(host.papers | candidate.papers) <= limit:
            host.absorb(candidate)
        if host:
            continue
        twin = next((c for c in chosen if synonyms and len(c.papers | candidate.papers) <= limit
                     and synonyms(candidate, c)), None)
        if twin:
            twin.absorb(candidate)
        else:
            chosen.append(candidate)
    return chosen


def _says(candidate: _Candidate, content: Callable[[str], str]) -> set[str]:
    """What a candidate's label says, and each of its wordings when the configuration declared them one
    (``TopicSettings.same``): "representation models" says what the declared "embedding models" says."""
    return {content(candidate.label), *(content(s) for s in candidate.spellings if candidate.named)}


def standing_apart(chosen: list[_Candidate], cohesion: Cohesion) -> list[_Candidate]:
    """The chosen candidates that still stand apart once other labels have joined them (``MIN_COHESION``)."""
    return [candidate for candidate in chosen if cohesion.stands_apart(candidate.papers)]


def _mostly_inside(papers: set[str], topic_papers: set[str]) -> bool:
    return len(papers & topic_papers) >= ASPECT_SHARE * len(papers)


def _plainer_absorbs(topic: _Candidate, candidate: _Candidate) -> _Candidate:
    """Of two labels that say the same, the one in fewer words names the topic ("text embeddings" rather
    than "text embedding benchmark", "BERT" rather than "BERT models"): the other's extra words are
    generic. The first chosen keeps it on equal length, and a label the configuration gives always."""
    fewer = len(_label_words(candidate.spellings).split()) < len(_label_words(topic.spellings).split())
    if not topic.named and (candidate.named or fewer):
        candidate.absorb(topic)
        return candidate
    topic.absorb(candidate)
    return topic


def make_topics(chosen: list[_Candidate], taken: Iterable[str] = ()) -> list[Topic]:
    """Topics of the chosen candidates, with addresses distinct from each other and from ``taken``."""
    ordered = sorted(chosen, key=lambda c: c.key)
    slugs = unique_slugs((candidate.label for candidate in ordered), fallback="topic", taken=taken)
    return [Topic(slug, candidate.label, sorted(candidate.papers), candidate.key, sorted(candidate.aliases),
                  _defining_phrases(candidate.sources), also_covers(candidate))
            for slug, candidate in zip(slugs, ordered, strict=True)]


def also_covers(candidate: _Candidate) -> list[str]:
    """The labels of merged near-synonyms, and the other wordings of the topic's phrase itself
    ("position embedding" in "position encoding", ``wording_variants``)."""
    said = {topic_key(label) for label in [candidate.named or _label_words(candidate.spellings),
                                           *candidate.synonyms]}
    covers = list(candidate.synonyms)
    for spelling in sorted(candidate.spellings, key=lambda s: (-candidate.spellings[s], s)):
        if not _is_acronym(spelling) and topic_key(spelling) not in said:
            said.add(topic_key(spelling))
            covers.append(label_case(spelling))
    return sorted(covers, key=str.lower)


def assign(papers: list[Paper], topics: list[Topic], embeddings: dict[str, np.ndarray],
           settings: TopicSettings, in_text: dict[str, set[str]] | None = None,
           fixed: dict[str, list[str]] | None = None, judged: set[str] | None = None) -> None:
    """Each paper keeps its closest topics among those whose phrase its keyphrases carry. A paper whose
    keyphrases carry none joins the topics whose phrase its text names and that it is close to
    (``PLACEMENT_QUANTILE``), or else its nearest topic if it is close to that one; otherwise it stays
    without a topic. Placement never takes a topic past ``largest_topic`` papers: a paper it leaves out
    of a full topic joins the next topic it is close to that has room. A paper in ``fixed`` keeps
    exactly the topics given there; one in ``judged`` (left without a topic by an earlier build) joins a
    topic only by carrying its phrase, so that a new day does not move it on embedding evidence that
    shifted a little."""
    fixed, in_text, judged = fixed or {}, in_text or {}, judged or set()
    if not topics:
        for paper in papers:
            paper.topics = []
        return
    centroids = np.vstack([centroid(t, embeddings) for t in topics]).astype(np.float32)
    members: dict[str, list[int]] = defaultdict(list)
    for index, topic in enumerate(topics):
        for paper_id in topic.paper_ids:
            members[paper_id].append(index)
    sample = threshold_sample(papers)
    sampled = np.vstack([block[[n - start for n in sample if start <= n < start + len(block)]]
                         for start, block in _similarities(papers, embeddings, centroids)])
    thresholds = placement_thresholds(sampled, [members.get(papers[n].id, []) for n in sample])
    by_alias: dict[str, list[int]] = defaultdict(list)
    for index, topic in enumerate(topics):
        for alias in set(topic.aliases):
            by_alias[alias].append(index)
    placed: list[_Placement] = []
    for start, block in _similarities(papers, embeddings, centroids):
        for paper, closeness in zip(papers[start:start + len(block)], block, strict=True):
            if fixed.get(paper.id):
                paper.topics = list(fixed[paper.id])
                continue
            own = members.get(paper.id, [])
            if not own and paper.id not in judged:
                named = {i for key in in_text.get(paper.id, ()) for i in by_alias.get(key, ())}
                placement = _Placement.of(paper, closeness, thresholds, named)
                placed.append(placement)
                own = placement.given
            own = sorted(own, key=lambda i: (-closeness[i], topics[i].key))
            paper.topics = [topics[i].id for i in own[: settings.max_topics_per_paper]]
    _keep_within(topics, papers, placed, settings.largest_topic(len(papers)))
    for topic in topics:
        topic.paper_ids = sorted(p.id for p in papers if topic.id in p.topics)


@dataclass
class _Placement:
    """A paper placed by closeness: the topics it is given, then up to ``FALLBACK_TOPICS`` others it is
    close to, nearest first (where it goes when a given topic is full), each with how close."""

    paper: Paper
    given: list[int]
    close: list[tuple[int, float]]

    @classmethod
    def of(cls, paper: Paper, closeness: np.ndarray, thresholds: np.ndarray, named: set[int]) -> _Placement:
        """``thresholds``: ``placement_thresholds``' two rows, the bar for any topic and the lower one for
        a topic whose phrase the paper's text names (``named``, topic indices)."""
        margin = closeness - thresholds[0]
        order = [int(i) for i in np.argsort(-margin, kind="stable")]
        ranked_named = [i for i in order if i in named]
        given = ([i for i in ranked_named if margin[i] >= 0] or [i for i in order[:1] if margin[i] >= 0]
                 or [i for i in ranked_named if closeness[i] >= thresholds[1][i]][:1])
        others = [i for i in order[:len(given) + FALLBACK_TOPICS] if margin[i] >= 0 and i not in given]
        return cls(paper, given, [(i, float(closeness[i])) for i in given + others[:FALLBACK_TOPICS]])


def _keep_within(topics: list[Topic], papers: list[Paper], placed: list[_Placement], largest: int) -> None:
    """A topic that placement would take past ``largest`` papers keeps the placed papers closest to it;
    a paper this leaves without a topic joins the nearest other topic it is close to that has room."""
    sizes = Counter(topic_id for paper in papers for topic_id in paper.topics)
    given = sorted(((closeness, p.paper.id, p.paper, topics[i].id) for p in placed
                    for i, closeness in p.close if i in p.given), key=lambda entry: entry[:2])
    for *_, paper, topic_id in given:
        if sizes[topic_id] > largest and topic_id in paper.topics:
            paper.topics.remove(topic_id)
            sizes[topic_id] -= 1
    for placement in sorted(placed, key=lambda p: p.paper.id):
        if placement.paper.topics or not placement.given:
            continue
        room = next((topics[i].id for i, _ in placement.close if sizes[topics[i].id] < largest), None)
        if room is not None:
            placement.paper.topics = [room]
            sizes[room] += 1


def _similarities(papers: list[Paper], embeddings: dict[str, np.ndarray], centroids: np.ndarray
                  ) -> Iterator[tuple[int, np.ndarray]]:
    """(first row, similarity of each of the next papers to every topic), ``SIMILARITY_ROWS`` papers at a
    time, cut the same way every time: a paper's row never depends on which pass computes it."""
    for start in range(0, len(papers), SIMILARITY_ROWS):
        rows = np.vstack([embeddings[p.id] for p in papers[start:start + SIMILARITY_ROWS]]).astype(np.float32)
        yield start, rows @ centroids.T


def threshold_sample(papers: list[Paper]) -> list[int]:
    """An even sample of ``THRESHOLD_SAMPLE`` papers by id (their row numbers, in order)."""
    order = sorted(range(len(papers)), key=lambda n: papers[n].id)
    step = max(1, math.ceil(len(order) / THRESHOLD_SAMPLE))
    return sorted(order[::step])


def placement_thresholds(similarity: np.ndarray, memberships: list[list[int]]) -> np.ndarray:
    """For each topic (column), the ``PLACEMENT_QUANTILE`` and the ``NAMED_PLACEMENT_QUANTILE`` (two
    rows) of the similarity of the papers outside it (rows of ``similarity``, ``threshold_sample``'s
    papers; ``memberships`` gives each row's topics)."""
    outside = similarity.astype(np.float64)
    for position, topics in enumerate(memberships):
        outside[position, topics] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a topic that holds every sampled paper
        thresholds = np.nanquantile(outside, [PLACEMENT_QUANTILE, NAMED_PLACEMENT_QUANTILE], axis=0)
    return np.nan_to_num(thresholds, nan=1.0)


def _defining_phrases(sources: Counter[str]) -> list[str]:
    """The most used whole keyphrases of the topic, one spelling of each."""
    chosen: dict[str, str] = {}
    for phrase in sorted(sources, key=lambda s: (-sources[s], s == s.lower(), s)):
        chosen.setdefault(topic_key(phrase), phrase)
    return list(chosen.values())[:DEFINING_PHRASES]


def _label(spellings: Counter[str]) -> str:
    """The most used spelling (ties go to capitals, then alphabetically); a topic known by an acronym
    and its expansion is labelled "large language models (LLMs)"."""
    acronyms = Counter({s: n for s, n in spellings.items() if _is_acronym(s)})
    words = Counter({s: n for s, n in spellings.items() if not _is_acronym(s)})
    if acronyms and words:
        return f"{_most_used(words)} ({_most_used(acronyms)})"
    return _most_used(spellings)


def _label_words(spellings: Counter[str]) -> str:
    """The label in words: the expansion rather than the acronym, where the topic has both."""
    words = Counter({s: n for s, n in spellings.items() if not _is_acronym(s)})
    return _most_used(words or spellings)


def _most_used(spellings: Counter[str]) -> str:
    return label_case(min(spellings, key=lambda s: (-spellings[s], s == s.lower(), s)))


def label_case(phrase: str) -> str:
    """One casing rule for labels: acronyms and names written with a capital past their first letter
    stay as the papers write them ("BERT", "LLaMA-2", "GPT-4"); every other word is lower case
    ("Vision-Language Models" → "vision-language models")."""
    return " ".join("-".join(part if any(c.isupper() for c in part[1:]) else part.lower()
                             for part in word.split("-")) for word in phrase.split(" "))


def _is_acronym(spelling: str) -> bool:
    """One word with a capital past the first letter of one of its parts: "LLMs", "LoRA", "GPT-4", but
    not a title's "Fine-Tuning"."""
    return " " not in spelling and any(any(c.isupper() for c in part[1:]) for part in spelling.split("-"))


def mean_pair_similarity(vectors: list[np.ndarray]) -> float:
    """Mean cosine similarity over distinct pairs of unit vectors."""
    n = len(vectors)
    if n < 2:
        return 1.0
    total = np.sum(vectors, axis=0)
    return float((total @ total - n) / (n * (n - 1)))


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b)


def centroid(topic: Topic, embeddings: dict[str, np.ndarray]) -> np.ndarray:
    return _unit(np.mean([embeddings[i] for i in topic.paper_ids], axis=0))


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


def topics_by_key(topics: list[Topic]) -> dict[str, Topic]:
    """Every key a topic answers to: its variants and acronyms."""
    return {key: topic for topic in topics for key in topic.aliases or [topic.key]}


def topic_for(phrase: str, by_key: dict[str, Topic]) -> Topic | None:
    """The most specific topic a keyphrase belongs to."""
    keys = (topic_key(head) for head in phrase_heads(phrase))
    return next((by_key[k] for k in keys if k in by_key), None)
