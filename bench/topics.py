"""Topic quality on the seeds, the example dumps and Inspec's abstracts (other fields), against
BERTopic on the same papers.

For each corpus: number of topics, share of papers with a topic, the largest topic's share of the
papers, pairs of topic labels that are variants of each other, labels made only of generic words, pairs
of labels that say the same thing (equal once generic words are left out), topics under 3 papers, and the
within-topic similarity ratio: the mean cosine similarity of paper embeddings within a topic (averaged
over topics), over the mean similarity of all pairs of papers. On Inspec, label support too: the share of
a topic's papers whose human-assigned keys hold every content word of the label (Porter stems), averaged
over topics. BERTopic (installed separately: `pip install bertopic`) gets the same papers and embeddings.

The seeds are built twice: as they come, and curated, with the wordings that bench/seeds-curated.yml
declares one idea (`topics.same`), as a reader would after reading their topic index.

Then stability: the seeds built from their first four dumps, then with the fifth added (+25% papers), with
the topics kept between the builds (as `digest build` does), for comparison clustered anew, and kept while
the curation is declared at the fifth: the share of earlier topic addresses that still resolve (a live
topic or a redirect) and of earlier placed papers that keep at least one of their topics, and exactly
their topics.

    .venv/bin/python bench/topics.py
    .venv/bin/python bench/topics.py --scale 5000    (one added day at 5,000 papers; about 6 minutes cold)
"""

from __future__ import annotations

import dataclasses
import platform
import re
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
from nltk.stem.porter import PorterStemmer  # noqa: E402

from bench.corpus import write_corpus  # noqa: E402
from bench.examples import INSPEC, SEED_DEFAULT_YEAR, SEEDS  # noqa: E402
from bench.topic_measures import near_synonym_pairs, similarity_ratio, variant_pairs  # noqa: E402
from generator.analysis.cache import TextCache  # noqa: E402
from generator.analysis.keyphrases import (  # noqa: E402
    PhraseEmbedder,
    extract_keyphrases,
    paper_text,
    paper_texts,
    text_file_document,
)
from generator.analysis.phrases import FUNCTION_WORDS  # noqa: E402
from generator.analysis.topics import TEXT_KEYS_VERSION, build_topics, content_key, text_phrase_keys  # noqa: E402
from generator.config import DigestConfig, load_config  # noqa: E402
from generator.pipeline import build_digest  # noqa: E402
from generator.records import Digest, Paper  # noqa: E402
from generator.slugs import slug  # noqa: E402

CORPORA = {
    "seeds": (SEEDS, SEED_DEFAULT_YEAR, None),
    "seeds, curated": (SEEDS, SEED_DEFAULT_YEAR, REPO / "bench" / "seeds-curated.yml"),
    "example dumps": (REPO / "dumps", None, REPO / "site_config" / "digest.yml"),
}
"""Dumps, default year and configuration file (None: the defaults) of each corpus."""
"""Abstracts from other fields (control, networks, finance, libraries, ...), read as papers."""
CACHE = REPO / ".cache" / "bench"
_STEMMER = PorterStemmer()
COUNTS = ("variants", "generic", "duplicates", "small")


def our_row(digest: Digest) -> dict:
    n = len(digest.papers)
    sizes = [len(t.paper_ids) for t in digest.topics]
    keys = [content_key(t.label) for t in digest.topics]
    return {
        "topics": len(digest.topics),
        "coverage": sum(1 for p in digest.papers if p.topics) / n,
        "largest": max(sizes) / n if sizes else 0.0,
        "variants": len(variant_pairs([t.label for t in digest.topics])),
        "generic": sum(not k for k in keys),
        "duplicates": len(keys) - len(set(keys)),
        "small": sum(s < 3 for s in sizes),
        "ratio": similarity_ratio([t.paper_ids for t in digest.topics], digest.embeddings),
    }


def label_support(digest: Digest, half: int | None = None) -> float:
    """Mean over topics of the share of papers whose Inspec keys hold every content word of the label;
    ``half`` 0 or 1: over the papers of even or odd document number only."""
    key_words = {}
    for path in (INSPEC / "keys").glob("*.key"):
        text = path.read_text(encoding="utf-8", errors="replace")
        key_words[f"inspec-{path.stem}"] = {_STEMMER.stem(w) for w in re.findall(r"[a-z0-9]+", text.lower())}
    shares = []
    for topic in digest.topics:
        words = re.findall(r"[a-z0-9]+", topic.label.split(" (")[0].lower())
        needed = {_STEMMER.stem(w) for w in words if w not in FUNCTION_WORDS}
        members = [i for i in topic.paper_ids if half is None or int(i.split("-")[1]) % 2 == half]
        if members:
            shares.append(np.mean([needed <= key_words.get(i, set()) for i in members]))
    return float(np.mean(shares)) if shares else 0.0


