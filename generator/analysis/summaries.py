"""Stage 4b: papers → a one-sentence summary each (``tldr``), taken verbatim from the shown abstract.

An abstract's first sentence is usually background ("Large language models have …"); the sentence a
reader wants states what the paper does or finds. Each sentence is scored by how much of the paper's
keyphrases it holds (what the paper is about: the keyphrase stage already ranked them against the
paper's embedding, so no sentence needs a model), plus a cue for the sentences where authors state their
contribution ("we propose", "this paper presents") and a smaller one for findings ("we show", "results
demonstrate"); sentences about code or data availability, and fragments, are passed over.
``bench/tldr.py`` measures the choice against a judged set and the lead and centroid baselines (the
sentence whose embedding is closest to the paper's picks no better and would embed every sentence).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from generator.analysis.phrases import topic_key
from generator.ingest.text import sentences
from generator.records import Paper

_SUBJECT = r"\b(?:we|this (?:paper|work|study|article|report|research|thesis)|our (?:work|paper|study)|here)\b"
_REACH = r"(?:[\s,]+[\w-]+){0,6}?[\s,]+"
CONTRIBUTION_CUE = re.compile(
    _SUBJECT + _REACH + r"(?:propos|present|introduc|develop|design|describ|investigat|stud(?:y|ies)|explor"
    r"|examin|address|tackl|buil[dt]|releas|curat|compil|deriv|adopt|offer|formulat|reformulat|revisit"
    r"|creat|construct|mak|establish|train|pretrain|pre-train|fine-tun|us(?:e|es|ing))\w*",
    re.IGNORECASE)
"""Where the authors state what they do."""
FINDING_CUE = re.compile(
    _SUBJECT + _REACH + r"(?:show|find|found|demonstrat|observ|report|prov|identif|reveal|analy[sz])\w*"
    r"|\b(?:results?|experiments?|evaluations?|analys[ie]s|findings)\b(?:[\s,]+[\w-]+){0,4}?[\s,]+"
    r"(?:show|demonstrat|indicat|reveal|suggest|confirm)\w*",
    re.IGNORECASE)
"""Where they state what they found."""
AVAILABILITY = re.compile(r"https?://|\b(?:code|data|models?|datasets?)\b[^.]{0,60}\bavailable\b",
                          re.IGNORECASE)
COVERAGE_WEIGHT = 0.5
CONTRIBUTION_WEIGHT = 0.3
FINDING_WEIGHT = 0.15
MIN_WORDS = 6
SUMMARY_VERSION = "2"
"""Bump when the choice changes, so cached summaries are chosen again."""
_WORD = re.compile(r"[\w-]+")
_FIELD_BREAK = "\x1f"


def summarize(papers: list[Paper], through: Callable[[Callable[[str], list[str]]], Callable[[str], list[str]]]
              | None = None) -> None:
    """Set ``paper.tldr`` on every paper (after the keyphrase stage): one sentence of its shown abstract,
    empty when it has none. ``through`` may put the choice behind a cache (``TextCache.through``)."""
    choose = through(_summary_of) if through else _summary_of
    for paper in papers:
        paper.tldr = choose(_FIELD_BREAK.join([paper.abstract, *paper.keyphrases]))[0]


def _summary_of(fields: str) -> list[str]:
    abstract, *keyphrases = fields.split(_FIELD_BREAK)
    parts = sentences(abstract)
    return [parts[best_sentence(parts, keyphrase_coverage(parts, keyphrases))] if parts else ""]


def keyphrase_coverage(parts: list[str], keyphrases: list[str]) -> list[float]:
    """For each sentence, the mean over the keyphrases of the share of their words it holds (stems)."""
    phrases = [words for phrase in keyphrases if (words := _stems(phrase))]
    found = [_stems(part) for part in parts]
    return [sum(len(words & held) / len(words) for words in phrases) / max(len(phrases), 1) for held in found]


def best_sentence(parts: list[str], coverage: list[float]) -> int:
    """The index of the sentence that best says what the paper does; the earliest wins a tie."""
    scores = [sentence_score(text, share) for text, share in zip(parts, coverage, strict=True)]
    return max(range(len(parts)), key=lambda i: (scores[i], -i))


def sentence_score(text: str, coverage: float) -> float:
    score = COVERAGE_WEIGHT * coverage
    if AVAILABILITY.search(text) or len(text.split()) < MIN_WORDS:
        return score - 1.0
    if CONTRIBUTION_CUE.search(text):
        return score + CONTRIBUTION_WEIGHT
    if FINDING_CUE.search(text):
        return score + FINDING_WEIGHT
    return score


def _stems(text: str) -> set[str]:
    return {topic_key(word) for word in _WORD.findall(text.lower())}
