"""Keyphrases on a GPU: abstracts per second over the 20,000-paper corpus, and agreement with the CPU.

The texts are the synthetic corpus of ``bench/corpus.py`` (real abstracts). The timed run is the
build's own extractor (``KeyphraseExtractor`` on ``cuda``, float16) over all of them, after a warm-up
that loads the model and initialises CUDA. Agreement is measured on the first ``--sample`` texts,
extracted on their own on both devices: the share of each text's CPU top-5 found in its GPU top-5,
averaged, and the cosine between the two document embeddings.

The CPU side is computed here unless ``--reference`` names a file written earlier with ``--write-reference``
on a CPU machine (the GPU machine may have no room or time for it).

    make bench-gpu                                         # installs a CUDA torch when needed, then this
    python bench/gpu.py --write-reference ref.json          # on a CPU machine: the CPU side only
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import json
import platform
import pstats
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.config import BUNDLED_MODEL, KeyphraseSettings  # noqa: E402

# The candidate workers import this module as their main: what loads torch is imported where it is used.

TOP = 5


def corpus_texts(count: int) -> list[str]:
    from bench.corpus import paper, sources

    pool = sources()
    return [f"{source.title}. {source.abstract}" for source in (paper(i, pool) for i in range(count))]


def extract(texts: list[str], device: str, model: str, batch: int = 0
            ) -> tuple[list[list[str]], np.ndarray, float]:
    from generator.analysis.engines.local import KeyphraseExtractor

    extractor = KeyphraseExtractor(KeyphraseSettings(device=device, model=model, batch_size=batch))
    start = time.perf_counter()
    phrases, embeddings = extractor.extract_with_embeddings(texts, progress=False)
    return phrases, embeddings, time.perf_counter() - start


class Stopwatch:
    """Adds up the seconds spent in ``owner.attribute`` (a module's function, a class's method or an
    object's method) until ``stop``."""

    def __init__(self, owner: object, attribute: str) -> None:
        self.owner, self.attribute, self.seconds, self.calls = owner, attribute, 0.0, 0
        self.saved = vars(owner).get(attribute)
        original = self.saved or getattr(owner, attribute)

        def timed(*args, **kwargs):
            self.calls += 1
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - start

        setattr(owner, attribute, timed)

    def stop(self) -> None:
        if self.saved is None:
            delattr(self.owner, self.attribute)
        else:
            setattr(self.owner, self.attribute, self.saved)


def agreement(gpu: list[list[str]], cpu: list[list[str]]) -> float:
    shares = [len(set(g[:TOP]) & set(c[:TOP])) / max(1, len(c[:TOP])) for g, c in zip(gpu, cpu, strict=True)]
    return float(np.mean(shares))


def write_reference(path: Path, count: int, model: str) -> None:
    texts = corpus_texts(count)
    phrases, embeddings, seconds = extract(texts, "cpu", model)
    path.write_text(json.dumps({"texts": texts, "keyphrases": phrases,
                                "embeddings": embeddings.astype(np.float32).round(6).tolist()}),
                    encoding="utf-8")
    print(f"CPU reference: {count} texts in {seconds:.1f} s ({count / seconds:.1f}/s) -> {path}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--papers", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=1_000, help="texts compared with the CPU (0: none)")
    parser.add_argument("--batch", type=int, default=0, help="keyphrases.batch_size (0: the default)")
    parser.add_argument("--profile", action="store_true", help="print where the timed run spent its time")
    parser.add_argument("--model", default=BUNDLED_MODEL, help="model name or folder")
    parser.add_argument("--device", default="cuda", help="the device measured (cuda; mps or cpu to compare)")
    parser.add_argument("--reference", type=Path, help="CPU results written by --write-reference")
    parser.add_argument("--write-reference", type=Path, help="write the CPU side of the sample and stop")
    args = parser.parse_args()
    if args.write_reference:
        write_reference(args.write_reference, args.sample, args.model)
        return

    import torch

    from generator.analysis.engines import local
    from generator.analysis.engines.encoders import encoder_for
    from generator.analysis.phrases import PARALLEL_TEXTS, CandidateSet, default_workers

    device = args.device
    on_cuda = device == "cuda"
    if on_cuda and not torch.cuda.is_available():
        sys.exit("No CUDA device: this bench measures the GPU path (bench/keyphrases.py measures the CPU).")
    card = torch.cuda.get_device_name(0) if on_cuda else platform.processor() or platform.machine()
    print(f"{card}; torch {torch.__version__}, Python {platform.python_version()}")
    start = time.perf_counter()
    texts = corpus_texts(args.papers)
    print(f"{len(texts)} corpus texts made in {time.perf_counter() - start:.1f} s")

    settings = KeyphraseSettings(device=device, model=args.model, batch_size=args.batch)
    encoder = encoder_for(settings)
    extract(texts[:200], device, args.model, args.batch)  # warm-up: CUDA context, kernels, the tokenizer
    start = time.perf_counter()
    CandidateSet.from_texts(texts[:PARALLEL_TEXTS])
    print(f"warm-up: candidate workers started ({default_workers(len(texts))} of them, once per process) "
          f"in {time.perf_counter() - start:.1f} s")
    watches = [Stopwatch(local.KeyphraseExtractor, "prepare"), Stopwatch(local.KeyphraseExtractor, "rank"),
               Stopwatch(encoder, "encode"), Stopwatch(local, "rank_by_mmr")]
    profile = cProfile.Profile() if args.profile else None
    with profile or contextlib.nullcontext():
        _phrases, _embeddings, seconds = extract(texts, device, args.model, args.batch)
    for watch in watches:
        watch.stop()
    memory = f"; peak GPU memory {torch.cuda.max_memory_allocated() / 2**20:.0f} MiB" if on_cuda else ""
    print(f"{device}: {len(texts)} abstracts in {seconds:.1f} s = {len(texts) / seconds:.0f} abstracts/s, "
          f"batch {encoder.batch_size}{memory}")
    prepare, ranking, encoding, mmr = (watch.seconds for watch in watches)
    print(f"  candidate phrases (CPU, {default_workers(len(texts))} processes): {prepare:.1f} s")
    print(f"  model encoding with tokenisation: {encoding:.1f} s")
    print(f"  MMR ranking: {mmr:.1f} s")
    print(f"  the rest: {ranking - encoding - mmr:.1f} s in ranking slices (vocabulary, document chunks), "
          f"{seconds - prepare - ranking:.1f} s outside them")
    if profile:
        pstats.Stats(profile).sort_stats("tottime").print_stats(20)
    if not args.sample:
        return

    if args.reference:
        reference = json.loads(args.reference.read_text(encoding="utf-8"))
        sample, cpu_phrases = reference["texts"], reference["keyphrases"]
        cpu_embeddings = np.array(reference["embeddings"], dtype=np.float32)
        if sample != texts[:len(sample)]:
            sys.exit(f"{args.reference} was written for other texts")
    else:
        sample = texts[:args.sample]
        cpu_phrases, cpu_embeddings, cpu_seconds = extract(sample, "cpu", args.model)
        print(f"CPU: {len(sample)} abstracts in {cpu_seconds:.1f} s = {len(sample) / cpu_seconds:.1f}/s")
    gpu_phrases, gpu_embeddings, _ = extract(sample, device, args.model)
    cosines = np.sum(gpu_embeddings * cpu_embeddings, axis=1)
    identical = np.mean([g == c for g, c in zip(gpu_phrases, cpu_phrases, strict=True)])
    print(f"Agreement on {len(sample)} abstracts: top-{TOP} overlap {agreement(gpu_phrases, cpu_phrases):.1%}, "
          f"identical top-{TOP} lists {identical:.1%}, "
          f"document embedding cosine min {cosines.min():.4f} / mean {cosines.mean():.5f}")


if __name__ == "__main__":
    main()
