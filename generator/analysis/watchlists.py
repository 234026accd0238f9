"""Stage 5c: papers → watchlists, a reader's standing searches (``watchlists:`` in the settings).

A paper matches a watchlist when one of its ``include`` terms occurs in the paper's title, abstract or
keyphrases as a whole phrase, in any case, with or without a plural ending, hyphen or space alike
("pre-trained LLM" finds "Pre-Trained LLMs"), and none of its ``exclude`` terms does. ``about``, a
sentence, also admits papers whose embedding is close to the sentence's: at cosine ``ABOUT_MIN_COSINE``
or more and among the ``ABOUT_TOP_SHARE`` of the digest closest to it (a corpus of one field sits close
to any sentence about that field, so a fixed cosine alone would admit most of it). Exclusions hold for
those too.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence

import numpy as np

from generator.config import WatchlistSettings
from generator.records import Paper, Watchlist
from generator.slugs import slug

ABOUT_MIN_COSINE = 0.5
ABOUT_TOP_SHARE = 0.01
"""A paper admitted by ``about`` is among this share of the digest closest to the sentence (at least
one paper)."""
_TOKEN = re.compile(r"\w+")
_KEYPHRASE_BREAK = " | "
"""Keyphrases are searched apart: a term never spans two of them."""

SentenceEmbedder = Callable[[Sequence[str]], np.ndarray]
"""Unit embeddings of sentences, one row each (``keyphrases.PhraseEmbedder``)."""


def match_watchlists(papers: list[Paper], settings: Sequence[WatchlistSettings],
                     embeddings: dict[str, np.ndarray], embed: SentenceEmbedder | None) -> list[Watchlist]:
    """Each configured watchlist with the ids of the papers it matches, in the order configured."""
    if not settings:
        return []
    texts = {paper.id: searchable(paper) for paper in papers}
    abouts = [w.about for w in settings if w.about]
    vectors = dict(zip(abouts, embed(abouts), strict=True)) if abouts and embed else {}
    watchlists = []
    for watchlist in settings:
        include = [normalized(term) for term in watchlist.include]
        exclude = [normalized(term) for term in watchlist.exclude]
        close = _close_to(vectors[watchlist.about], papers, embeddings) if watchlist.about in vectors else set()
        matched = sorted(p.id for p in papers
                         if (p.id in close or any(t in texts[p.id] for t in include))
                         and not any(t in texts[p.id] for t in exclude))
        watchlists.append(Watchlist(slug(watchlist.name, "watchlist"), watchlist.name, list(watchlist.include),
                                    list(watchlist.exclude), watchlist.about, matched))
    return watchlists


def searchable(paper: Paper) -> str:
    """The paper's title, abstract and keyphrases as normalized words, with a space at each end so that
    a term is found as a whole phrase (`` term `` in it)."""
    parts = [paper.title, paper.abstract, *paper.keyphrases]
    return f" {_KEYPHRASE_BREAK.join(_words(part) for part in parts)} "


def normalized(term: str) -> str:
    return f" {_words(term)} "


def _words(text: str) -> str:
    return " ".join(singular(word) for word in _TOKEN.findall(text.lower().replace("_", " ")))


def singular(word: str) -> str:
    """A word without its plural ending, the same way for a term and a text: "models" and "model",
    "studies" and "study", "LLMs" and "LLM" agree. Not ``phrases.spelling_key``: its lexicon (lemminflect)
    leaves the plurals of acronyms and names as they are ("llms", "loras"), which watchlist terms are
    full of."""
    if len(word) <= 3 or word.endswith(("ss", "us", "is")):
        return word
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1] if word.endswith("s") else word


def _close_to(vector: np.ndarray, papers: list[Paper], embeddings: dict[str, np.ndarray]) -> set[str]:
    """The papers at cosine ``ABOUT_MIN_COSINE`` or more to ``vector`` and among the closest
    ``ABOUT_TOP_SHARE`` of the digest."""
    closeness = sorted(((float(embeddings[p.id] @ vector), p.id) for p in papers), key=lambda x: (-x[0], x[1]))
    top = closeness[:max(1, math.floor(ABOUT_TOP_SHARE * len(papers)))]
    return {paper_id for similarity, paper_id in top if similarity >= ABOUT_MIN_COSINE}
