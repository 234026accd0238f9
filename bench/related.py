"""Related papers (generator/related.py) at digest sizes: seconds and the memory the stage adds.

Embeddings are random unit vectors of the model's width (384): the stage's cost depends on the count
alone, not on the text.

    .venv/bin/python bench/related.py [N ...]     (default: 605 5000 20000)
"""

from __future__ import annotations

import os
import platform
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.analysis.related import related_papers
from generator.records import Paper

WIDTH = 384
COUNT = 5


def main() -> None:
    counts = [int(a) for a in sys.argv[1:]] or [605, 5000, 20000]
    print(f"machine: {platform.machine()}, {len(os.sched_getaffinity(0))} CPUs, numpy {np.__version__}")
    print(f"{'papers':>7} {'seconds':>8} {'peak MB':>8}")
    rng = np.random.default_rng(0)
    for count in counts:
        vectors = rng.normal(size=(count, WIDTH)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        papers = [Paper(id=f"p{n}", title="", abstract="", sightings=[]) for n in range(count)]
        embeddings = {p.id: v for p, v in zip(papers, vectors, strict=True)}
        tracemalloc.start()
        start = time.perf_counter()
        related_papers(papers, embeddings, COUNT)
        seconds = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"{count:>7} {seconds:>8.2f} {peak / 1e6:>8.0f}", flush=True)


if __name__ == "__main__":
    main()
