"""Seconds to fit the search's query encoder (generator/analysis/query_encoder.py) to N papers.

A build fits it whenever its papers differ from the kept encoder's (every day with a new dump), so this
is what search by meaning adds to such a build, beside embedding the words it has not met (cached). The
papers are bench/corpus.py's (real titles and abstracts, varied past the first round); their embeddings
and the words' starting vectors are random unit vectors, since the fit's time depends on the terms,
not on the vectors' values.

    .venv/bin/python bench/query_encoder.py [N ...]      (default: 5000 20000 100000)
"""

from __future__ import annotations

import os
import platform
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.corpus import paper, sources  # noqa: E402
from generator.analysis import query_encoder  # noqa: E402
from generator.records import Paper  # noqa: E402

EMBEDDING_DIMS = 384


def _unit_rows(random: np.random.Generator, count: int) -> np.ndarray:
    rows = random.standard_normal((count, EMBEDDING_DIMS)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def measure(count: int) -> dict[str, float]:
    pool = sources()
    papers = [Paper(id=f"p{n}", title=s.title, abstract=s.abstract, sightings=[])
              for n, s in ((n, paper(n, pool)) for n in range(count))]
    random = np.random.default_rng(0)
    embeddings = dict(zip((p.id for p in papers), _unit_rows(random, count), strict=True))
    started = time.perf_counter()
    encoder = query_encoder.update_query_encoder(papers, embeddings, "bench", lambda words: _unit_rows(
        random, len(words)), previous=None)
    fitted = time.perf_counter() - started
    started = time.perf_counter()
    query_encoder.update_query_encoder(papers, embeddings, "bench", lambda words: _unit_rows(
        random, len(words)), previous=encoder)
    return {"papers": count, "terms": len(encoder.terms), "dims": encoder.dims, "fit_s": fitted,
            "same_papers_s": time.perf_counter() - started}


def main() -> None:
    counts = [int(arg) for arg in sys.argv[1:]] or [5000, 20000, 100000]
    print(f"machine: {platform.machine()}, {len(os.sched_getaffinity(0))} CPUs")
    print(f"{'papers':>8} {'terms':>8} {'dims':>5} {'fit, s':>8} {'same papers, s':>15}")
    for count in counts:
        row = measure(count)
        print(f"{row['papers']:>8} {row['terms']:>8} {row['dims']:>5} {row['fit_s']:>8.1f} "
              f"{row['same_papers_s']:>15.1f}")


if __name__ == "__main__":
    main()
