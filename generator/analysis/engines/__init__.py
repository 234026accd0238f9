"""Engines behind one interface: each takes texts and settings and returns every text's ranked
keyphrases and its unit document embedding, in the texts' order. ``local`` ranks in this process;
``ray`` maps slices of texts over Ray actors that each run the local engine's ranking.
"""

from __future__ import annotations

import numpy as np

from generator.config import KeyphraseSettings


def extract_with_engine(texts: list[str], settings: KeyphraseSettings,
                        carried: dict[str, np.ndarray] | None = None) -> tuple[list[list[str]], np.ndarray]:
    """Keyphrases and unit document embeddings of ``texts`` by the engine ``settings.engine`` names.
    ``carried``: candidate embeddings kept from the previous call, for the local engine to reuse
    (``KeyphraseExtractor.extract_with_embeddings``); Ray's actors hold their own."""
    if settings.engine == "ray":
        from generator.analysis.engines.ray import extract_on_ray

        return extract_on_ray(texts, settings)
    from generator.analysis.engines.local import KeyphraseExtractor

    return KeyphraseExtractor(settings).extract_with_embeddings(texts, carried=carried)
