"""One-sentence summaries (``generator/analysis/summaries.py``) against the lead and centroid baselines.

On the seeds: for the 30 papers of ``bench/data/tldr-judged.json`` (drawn at random among those with three
or more sentences, each with the sentence(s) a reader judged to state what the paper does), how often
each method picks a judged sentence; over all seed papers with three or more sentences, how often it
picks the first sentence, and ROUGE-1 recall of the title's content words (the title names what the
paper is about). The centroid baseline embeds every sentence with the bundled model and takes the one
closest to the paper's embedding.

    .venv/bin/python bench/tldr.py
"""

from __future__ import annotations

import json
import platform
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from bench.examples import SEED_DEFAULT_YEAR, SEEDS  # noqa: E402
from generator.analysis.keyphrases import PhraseEmbedder, extract_keyphrases  # noqa: E402
from generator.analysis.phrases import FUNCTION_WORDS, topic_key  # noqa: E402
from generator.analysis.summaries import best_sentence, keyphrase_coverage, sentence_score  # noqa: E402
from generator.config import DigestConfig  # noqa: E402
from generator.ingest.text import plain_text, sentences  # noqa: E402
from generator.pipeline import read_papers  # noqa: E402

JUDGED = REPO / "bench" / "data" / "tldr-judged.json"
CACHE = REPO / ".cache" / "bench"


def lead(parts: list[str], closeness: list[float], coverage: list[float]) -> int:
    return 0


def centroid(parts: list[str], closeness: list[float], coverage: list[float]) -> int:
    return int(np.argmax(closeness))


def most_keyphrases(parts: list[str], closeness: list[float], coverage: list[float]) -> int:
    return int(np.argmax(coverage))


def centroid_and_cues(parts: list[str], closeness: list[float], coverage: list[float]) -> int:
    scores = [sentence_score(text, 2 * near) for text, near in zip(parts, closeness, strict=True)]
    return max(range(len(parts)), key=lambda i: (scores[i], -i))


def ours(parts: list[str], closeness: list[float], coverage: list[float]) -> int:
    return best_sentence(parts, coverage)


METHODS = {"lead sentence": lead, "centroid (closest to the paper)": centroid,
           "most keyphrases": most_keyphrases, "centroid + cues": centroid_and_cues, "Paper Digest": ours}
"""Paper Digest: keyphrase coverage plus cues, no sentence embedding."""


def title_recall(title: str, sentence: str) -> float:
    words = {topic_key(w) for w in re.findall(r"[\w-]+", title.lower()) if w not in FUNCTION_WORDS}
    found = {topic_key(w) for w in re.findall(r"[\w-]+", sentence.lower())}
    return len(words & found) / max(len(words), 1)


def main() -> None:
    config = DigestConfig(dumps=(SEEDS,), default_year=SEED_DEFAULT_YEAR, cache_dir=CACHE)
    papers, _ = read_papers(config)
    embeddings, _ = extract_keyphrases(papers, config.keyphrases, CACHE)
    embed = PhraseEmbedder(config.keyphrases, CACHE, kind="sentences")
    judged = json.loads(JUDGED.read_text(encoding="utf-8"))["papers"]
    long = [p for p in papers if len(sentences(p.abstract)) >= 3]
    start = time.perf_counter()
    split = {p.id: sentences(p.abstract) for p in long}
    texts = sorted({plain_text(s) for parts in split.values() for s in parts})
    vectors = dict(zip(texts, embed(texts), strict=True))
    closeness = {p.id: [float(vectors[plain_text(s)] @ embeddings[p.id]) for s in split[p.id]] for p in long}
    seconds = time.perf_counter() - start
    coverage = {p.id: keyphrase_coverage(split[p.id], p.keyphrases) for p in long}
    print(f"machine: {platform.machine()}, Python {platform.python_version()}; {len(texts)} sentences of "
          f"{len(long)} papers embedded or read from the cache in {seconds:.1f} s")
    print(f"{'method':<34} {'judged right':>12} {'first sentence':>15} {'title recall':>13}")
    for name, choose in METHODS.items():
        picks = {p.id: split[p.id][choose(split[p.id], closeness[p.id], coverage[p.id])] for p in long}
        right = sum(picks[i] in accepted for i, accepted in judged.items())
        first = sum(picks[p.id] == split[p.id][0] for p in long) / len(long)
        recall = np.mean([title_recall(p.title, picks[p.id]) for p in long])
        print(f"{name:<34} {right:>7}/{len(judged):<4} {first:>15.1%} {recall:>13.3f}")


if __name__ == "__main__":
    main()
