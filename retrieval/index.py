"""Index lifecycle: build the BM25 and FAISS indexes with a JSON manifest, load them, rebuild when stale.

Layout of `settings.index_dir`: manifest.json, dense.faiss, bm25/, passages.json (row → passage_id) and
embedded.json (row → digest of the text embedded). A build writes into a sibling temporary directory and
swaps it in, under a file lock, so a process that loads concurrently never sees half an index. A rebuild
embeds only the texts the previous index (same model and libraries) did not have: adding a document to
the base embeds that document's passages, not the whole base.
"""

from __future__ import annotations

import fcntl
import hashlib
import importlib.metadata
import json
import platform
import shutil
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from retrieval.bm25 import K1, B, BM25Index
from retrieval.corpus import Corpus, corpus_hash, load_corpus
from retrieval.dense import build_flat_index, load_index, save_index
from retrieval.embedder import get_embedder, resolve_model_path
from retrieval.tokenizer import get_tokenizer

if TYPE_CHECKING:
    import faiss

    from bot.settings import Settings

# Raised when what is built changes: the files, or the BM25 tokens (2: 关于 and 对于 became stop-words).
FORMAT_VERSION = 2
MANIFEST = "manifest.json"
DENSE_FILE = "dense.faiss"
BM25_DIR = "bm25"
PASSAGE_IDS_FILE = "passages.json"
EMBEDDED_FILE = "embedded.json"
# An embedding is reused only from an index built with the same model files and these libraries.
EMBEDDING_PACKAGES = ("sentence-transformers", "torch", "transformers")
VERSIONED_PACKAGES = (
    "sentence-transformers",
    "torch",
    "transformers",
    "faiss-cpu",
    "bm25s",
    "jieba",
    "numpy",
)

Progress = Callable[[str], None]


class RetrievalIndexError(Exception):
    """Base class for index problems."""


class IndexNotBuiltError(RetrievalIndexError):
    pass


class IndexMismatchError(RetrievalIndexError):
    """The index on disk was built with another embedding model or format than the one configured."""


class StaleIndexError(RetrievalIndexError):
    """The knowledge files changed since the index was built."""


@dataclass
class LoadedIndex:
    manifest: dict[str, Any]
    corpus: Corpus
    dense: faiss.Index
    bm25: BM25Index


def _settings(settings: Settings | None) -> Settings:
    if settings is not None:
        return settings
    from bot.settings import get_settings

    return get_settings()


def _versions() -> dict[str, str]:
    versions = {"python": platform.python_version()}
    for package in VERSIONED_PACKAGES:
        try:
            versions[package] = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions


