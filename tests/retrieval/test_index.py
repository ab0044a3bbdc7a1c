"""Index lifecycle with a tiny deterministic embedder, so these tests do not depend on the model."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import pytest

import retrieval.index as index_module
from bot.settings import Settings
from retrieval.index import IndexMismatchError, StaleIndexError, build, ensure_built, load, status


class HashEmbedder:
    model_path = "hash"
    dimension = 8

    def encode(self, texts: list[str], **_: object) -> np.ndarray:
        vectors = np.array(
            [np.frombuffer(hashlib.sha256(t.encode()).digest()[:8], dtype=np.uint8) for t in texts],
            dtype=np.float32,
        )
        return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


@pytest.fixture
def settings(knowledge_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    builds: list[str] = []
    monkeypatch.setattr(index_module, "get_embedder", lambda model: builds.append(model) or HashEmbedder())
    monkeypatch.setattr(index_module, "resolve_model_path", lambda model: "hash")
    return Settings(knowledge_dir=knowledge_copy, index_dir=tmp_path / "index", embedding_model="hash-test")


def test_build_writes_index_and_manifest(settings: Settings) -> None:
    messages: list[str] = []
    manifest = build(settings, progress=messages.append)
    on_disk = json.loads((settings.index_dir / "manifest.json").read_text(encoding="utf-8"))
    assert on_disk == manifest
    assert manifest["embedding_model"] == "hash-test"
    assert manifest["dimension"] == 8
    assert manifest["passages"] == len(load(settings).corpus.passages)
    assert {"faiss-cpu", "sentence-transformers", "jieba", "bm25s"} <= set(manifest["versions"])
    assert any("passages" in m for m in messages)


def test_load_refuses_an_index_built_for_another_model(settings: Settings) -> None:
    build(settings, progress=lambda _: None)
    other = settings.model_copy(update={"embedding_model": "bge-small-zh-v1.5"})
    assert status(other) == "mismatch"
    with pytest.raises(IndexMismatchError, match="bge-small-zh-v1.5"):
        load(other)


def test_stale_corpus_is_refused_by_load_and_rebuilt_by_ensure_built(settings: Settings) -> None:
    build(settings, progress=lambda _: None)
    before = load(settings).manifest["corpus_hash"]
    policy = settings.knowledge_dir / "policies" / "pengyang-2026.md"
    policy.write_text(
        policy.read_text(encoding="utf-8") + "\n附件3 新增表\n\n序号: 1 | 名称: 测试\n", encoding="utf-8"
    )
    assert status(settings) == "stale"
    with pytest.raises(StaleIndexError):
        load(settings)
    manifest = ensure_built(settings, progress=lambda _: None)
    assert manifest["corpus_hash"] != before
    assert "pengyang-2026:a3.1" in load(settings).corpus.by_id


def test_ensure_built_does_nothing_when_fresh(settings: Settings) -> None:
    first = ensure_built(settings, progress=lambda _: None)
    messages: list[str] = []
    second = ensure_built(settings, progress=messages.append)
    assert second["built_at"] == first["built_at"] and messages == []
