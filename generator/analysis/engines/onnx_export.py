"""Exports a sentence-transformers model to ONNX: its transformer and mean pooling as one graph, batch
and length dynamic, then fused by ONNX Runtime's transformer optimizer (attention, layer norms, GELU as
single operators: documents embed faster, with the same embeddings; docs/performance.md). The model is
traced with eager attention, the form the optimizer recognises. Run as a child process by
``encoders.OnnxEncoder``, so the build's own process never holds torch's copy of the model:

    python -m generator.analysis.engines.onnx_export MODEL_DIR TARGET.onnx
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

from generator.disk import NO_ROOM


def export(model_dir: Path, target: Path) -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    class MeanPooled(torch.nn.Module):
        def __init__(self, transformer: torch.nn.Module) -> None:
            super().__init__()
            self.transformer = transformer

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
            hidden = self.transformer(input_ids=input_ids, attention_mask=attention_mask,
                                      token_type_ids=torch.zeros_like(input_ids)).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)

    model = SentenceTransformer(str(model_dir), device="cpu", model_kwargs={"attn_implementation": "eager"})
    sample = model.tokenizer(["a sample text", "two"], padding=True, return_tensors="pt")
    dynamic = {0: "batch", 1: "length"}
    axes = {"input_ids": dynamic, "attention_mask": dynamic, "pooled": {0: "batch"}}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's notes on shapes it fixes: none is ours to act on
        pooled = MeanPooled(model[0].auto_model.eval())
        torch.onnx.export(pooled, (sample["input_ids"], sample["attention_mask"]), str(target),
                          input_names=["input_ids", "attention_mask"], output_names=["pooled"],
                          dynamic_axes=axes, opset_version=17, dynamo=False)
    _fuse(target, model[0].auto_model.config)


def _fuse(target: Path, config) -> None:
    from onnxruntime.transformers import optimizer

    fused = optimizer.optimize_model(str(target), model_type="bert", num_heads=config.num_attention_heads,
                                     hidden_size=config.hidden_size)
    fused.save_model_to_file(str(target))


if __name__ == "__main__":
    try:
        export(Path(sys.argv[1]), Path(sys.argv[2]))
    except OSError as err:
        if err.errno not in NO_ROOM:
            raise
        sys.exit(err.errno)  # the parent names the path: no room is the reader's to fix, not a bug
