"""Topic quality on the seeds, the example dumps and Inspec's abstracts (other fields), against
BERTopic on the same papers.

For each corpus: number of topics, share of papers with a topic, the largest topic's share of the
papers, pairs of topic labels that are variants of each other, and the within-topic similarity ratio:
the mean cosine similarity of paper embeddings within a topic (averaged over topics), over the mean
similarity of all pairs of papers. BERTopic (installed separately: `pip install bertopic`) gets the
same papers and the same embeddings.

    .venv/bin/python bench/topics.py
"""

from __future__ import annotations

import dataclasses
import platform
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from bench.examples import INSPEC, SEED_DEFAULT_YEAR, SEEDS  # noqa: E402
from bench.topic_measures import similarity_ratio, variant_pairs  # noqa: E402
from generator.analysis.keyphrases import PhraseEmbedder, extract_keyphrases, paper_text, text_file_document  # noqa: E402
from generator.analysis.topics import build_topics  # noqa: E402
from generator.config import DigestConfig, load_config  # noqa: E402
from generator.pipeline import build_digest  # noqa: E402
from generator.records import Digest, Paper  # noqa: E402

CORPORA = {
    "seeds": (SEEDS, SEED_DEFAULT_YEAR, None),
    "example dumps": (REPO / "dumps", None, REPO / "site_config" / "digest.yml"),
}
"""Dumps, default year and configuration file (None: the defaults) of each corpus."""
"""Abstracts from other fields (control, networks, finance, libraries, ...), read as papers."""
CACHE = REPO / ".cache" / "bench"


def our_row(digest: Digest) -> dict:
    n = len(digest.papers)
    sizes = [len(t.paper_ids) for t in digest.topics]
    return {
        "topics": len(digest.topics),
        "coverage": sum(1 for p in digest.papers if p.topics) / n,
        "largest": max(sizes) / n if sizes else 0.0,
        "variants": len(variant_pairs([t.label for t in digest.topics])),
        "ratio": similarity_ratio([t.paper_ids for t in digest.topics], digest.embeddings),
    }


def bertopic_row(digest: Digest) -> dict:
    from bertopic import BERTopic
    from umap import UMAP

    ids = [p.id for p in digest.papers]
    embeddings = np.vstack([digest.embeddings[i] for i in ids])
    umap = UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine", random_state=42)
    model = BERTopic(umap_model=umap, min_topic_size=max(3, len(ids) // 100))
    assigned, _ = model.fit_transform([paper_text(p) for p in digest.papers], embeddings)
    groups: dict[int, list[str]] = {}
    for paper_id, topic in zip(ids, assigned, strict=True):
        if topic != -1:
            groups.setdefault(int(topic), []).append(paper_id)
    sizes = [len(g) for g in groups.values()]
    return {
        "topics": len(groups),
        "coverage": sum(sizes) / len(ids),
        "largest": max(sizes) / len(ids) if sizes else 0.0,
        "variants": None,
        "ratio": similarity_ratio(list(groups.values()), digest.embeddings),
    }


def inspec_digest() -> Digest:
    """The Inspec abstracts as a digest: first line the title, the rest the abstract."""
    papers = []
    for path in sorted((INSPEC / "docs").glob("*.txt"), key=lambda p: int(p.stem)):
        document = text_file_document(path.read_text(encoding="utf-8", errors="replace"))
        title, _, abstract = document.partition(". ")
        papers.append(Paper(id=f"inspec-{path.stem}", title=title, abstract=abstract, sightings=[]))
    config = DigestConfig(cache_dir=CACHE)
    embeddings, _ = extract_keyphrases(papers, config.keyphrases, CACHE)
    texts = {paper.id: paper_text(paper) for paper in papers}
    topics = build_topics(papers, config.topics, embeddings, texts, PhraseEmbedder(config.keyphrases, CACHE))
    return Digest(papers, topics, embeddings=embeddings)


def main() -> None:
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    print(f"{'corpus':<22} {'system':<13} {'papers':>6} {'topics':>6} {'coverage':>8} {'largest':>7} "
          f"{'variants':>8} {'ratio':>6} {'seconds':>7}")
    for name in [*CORPORA, "inspec (other fields)"]:
        start = time.perf_counter()
        if name in CORPORA:
            dumps, year, config_file = CORPORA[name]
            base = load_config(config_file, REPO) if config_file else DigestConfig()
            digest = build_digest(dataclasses.replace(base, dumps=(dumps,), default_year=year, cache_dir=CACHE))
        else:
            digest = inspec_digest()
        rows = [("Paper Digest", our_row(digest), time.perf_counter() - start)]
        try:
            start = time.perf_counter()
            rows.append(("BERTopic", bertopic_row(digest), time.perf_counter() - start))
        except ImportError:
            print("(BERTopic is not installed: pip install bertopic)")
        except (ValueError, TypeError) as err:
            print(f"(BERTopic failed on {name}: {err})")
        for system, row, seconds in rows:
            variants = "-" if row["variants"] is None else row["variants"]
            print(f"{name:<22} {system:<13} {len(digest.papers):>6} {row['topics']:>6} {row['coverage']:>8.1%} "
                  f"{row['largest']:>7.1%} {variants:>8} {row['ratio']:>6.2f} {seconds:>7.1f}")


if __name__ == "__main__":
    main()