def stability(dumps: list[Path], year: int | None, folder: Path, same: tuple[tuple[str, ...], ...] = ()
              ) -> dict[str, float]:
    """Builds the first dumps, then all of them: with the topics kept, clustered anew, and, given ``same``,
    kept while a reader declares those wordings one at the second build."""
    result = {}
    for number, name in enumerate(("kept", "anew", "kept, then curated")[:3 if same else 2]):
        state = folder / f"topics-{number}.json"
        config = DigestConfig(dumps=tuple(dumps[:-1]), default_year=year, cache_dir=CACHE)
        config = dataclasses.replace(config, topics=dataclasses.replace(config.topics, state_file=state))
        before = build_digest(config)
        if name == "anew":
            state.unlink()
        later = config.with_dumps(dumps)
        if name.endswith("curated"):
            later = dataclasses.replace(later, topics=dataclasses.replace(later.topics, same=same))
        after = build_digest(later)
        now = {t.id for t in after.topics} | {r.id for r in after.retired_topics}
        topics_now = {p.id: set(p.topics) for p in after.papers}
        placed = [p for p in before.papers if p.topics]
        result[f"{name}: urls"] = sum(t.id in now for t in before.topics) / len(before.topics)
        keeps_some = sum(bool(set(p.topics) & topics_now[p.id]) for p in placed)
        result[f"{name}: some topic"] = keeps_some / len(placed)
        result[f"{name}: same topics"] = sum(set(p.topics) == topics_now[p.id] for p in placed) / len(placed)
        result[f"{name}: papers before/after"] = f"{len(before.papers)}/{len(after.papers)}"
    return result


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
    texts = paper_texts(papers)
    phrase_keys = TextCache(CACHE, TEXT_KEYS_VERSION, name="text-phrases.json")
    topics = build_topics(papers, config.topics, embeddings, texts, PhraseEmbedder(config.keyphrases, CACHE),
                          phrase_keys.through(text_phrase_keys))
    phrase_keys.save()
    return Digest(papers, topics, embeddings=embeddings)


def scale_stability(count: int, extra: int = 50) -> dict[str, float | int]:
    """A synthetic digest of ``count`` papers (bench/corpus.py), then one more day of ``extra`` papers,
    topics kept between the two builds: topics, the largest topic, URL survival and unchanged memberships."""
    folder = REPO / ".cache" / "bench-scale" / str(count)
    if not (folder / "dumps").exists():
        write_corpus(count, folder / "dumps")
    write_corpus(count, folder / "topics-day", extra=extra)
    state = folder / "topics-state.json"
    state.unlink(missing_ok=True)
    config = DigestConfig(dumps=(folder / "dumps",), cache_dir=folder / "cache")
    config = dataclasses.replace(config, topics=dataclasses.replace(config.topics, state_file=state))
    before = build_digest(config)
    after = build_digest(config.with_dumps([folder / "dumps", folder / "topics-day"]))
    now = {t.id for t in after.topics} | {r.id for r in after.retired_topics}
    topics_now = {p.id: p.topics for p in after.papers}
    return {
        "topics": len(after.topics),
        "largest topic": max(len(t.paper_ids) for t in after.topics),
        "papers with a topic": sum(bool(p.topics) for p in after.papers) / len(after.papers),
        "addresses that resolve": sum(t.id in now for t in before.topics) / len(before.topics),
        "papers keeping exactly their topics": sum(topics_now[p.id] == p.topics for p in before.papers)
        / len(before.papers),
        "new topics": len({t.id for t in after.topics} - {t.id for t in before.topics}),
    }


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--scale":
        count = int(sys.argv[2])
        for measure, value in scale_stability(count).items():
            shown = f"{value:.1%}" if isinstance(value, float) else value
            print(f"{count} papers, one more day of 50: {measure}: {shown}")
        return
    print(f"machine: {platform.machine()}, Python {platform.python_version()}")
    print(f"{'corpus':<22} {'system':<13} {'papers':>6} {'topics':>6} {'coverage':>8} {'largest':>7} "
          f"{'variants':>8} {'generic':>7} {'dupes':>5} {'small':>5} {'ratio':>6} {'seconds':>7}")
    for name in [*CORPORA, "inspec (other fields)"]:
        start = time.perf_counter()
        if name in CORPORA:
            dumps, year, config_file = CORPORA[name]
            base = load_config(config_file, REPO) if config_file else DigestConfig()
            state = CACHE / f"topics-{slug(name, 'corpus')}.json"
            state.unlink(missing_ok=True)
            base = dataclasses.replace(base, topics=dataclasses.replace(base.topics, state_file=state))
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
            cells = ["-" if row.get(k) is None else row[k] for k in COUNTS]
            print(f"{name:<22} {system:<13} {len(digest.papers):>6} {row['topics']:>6} {row['coverage']:>8.1%} "
                  f"{row['largest']:>7.1%} {cells[0]:>8} {cells[1]:>7} {cells[2]:>5} {cells[3]:>5} "
                  f"{row['ratio']:>6.2f} {seconds:>7.1f}")
        if name.startswith("inspec"):
            print(f"label support on Inspec (Paper Digest): {label_support(digest):.3f} "
                  f"(even documents {label_support(digest, 0):.3f}, odd {label_support(digest, 1):.3f})")
        labels = [t.label for t in digest.topics]
        vectors = PhraseEmbedder(DigestConfig().keyphrases, CACHE)([label.split(" (")[0] for label in labels])
        pairs = near_synonym_pairs(labels, vectors)
        print(f"{name}: {len(pairs)} label pairs to read (cosine >= 0.75, or all words but the last alike):")
        for a, b in pairs:
            print(f"    {a}  /  {b}")
    with tempfile.TemporaryDirectory() as folder:
        curated = load_config(CORPORA["seeds, curated"][2], REPO).topics.same
        for measure, value in stability(sorted(SEEDS.glob("*.txt")), SEED_DEFAULT_YEAR, Path(folder),
                                        curated).items():
            shown = value if isinstance(value, str) else f"{value:.1%}"
            print(f"seeds, 4 dumps then 5, topics {measure}: {shown}")


if __name__ == "__main__":
    main()
