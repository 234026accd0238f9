"""A retrieval test collection (``bench/data/ir/NAME``: docs, queries, relevance judgments) as a digest.

Each document becomes an entry of a blank-separated dump (title, blank line, abstract, blank line), a few
hundred a file, dated one day apart, so the build reads it as it reads any dump. A document with a title
only (half of CACM's) has its title as its abstract too: a listing page always gives both, and two title
lines in a row would read as one paper's title and abstract. The Python references index the documents
as the collection has them. ``paper_docs`` maps
the built site's papers back to the documents through the dump lines ``papers.json.gz`` records for each.
Scores: nDCG@10 (graded as judged), recall@10 and the share of queries with no result at all.
"""

from __future__ import annotations

import datetime as dt
import gzip
import json
import math
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

DOCS_PER_DUMP = 500
FIRST_DAY = dt.date(2024, 1, 1)


@dataclass(frozen=True)
class Collection:
    name: str
    docs: list[dict]
    queries: list[dict]
    """Only the queries with at least one relevant document."""
    judgments: dict[str, dict[str, int]]
    """Query id → doc id → relevance (> 0)."""


def read_collection(folder: Path) -> Collection:
    docs = _jsonl(folder / "docs.jsonl.gz")
    judgments: dict[str, dict[str, int]] = defaultdict(dict)
    with gzip.open(folder / "qrels.tsv.gz", "rt", encoding="utf-8") as lines:
        for line in lines:
            query, doc, relevance = line.rstrip("\n").split("\t")
            if int(relevance) > 0:
                judgments[query][doc] = int(relevance)
    queries = [q for q in _jsonl(folder / "queries.jsonl.gz") if q["id"] in judgments]
    return Collection(folder.name, docs, queries, dict(judgments))


def _jsonl(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def one_line(text: str) -> str:
    return " ".join(text.split())


def write_dumps(collection: Collection, folder: Path) -> dict[tuple[str, int], str]:
    """The documents as dumps in ``folder``; returns (dump file name, line) → doc id of each title line."""
    folder.mkdir(parents=True, exist_ok=True)
    lines_of: dict[tuple[str, int], str] = {}
    for number, start in enumerate(range(0, len(collection.docs), DOCS_PER_DUMP)):
        name = f"{FIRST_DAY + dt.timedelta(days=number)}.txt"
        lines: list[str] = []
        for doc in collection.docs[start:start + DOCS_PER_DUMP]:
            title, abstract = one_line(doc["title"]), one_line(doc["text"])
            if not title and not abstract:
                continue
            lines_of[(name, len(lines) + 1)] = doc["id"]
            lines += [title or abstract, "", abstract or title, ""]
        (folder / name).write_text("\n".join(lines), encoding="utf-8")
    return lines_of


def paper_docs(papers: list[dict], lines_of: dict[tuple[str, int], str]) -> dict[str, list[str]]:
    """Paper id → the doc ids its entries came from (several where the build merged duplicates)."""
    found: dict[str, list[str]] = {}
    for paper in papers:
        docs = [lines_of[(Path(s["file"]).name, s["line"])] for s in paper["sources"]
                if (Path(s["file"]).name, s["line"]) in lines_of]
        found[paper["id"]] = docs
    return found


def ndcg_at_10(ranked_docs: list[list[str]], judged: dict[str, int]) -> float:
    """nDCG@10 of a ranking whose items are papers, each holding one or more documents (counted by the most
    relevant of them, and each relevant document once)."""
    seen: set[str] = set()
    gains = []
    for docs in ranked_docs[:10]:
        best = max(docs, key=lambda d: judged.get(d, 0), default=None)
        gain = judged.get(best, 0) if best not in seen else 0
        seen.add(best)
        gains.append(gain)
    dcg = sum(g / math.log2(rank + 2) for rank, g in enumerate(gains))
    ideal = sum(g / math.log2(rank + 2) for rank, g in enumerate(sorted(judged.values(), reverse=True)[:10]))
    return dcg / ideal if ideal else 0.0


def recall_at_10(ranked_docs: list[list[str]], judged: dict[str, int]) -> float:
    found = {d for docs in ranked_docs[:10] for d in docs if d in judged}
    return len(found) / len(judged)


def bm25_top(texts: list[str], queries: list[str], k1: float = 0.9, b: float = 0.4, top: int = 10
             ) -> list[list[int]]:
    """The ``top`` texts for each query by BM25 (lunr's terms: its stop words and Porter stemmer; BEIR's
    k1 and b), best first, ties to the earlier text."""
    import numpy as np
    from scipy import sparse

    from generator.analysis.terms import LunrTerms

    read = LunrTerms()
    column: dict[str, int] = {}
    rows, columns, counts, lengths = [], [], [], []
    for n, text in enumerate(texts):
        terms = read(text)
        lengths.append(len(terms))
        for term, count in Counter(terms).items():
            rows.append(n)
            columns.append(column.setdefault(term, len(column)))
            counts.append(count)
    tf = np.array(counts, dtype=np.float64)
    length = np.array(lengths, dtype=np.float64)
    frequency = np.bincount(columns, minlength=len(column))
    idf = np.log(1 + (len(texts) - frequency + 0.5) / (frequency + 0.5))
    norm = k1 * (1 - b + b * length[rows] / max(length.mean(), 1e-9))
    weights = idf[columns] * tf * (k1 + 1) / (tf + norm)
    matrix = sparse.csr_matrix((weights, (rows, columns)), shape=(len(texts), len(column)))
    ranked = []
    for query in queries:
        wanted = Counter(column[t] for t in read(query) if t in column)
        vector = np.zeros(len(column))
        for term, count in wanted.items():
            vector[term] = count
        scores = matrix @ vector
        order = [int(n) for n in np.argsort(-scores, kind="stable")[:top] if scores[n] > 0]
        ranked.append(order)
    return ranked
