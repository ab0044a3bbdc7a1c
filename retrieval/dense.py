"""FAISS inner-product indexes over normalised embeddings (inner product = cosine similarity)."""

from __future__ import annotations

from pathlib import Path

import faiss
import numpy as np


def build_flat_index(embeddings: np.ndarray) -> faiss.Index:
    """Exact search: the right choice while the corpus is small (see retrieval.bench for larger ones)."""
    index = faiss.IndexFlatIP(embeddings.shape[1])
    index.add(embeddings)
    return index


def save_index(index: faiss.Index, path: Path) -> None:
    faiss.write_index(index, str(path))


def load_index(path: Path) -> faiss.Index:
    return faiss.read_index(str(path))


def search(index: faiss.Index, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(similarities, row ids) of the k nearest rows for one query vector; ids of -1 are dropped."""
    scores, ids = index.search(query.reshape(1, -1), min(k, index.ntotal))
    keep = ids[0] >= 0
    return scores[0][keep], ids[0][keep]
