"""BM25 over domain tokens (bm25s, Lucene variant)."""

from __future__ import annotations

from pathlib import Path

import bm25s
import numpy as np

K1 = 1.2
B = 0.75


class BM25Index:
    def __init__(self, model: bm25s.BM25) -> None:
        self._model = model
        self.vocabulary = frozenset(model.vocab_dict)

    @classmethod
    def build(cls, corpus_tokens: list[list[str]]) -> BM25Index:
        model = bm25s.BM25(k1=K1, b=B)
        model.index(corpus_tokens, show_progress=False)
        return cls(model)

    @classmethod
    def load(cls, directory: Path) -> BM25Index:
        return cls(bm25s.BM25.load(str(directory)))

    def save(self, directory: Path) -> None:
        self._model.save(str(directory))

    def scores(self, query_tokens: list[str]) -> np.ndarray:
        """Score of every passage, in index order; zeros when no query token is in the vocabulary."""
        known = [token for token in query_tokens if token in self.vocabulary]
        if not known:
            return np.zeros(self.size, dtype=np.float32)
        return np.asarray(self._model.get_scores(known), dtype=np.float32)

    @property
    def size(self) -> int:
        return int(self._model.scores["num_docs"])
