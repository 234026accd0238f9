"""Candidate keyphrases: the noun phrases of a text, found without a tagger model.

A word's possible parts of speech come from lemminflect's English lexicon (bundled with the package, so
nothing is downloaded). A phrase is a run of words that can modify a noun (adjectives, participles,
nouns) ending on a word that can be a noun; runs are cut at function words, other verbs, adverbs,
numbers, punctuation and URLs, and a participle opening a clause is taken as a verb. An -ing form
that ends a run names an activity ("speculative decoding", "model merging") unless an object follows
it ("improving the accuracy"). Words the lexicon
does not know (acronyms, hyphenated technical terms, names) are taken as nouns. Hyphenated words and
acronyms stay whole and keep their case ("multi-talker ASR", "LLaMA-2"); phrases that differ only by
case or a plural are one candidate. Each run gives one candidate, its maximal noun phrase, as in
EmbedRank; measured on Inspec, adding sub-phrases or windows lowered F1 (bench/keyphrases.py,
docs/performance.md).

Without a tagger, a verb that can also be a noun ("the control helps", "the deal leaves") can end a
phrase; the ranking rarely puts such phrases on top.
"""

from __future__ import annotations

import enum
import functools
import multiprocessing
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from lemminflect import getAllLemmas
from nltk.stem.porter import PorterStemmer

from generator.ingest.text import plain_text

FUNCTION_WORDS = frozenset("""
a an the this that these those such same other another each every either neither some any no all both
half several many much more most few fewer less least own only very quite rather too also just even
i me my we us our ours you your he him his she her it its they them their theirs one ones oneself
who whom whose which what whatever whoever where when why how whether there here
and or nor but yet so if then than because since while although though unless until whereas
of in on at by for from to into onto upon with within without about above below over under between
among amongst through throughout across along around against before after during toward towards
beyond behind beside besides despite except via per versus vs like unlike near off out up down
inside outside beneath underneath amid atop whilst
be is are was were been being am have has had having do does did doing done
using used based according including following regarding concerning involving given making providing
allowing enabling leading resulting showing achieving yielding requiring compared
can could may might must shall should will would ought need needs needed
not never however therefore thus hence moreover furthermore further instead otherwise also
e.g i.e etc al et
""".split())
"""Words that never belong inside a keyphrase."""

PREPOSITIONS = frozenset("""
of in on at by for from to into onto upon with within without about over under between among through
across along around against before after during toward towards beyond via per despite
""".split())
"""After one of these, a verb's -ing form is a gerund taking an object ("for designing filters")."""

OBJECT_WORDS = frozenset("""
the a an this that these those its their our his her my your it them us such both each every all some
any no which what whose
""".split())
"""Words that open a verb's object: an -ing form before one is a verb ("improving the accuracy"), not
the end of a noun phrase."""

WRITING_WORDS = frozenset("""
paper papers work works approach approaches method methods result results study studies
experiment experiments article articles framework frameworks technique techniques
propose proposed proposes present presented presents introduce introduced introduces
novel new existing recent various different several previous prior current
state-of-the-art sota effective efficient significant significantly
problem problems way ways number numbers set sets use uses usage case cases
""".split())
"""Words of scientific prose in general, in any field: never a keyphrase, nor part of one."""

GRADING_WORDS = frozenset("""
two three four five six seven eight nine ten eleven twelve twenty hundred thousand million dozen
appropriate suitable satisfactory desired desirable important major typical usual conventional traditional
original particular specific possible available relevant related realistic detailed improved increased
better best good excellent great larger largest smaller smallest well-known popular modern simple simpler
powerful successful useful practical similar corresponding additional overall entire actual called so-called
interesting promising challenging difficult crucial essential necessary numerous extensive comprehensive
substantial considerable remarkable impressive superior
""".split())
"""Words that count or grade what a phrase names rather than say what kind it is: "a simple adaptive
filter" and "two adaptive filters" are about "adaptive filters", "robust two-stage Kalman filters" about
"two-stage Kalman filters" (a hyphenated compound stays whole). Never part of a keyphrase. Words that
also name a kind in some field stay out ("main memory", "lower bound", "common sense", "optimal
control", "large language models"). Measured on Inspec: docs/performance.md."""

_NEVER_IN_PHRASE = FUNCTION_WORDS | WRITING_WORDS | GRADING_WORDS
_CHUNK_BREAK = re.compile(r"https?://\S+|[^\w\s'\-]+|\s[-']|[-']\s|'s\b|--")
_STEMMER = PorterStemmer()
_WORD = re.compile(r"\w[\w'\-]*\w|\w")
_HAS_LETTER = re.compile(r"[^\W\d_]")
Result = TypeVar("Result")