@contextmanager
def _build_lock(index_dir: Path) -> Iterator[None]:
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    with open(index_dir.parent / f".{index_dir.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def read_manifest(index_dir: Path) -> dict[str, Any] | None:
    path = index_dir / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def status(settings: Settings | None = None) -> str:
    """ "missing", "mismatch" (other model or format), "stale" (knowledge changed) or "ok"."""
    settings = _settings(settings)
    manifest = read_manifest(settings.index_dir)
    if manifest is None:
        return "missing"
    if (
        manifest.get("format") != FORMAT_VERSION
        or manifest.get("embedding_model") != settings.embedding_model
    ):
        return "mismatch"
    if manifest.get("corpus_hash") != corpus_hash(settings.knowledge_dir):
        return "stale"
    return "ok"


def build(settings: Settings | None = None, progress: Progress = print) -> dict[str, Any]:
    """Build both indexes from knowledge/ and write them with their manifest; returns the manifest."""
    settings = _settings(settings)
    with _build_lock(settings.index_dir):
        return _build_unlocked(settings, progress)


def _build_unlocked(settings: Settings, progress: Progress) -> dict[str, Any]:
    started = time.perf_counter()
    knowledge_dir, index_dir = settings.knowledge_dir, settings.index_dir
    corpus = load_corpus(knowledge_dir)
    progress(
        f"corpus: {len(corpus.documents)} documents, {len(corpus.passages)} passages from {knowledge_dir}"
    )
    texts = corpus.index_texts()

    tokenizer = get_tokenizer(knowledge_dir / "glossary.yml")
    bm25 = BM25Index.build([tokenizer.bm25_tokens(text) for text in corpus.lexical_texts()])
    progress(f"bm25: indexed {bm25.size} passages ({len(tokenizer.dictionary)} dictionary words)")

    versions = _versions()
    model_path = resolve_model_path(settings.embedding_model)
    digests = [_digest(text) for text in texts]
    vectors = _reusable_embeddings(index_dir, model_path, versions)
    new = {digest: text for digest, text in zip(digests, texts, strict=True) if digest not in vectors}
    progress(
        f"embedding {len(new)} new texts with {settings.embedding_model} ({model_path}); "
        f"{sum(d not in new for d in digests)} reused from the last build"
    )
    if new or not vectors:  # the model is loaded only when there is something to embed (or no dimension)
        embedder = get_embedder(settings.embedding_model)
        vectors.update(zip(new, embedder.encode(list(new.values())), strict=True))
        dimension = embedder.dimension
    else:
        dimension = len(next(iter(vectors.values())))
    embeddings = np.array([vectors[digest] for digest in digests], dtype=np.float32).reshape(-1, dimension)
    dense = build_flat_index(embeddings)
    progress(f"faiss: IndexFlatIP, {dense.ntotal} vectors of dimension {dense.d}")

    manifest = {
        "format": FORMAT_VERSION,
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "embedding_model": settings.embedding_model,
        "model_path": model_path,
        "dimension": dimension,
        "normalized": True,
        "faiss_index": "IndexFlatIP",
        "bm25": {"method": "lucene", "k1": K1, "b": B},
        "corpus_hash": corpus_hash(knowledge_dir),
        "documents": sorted(corpus.documents),
        "passages": len(corpus.passages),
        "dictionary_words": len(tokenizer.dictionary),
        "versions": versions,
    }
    staging = index_dir.with_name(f"{index_dir.name}.building")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    save_index(dense, staging / DENSE_FILE)
    bm25.save(staging / BM25_DIR)
    ids = [p.passage_id for p in corpus.passages]
    (staging / PASSAGE_IDS_FILE).write_text(json.dumps(ids, ensure_ascii=False, indent=1), encoding="utf-8")
    (staging / EMBEDDED_FILE).write_text(json.dumps(digests, indent=1), encoding="utf-8")
    (staging / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    shutil.rmtree(index_dir, ignore_errors=True)
    staging.rename(index_dir)
    progress(f"index written to {index_dir} in {time.perf_counter() - started:.1f} s")
    return manifest


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def _reusable_embeddings(index_dir: Path, model_path: str, versions: dict[str, str]) -> dict[str, np.ndarray]:
    """Text digest → embedding from the index on disk, if it was built with the same model files and
    libraries; empty otherwise (then everything is embedded)."""
    manifest = read_manifest(index_dir)
    if (
        manifest is None
        or manifest.get("format") != FORMAT_VERSION
        or manifest.get("model_path") != model_path
        or any(manifest.get("versions", {}).get(p) != versions[p] for p in EMBEDDING_PACKAGES)
    ):
        return {}
    try:
        digests = json.loads((index_dir / EMBEDDED_FILE).read_text(encoding="utf-8"))
        dense = load_index(index_dir / DENSE_FILE)
    except (OSError, ValueError, RuntimeError):
        return {}
    if dense.ntotal != len(digests):
        return {}
    return dict(zip(digests, dense.reconstruct_n(0, dense.ntotal), strict=True))


def ensure_built(settings: Settings | None = None, progress: Progress = print) -> dict[str, Any]:
    """Rebuild only when the index is missing, stale or built for another model; returns the manifest."""
    settings = _settings(settings)
    with _build_lock(settings.index_dir):
        state = status(settings)
        if state == "ok":
            manifest = read_manifest(settings.index_dir)
            assert manifest is not None
            return manifest
        progress(f"index {state} in {settings.index_dir}: rebuilding")
        return _build_unlocked(settings, progress)


def load(settings: Settings | None = None) -> LoadedIndex:
    """Load the index; refuses one built for another model (IndexMismatchError) or from older knowledge."""
    settings = _settings(settings)
    index_dir = settings.index_dir
    manifest = read_manifest(index_dir)
    if manifest is None:
        raise IndexNotBuiltError(f"no index in {index_dir}; run `python -m retrieval.cli build`")
    if manifest.get("format") != FORMAT_VERSION:
        raise IndexMismatchError(
            f"{index_dir}: index format {manifest.get('format')}, expected {FORMAT_VERSION}"
        )
    if manifest.get("embedding_model") != settings.embedding_model:
        raise IndexMismatchError(
            f"{index_dir} was built with embedding model {manifest.get('embedding_model')!r} "
            f"but {settings.embedding_model!r} is configured; rebuild the index"
        )
    if manifest.get("corpus_hash") != corpus_hash(settings.knowledge_dir):
        raise StaleIndexError(f"{index_dir} is older than {settings.knowledge_dir}; rebuild the index")
    corpus = load_corpus(settings.knowledge_dir)
    ids = json.loads((index_dir / PASSAGE_IDS_FILE).read_text(encoding="utf-8"))
    if ids != [p.passage_id for p in corpus.passages]:
        raise StaleIndexError(f"{index_dir}: passage ids differ from the corpus; rebuild the index")
    dense = load_index(index_dir / DENSE_FILE)
    if dense.d != manifest["dimension"] or dense.ntotal != len(ids):
        raise IndexMismatchError(f"{index_dir}: FAISS index shape does not match the manifest")
    return LoadedIndex(
        manifest=manifest, corpus=corpus, dense=dense, bm25=BM25Index.load(index_dir / BM25_DIR)
    )
