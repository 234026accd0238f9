"""Keyphrase quality and speed on Inspec (dev), against KeyBERT's defaults, in one run.

Reads documents from DATA/docs/N.txt (first line or lines the title, as `digest keywords` reads them) and
gold keyphrases from DATA/keys/N.key (one per line); DATA is
bench/data/inspec-dev unless given. A prediction counts when its Porter-stemmed lower-case words
equal a gold phrase's; predictions and gold phrases that are equal after stemming count once. F1@k is
averaged over documents; precision divides by the predictions made (at most k).

Paper Digest runs twice, on its default runtime (ONNX Runtime on a CPU) and on torch; the last line
compares the two: document embedding cosines and identical top-10 lists. Model loading is not timed.

    .venv/bin/python bench/keyphrases.py [DATA] [--limit N]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402
from nltk.stem.porter import PorterStemmer  # noqa: E402

from bench.examples import INSPEC  # noqa: E402
from generator.analysis.engines.encoders import choose_device, encoder_for, load_model  # noqa: E402
from generator.analysis.engines.local import KeyphraseExtractor  # noqa: E402
from generator.analysis.keyphrases import text_file_document  # noqa: E402
from generator.config import KeyphraseSettings  # noqa: E402

_STEMMER = PorterStemmer()
_TOKEN = re.compile(r"[a-z0-9]+")


def stem(phrase: str) -> str:
    return " ".join(_STEMMER.stem(w) for w in _TOKEN.findall(phrase.lower()))


def load(data: Path, limit: int | None) -> tuple[list[str], list[set[str]]]:
    names = sorted((data / "docs").glob("*.txt"), key=lambda p: int(p.stem) if p.stem.isdigit() else p.stem)
    names = names[:limit] if limit else names
    docs, gold = [], []
    for path in names:
        docs.append(text_file_document(path.read_text(encoding="utf-8", errors="replace")))
        keys = (data / "keys" / f"{path.stem}.key").read_text(encoding="utf-8", errors="replace")
        gold.append({stem(k) for k in keys.splitlines() if k.strip()} - {""})
    return docs, gold


def f1_at(predictions: list[list[str]], gold: list[set[str]], k: int) -> float:
    total = 0.0
    for predicted, expected in zip(predictions, gold, strict=True):
        stems = list(dict.fromkeys(s for s in (stem(p) for p in predicted[:k]) if s))
        correct = sum(s in expected for s in stems)
        precision = correct / len(stems) if stems else 0.0
        recall = correct / len(expected) if expected else 0.0
        total += 2 * precision * recall / (precision + recall) if correct else 0.0
    return total / len(gold)


def halves(predictions: list[list[str]], gold: list[set[str]]) -> str:
    """F1@5 and F1@10 on the even- and odd-numbered documents: how much a figure moves with the sample."""
    parts = []
    for name, start in (("even", 0), ("odd", 1)):
        half, expected = predictions[start::2], gold[start::2]
        parts.append(f"{name} {f1_at(half, expected, 5):.3f} / {f1_at(half, expected, 10):.3f}")
    return ", ".join(parts)


def keybert_defaults(docs: list[str]) -> list[list[str]]:
    from keybert import KeyBERT

    model = load_model("all-MiniLM-L6-v2", choose_device("auto"))
    results = KeyBERT(model=model).extract_keywords(docs, keyphrase_ngram_range=(1, 3), stop_words="english",
                                                    top_n=10)
    return [[phrase for phrase, _ in doc] for doc in results]


RUNS: dict[str, tuple[list[list[str]], np.ndarray]] = {}
"""Each runtime's keyphrases and document embeddings, for the agreement line."""


def paper_digest(docs: list[str], runtime: str = "auto") -> list[list[str]]:
    RUNS[runtime] = KeyphraseExtractor(_settings(runtime)).extract_with_embeddings(docs, progress=False)
    return RUNS[runtime][0]


def _settings(runtime: str) -> KeyphraseSettings:
    return KeyphraseSettings(top_n=10, runtime=runtime)


def agreement() -> str:
    """How the ONNX runtime's results compare with torch's on the same documents."""
    (onnx_phrases, onnx_vectors), (torch_phrases, torch_vectors) = RUNS["auto"], RUNS["torch"]
    cosines = (onnx_vectors * torch_vectors).sum(axis=1)
    same = sum(a == b for a, b in zip(onnx_phrases, torch_phrases, strict=True)) / len(onnx_phrases)
    return (f"ONNX Runtime against torch: document embedding cosine min {cosines.min():.6f}, mean "
            f"{cosines.mean():.6f}; identical top-10 lists {same:.1%}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=INSPEC)
    parser.add_argument("--limit", type=int, help="only the first N documents")
    parser.add_argument("--only", choices=["keybert", "digest", "digest-torch"], help="run one system only")
    args = parser.parse_args()
    docs, gold = load(args.data, args.limit)
    load_model("all-MiniLM-L6-v2", choose_device("auto"))  # model loading (and the ONNX export) is not timed
    for runtime in ("auto", "torch"):
        encoder_for(_settings(runtime))
    print(f"{len(docs)} documents from {args.data}; device {choose_device('auto')}, "
          f"{len(os.sched_getaffinity(0))} CPUs, {platform.machine()}, Python {platform.python_version()}")
    print(f"{'system':<28} {'F1@5':>6} {'F1@10':>6} {'docs/s':>8} {'seconds':>8}   halves, F1@5 / F1@10")
    rates = {}
    systems = {"keybert": ("KeyBERT defaults", keybert_defaults),
               "digest": ("Paper Digest", paper_digest),
               "digest-torch": ("Paper Digest, torch runtime", lambda d: paper_digest(d, "torch"))}
    for key, (name, extract) in systems.items():
        if args.only and key != args.only:
            continue
        start = time.perf_counter()
        predictions = extract(docs)
        seconds = time.perf_counter() - start
        rates[name] = len(docs) / seconds
        print(f"{name:<28} {f1_at(predictions, gold, 5):6.3f} {f1_at(predictions, gold, 10):6.3f} "
              f"{rates[name]:8.1f} {seconds:8.1f}   {halves(predictions, gold)}")
    if "Paper Digest" in rates and "KeyBERT defaults" in rates:
        print(f"speed-up over KeyBERT defaults: {rates['Paper Digest'] / rates['KeyBERT defaults']:.1f}x")
    if len(RUNS) == 2:
        print(agreement())


if __name__ == "__main__":
    main()