class Role(enum.Enum):
    BREAK = 0
    MODIFIER = 1
    HEAD = 2
    """Can end a noun phrase; can also modify."""


@functools.lru_cache(maxsize=200_000)
def word_role(word: str) -> Role:
    lower = word.lower()
    if lower in _NEVER_IN_PHRASE or len(word) < 2 or not _HAS_LETTER.search(word):
        return Role.BREAK
    last = lower.rsplit("-", 1)[-1]
    if "-" in lower and last and _HAS_LETTER.search(last) and len(last) > 1:
        return _lexicon_role(last, unknown=Role.HEAD)
    return _lexicon_role(lower, unknown=Role.HEAD)


@functools.lru_cache(maxsize=200_000)
def _lemmas(lower: str) -> dict[str, tuple[str, ...]]:
    """lemminflect's lemmas of a lower-case word by part of speech, looked up once per word (each lookup
    deep-copies its answer: a third of candidate time before this cache). Read-only."""
    return getAllLemmas(lower)


def _lexicon_role(lower: str, unknown: Role) -> Role:
    parts = _lemmas(lower)
    if not parts:
        return unknown
    if "NOUN" in parts or "PROPN" in parts:
        return Role.HEAD
    if "ADJ" in parts:
        return Role.MODIFIER
    if "VERB" in parts and lower.endswith(("ed", "ing")):
        return Role.MODIFIER
    return Role.BREAK


def _names_an_activity(word: str, role: Role) -> bool:
    """A gerund that only the lexicon's verbs have ("decoding", "fine-tuning"; not "bring"), as the last
    word of a noun phrase."""
    return role is Role.MODIFIER and is_gerund(word) and _only_verb(word.lower().rsplit("-", 1)[-1])


def is_gerund(word: str) -> bool:
    """A verb's -ing form, lexicon permitting ("learning", "pre-training"; not "string")."""
    last = word.lower().rsplit("-", 1)[-1]
    return last.endswith("ing") and any(lemma != last for lemma in _lemmas(last).get("VERB", ()))


def _only_verb(word: str) -> bool:
    """A participle opening a clause ("Recognizing overlapping speech", "by designing filters") is a
    verb, not a modifier."""
    return set(_lemmas(word.lower())) == {"VERB"}


@functools.lru_cache(maxsize=200_000)
def _singular(lower: str) -> str:
    nouns = _lemmas(lower).get("NOUN")
    return nouns[0].lower() if nouns else lower


def spelling_key(phrase: str) -> str:
    """One candidate, spelled in different ways: case and a final plural do not matter ("Neural Networks"
    and "neural network" share a key), every other difference does. Stricter than ``topic_key``: the
    ranking keeps "pre-trained model" and "pretraining models" apart."""
    words = phrase.lower().split()
    return " ".join([*words[:-1], _singular(words[-1])]) if words else ""


def topic_key(phrase: str) -> str:
    """One topic: the same words up to case, hyphens, spacing and inflection (Porter stems) give one key:
    "Pre-trained Language Models", "pretrained language model" and "pre-trained language modeling"
    agree. Looser than ``spelling_key``: it groups phrases a reader would file under one topic."""
    return "".join(_stem(word.replace("-", "")) for word in phrase.lower().split())


@functools.lru_cache(maxsize=100_000)
def _stem(word: str) -> str:
    return _STEMMER.stem(word)


def noun_phrases(text: str, max_words: int = 3, everyday_words: bool = False) -> list[str]:
    """Every candidate occurrence in ``text``, in order, as written (case kept). Everyday single words
    count only when ``everyday_words`` is set: for a text that has no other candidate."""
    return _phrases_of_plain(plain_text(text), max_words, everyday_words)


def _phrases_of_plain(plain: str, max_words: int, everyday_words: bool = False) -> list[str]:
    phrases: list[str] = []
    for chunk in _CHUNK_BREAK.split(plain):
        run: list[tuple[str, Role]] = []
        words = _WORD.findall(chunk)
        for index, word in enumerate([*words, ""]):
            role = word_role(word) if word else Role.BREAK
            opens_clause = index == 0 or words[index - 1].lower() in PREPOSITIONS
            if opens_clause and role is Role.MODIFIER and word.lower().endswith("ing") and _only_verb(word):
                role = Role.BREAK
            if role is not Role.BREAK:
                run.append((word, role))
                continue
            if run and word.lower() not in OBJECT_WORDS and _names_an_activity(*run[-1]):
                run[-1] = (run[-1][0], Role.HEAD)
            phrases += _spans(run, max_words, everyday_words)
            run = []
    return phrases


