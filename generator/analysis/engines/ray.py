"""The keyphrase stage on a Ray cluster: ``keyphrases.engine: ray`` (``pip install .[ray]``).

The keyphrase stage is the part of a build that grows with the corpus. Here it maps onto Ray Data:
the driver cleans the texts and chooses candidate spellings over all of them, as the local engine does,
then ``map_batches`` hands slices of texts to a pool of actors, each holding one model (on a GPU when
``ray_gpus_per_actor`` is set). Results come back in the texts' order, identical to the local engine's.
``RAY_ADDRESS`` names the cluster; without it Ray starts a local one.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from generator.analysis.engines.encoders import encoder_for
from generator.analysis.engines.local import SLICE_TEXTS, KeyphraseExtractor
from generator.config import KeyphraseSettings


class RankBatch:
    """A Ray actor: the encoder is loaded once, then each batch of prepared texts is ranked."""

    def __init__(self, settings: KeyphraseSettings) -> None:
        self.extractor = KeyphraseExtractor(settings)
        self.encoder = encoder_for(settings)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, Any]:
        texts = [str(text) for text in batch["text"]]
        candidates = [[str(p) for p in phrases] for phrases in batch["candidates"]]
        phrases, vectors = self.extractor.rank(self.encoder, texts, candidates, {})
        return {"index": batch["index"], "keyphrases": [list(p) for p in phrases], "embedding": vectors}


def extract_on_ray(texts: list[str], settings: KeyphraseSettings) -> tuple[list[list[str]], np.ndarray]:
    """Keyphrases and unit document embeddings of ``texts``, ranked by Ray actors."""
    import ray

    if not texts:
        return [], np.zeros((0, 0), dtype=np.float32)
    plain, candidates = KeyphraseExtractor(settings).prepare(texts)
    if not ray.is_initialized():
        ray.init(log_to_driver=False)
    items = [{"index": i, "text": text, "candidates": phrases}
             for i, (text, phrases) in enumerate(zip(plain, candidates, strict=True))]
    ranked = ray.data.from_items(items).map_batches(
        RankBatch,
        fn_constructor_kwargs={"settings": settings},
        batch_size=SLICE_TEXTS,
        compute=ray.data.ActorPoolStrategy(size=settings.ray_actors),
        num_gpus=settings.ray_gpus_per_actor,
    )
    rows = sorted(ranked.take_all(), key=lambda row: row["index"])
    return [[str(p) for p in row["keyphrases"]] for row in rows], np.vstack([row["embedding"] for row in rows])