def _spans(run: list[tuple[str, Role]], max_words: int, everyday_words: bool = False) -> list[str]:
    """The noun phrase of a run: the run up to its last noun. A longer phrase gives its ending of
    ``max_words - 1`` words ("latent root regression analysis" → "regression analysis"): a window
    cut out of a long compound is mostly a fragment, its shorter ending mostly a compound of its own.
    A single word stands alone only when it is technical."""
    heads = [i for i, (_, role) in enumerate(run) if role is Role.HEAD]
    if not heads:
        return []
    words = [word for word, _ in run[: heads[-1] + 1]]
    if len(words) > max_words:
        words = words[-max(max_words - 1, 1):]
    if len(words) == 1 and not (everyday_words or is_technical(words[0])):
        return []
    return [" ".join(words)]


def is_technical(word: str) -> bool:
    """An acronym or name with inner capitals, a word with digits, or a word the English lexicon does
    not know ("ASR", "LLaMA-2", "Transformer-XL", "backpropagation"), rather than an everyday word."""
    if any(c.isupper() for c in word[1:]) or any(c.isdigit() for c in word):
        return True
    return not _lemmas(word.lower().rsplit("-", 1)[-1])


@dataclass
class CandidateSet:
    """Candidates of a corpus: its texts cleaned of LaTeX remnants (``plain_text``), and each one's
    distinct phrases in order of first appearance, spelled one way across the corpus."""

    texts: list[str]
    per_document: list[list[str]]

    @classmethod
    def from_texts(cls, texts: Sequence[str], max_words: int = 3, workers: int | None = None) -> CandidateSet:
        """Texts are read on ``workers`` processes (``default_workers``), in order, so the result does
        not depend on their number."""
        read = _map_in_processes(functools.partial(_read_document, max_words=max_words), texts,
                                 workers or default_workers(len(texts)))
        spellings: defaultdict[str, Counter[str]] = defaultdict(Counter)
        for _plain, phrases in read:
            for phrase, key in phrases:
                spellings[key][phrase] += 1
        display = {key: _preferred(counts) for key, counts in spellings.items()}
        return cls([plain for plain, _phrases in read],
                   [_distinct(display[key] for _phrase, key in phrases) for _plain, phrases in read])


def _read_document(text: str, max_words: int) -> tuple[str, list[tuple[str, str]]]:
    """A text cleaned, and its candidate occurrences with their ``spelling_key``."""
    plain = plain_text(text)
    phrases = _phrases_of_plain(plain, max_words) or _phrases_of_plain(plain, max_words, everyday_words=True)
    return plain, [(phrase, spelling_key(phrase)) for phrase in phrases]


PARALLEL_TEXTS, TEXTS_PER_WORKER = 10_000, 1_000
"""From how many texts they are read on several processes, and how many texts at least each gets. The
processes' server costs about a second to start (it loads lemminflect's lexicon) and each worker fills
its word caches anew, so few texts are read faster on one (docs/performance.md, "Figures behind the
code")."""


def default_workers(texts: int) -> int:
    if texts < PARALLEL_TEXTS:
        return 1
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cpus, texts // TEXTS_PER_WORKER))


def _map_in_processes(function: Callable[[str], Result], items: Sequence[str], workers: int) -> list[Result]:
    """``function`` over ``items`` in order, on ``workers`` processes forked from a fresh server process
    that has loaded this module once ("forkserver": the build's process may hold threads and a CUDA
    context, which a plain fork would copy). Like any multiprocessing worker, each one imports the
    program's main module: the server does not, since a main that loads torch (2 GB of CUDA libraries
    mapped) made each fork take a second on an H100 machine."""
    if workers <= 1:
        return [function(item) for item in items]
    chunk = -(-len(items) // (workers * 4))
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload([__name__])
    else:
        context = multiprocessing.get_context("spawn")  # Windows
    with ProcessPoolExecutor(workers, mp_context=context) as pool:
        return list(pool.map(function, items, chunksize=chunk))


def _preferred(spellings: Counter[str]) -> str:
    """The commonest spelling; among equals, lower case (a capitalised sentence start is not a name)."""
    return min(spellings, key=lambda s: (-spellings[s], s != s.lower(), s))


def _distinct(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
