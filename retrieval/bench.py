"""Latency benchmark: the real index, then a synthetic corpus 100× larger with several FAISS index types.

    python -m retrieval.bench [--scale 100] [--rounds 2]

Query latency is end to end (query embedding + BM25 + FAISS + fusion + result assembly) through
`Retriever.search`. The synthetic corpus copies every real passage `scale` times: each copy's embedding is
the passage's own plus half of a random other passage's plus Gaussian noise, renormalised (a spread-out
cloud rather than tight clusters of near-duplicates), and its BM25 tokens are resampled, so index sizes and
score distributions are realistic without embedding thousands of texts. Recall@10 of each approximate index is measured against
exact search (IndexFlatIP) on the same queries.
"""

from __future__ import annotations

import argparse
import os
import random
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import faiss
import numpy as np

from retrieval.bm25 import BM25Index
from retrieval.corpus import Corpus
from retrieval.evaluate import eval_path, load_eval_set
from retrieval.index import LoadedIndex
from retrieval.search import Retriever, create_retriever

NOISE_NORM = 0.5  # expected norm of the noise added to each synthetic embedding
MIX_WEIGHT = 0.5  # share of a random other passage's embedding mixed into each copy
TARGET_P95_MS = 50.0
TARGET_RECALL = 0.95


def rss_mb() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def percentiles(samples_ms: list[float]) -> tuple[float, float]:
    return float(np.percentile(samples_ms, 50)), float(np.percentile(samples_ms, 95))


def fresh_search(retriever: Retriever, query: str, region: str | None) -> object:
    """One search of a question as if never asked: its embedding is not taken from the cache."""
    retriever.forget_queries()
    return retriever.search(query, top_k=5, region=region)


def time_queries(
    run: Callable[[str, str | None], object], queries: list[tuple[str, str | None]], rounds: int
) -> list[float]:
    for query, region in queries[:5]:  # warm-up
        run(query, region)
    samples = []
    for _ in range(rounds):
        for query, region in queries:
            started = time.perf_counter()
            run(query, region)
            samples.append((time.perf_counter() - started) * 1000)
    return samples


def synthetic_index(
    base: LoadedIndex, retriever: Retriever, scale: int, seed: int = 7
) -> tuple[LoadedIndex, np.ndarray]:
    """A corpus `scale` times larger built from perturbed copies of the real passages; returns it and its vectors."""
    rng = np.random.default_rng(seed)
    shuffle = random.Random(seed)
    real_vectors = base.dense.reconstruct_n(0, base.dense.ntotal)
    tokens = [retriever.tokenizer.bm25_tokens(text) for text in base.corpus.lexical_texts()]
    passages, vectors, corpus_tokens = [], [], []
    sigma = NOISE_NORM / np.sqrt(real_vectors.shape[1])
    for copy in range(scale):
        others = real_vectors[rng.integers(0, len(real_vectors), len(real_vectors))]
        noise = rng.normal(0, sigma, real_vectors.shape).astype(np.float32)
        noisy = real_vectors + MIX_WEIGHT * others + noise
        vectors.append(noisy / np.linalg.norm(noisy, axis=1, keepdims=True))
        for passage, passage_tokens in zip(base.corpus.passages, tokens, strict=True):
            passages.append(replace(passage, passage_id=f"{passage.passage_id}~{copy}"))
            kept = [t for t in passage_tokens if shuffle.random() > 0.3]
            corpus_tokens.append(
                kept + shuffle.sample(tokens[shuffle.randrange(len(tokens))], k=3) if kept else passage_tokens
            )
    corpus = Corpus(documents=base.corpus.documents, passages=passages, summaries={})
    matrix = np.ascontiguousarray(np.vstack(vectors), dtype=np.float32)
    index = LoadedIndex(
        manifest=base.manifest,
        corpus=corpus,
        dense=faiss.IndexFlatIP(matrix.shape[1]),
        bm25=BM25Index.build(corpus_tokens),
    )
    index.dense.add(matrix)
    return index, matrix


def candidate_indexes(n: int, dimension: int) -> list[tuple[str, Callable[[np.ndarray], faiss.Index]]]:
    nlist = int(np.sqrt(n))

    def ivf(nprobe: int) -> Callable[[np.ndarray], faiss.Index]:
        def make(vectors: np.ndarray) -> faiss.Index:
            index = faiss.IndexIVFFlat(
                faiss.IndexFlatIP(dimension), dimension, nlist, faiss.METRIC_INNER_PRODUCT
            )
            index.train(vectors)
            index.add(vectors)
            index.nprobe = nprobe
            return index

        return make

    def hnsw(m: int, ef_search: int) -> Callable[[np.ndarray], faiss.Index]:
        def make(vectors: np.ndarray) -> faiss.Index:
            index = faiss.IndexHNSWFlat(dimension, m, faiss.METRIC_INNER_PRODUCT)
            index.hnsw.efConstruction = 80
            index.add(vectors)
            index.hnsw.efSearch = ef_search
            return index

        return make

    def flat(vectors: np.ndarray) -> faiss.Index:
        index = faiss.IndexFlatIP(dimension)
        index.add(vectors)
        return index

    return [
        ("IndexFlatIP (exact)", flat),
        (f"IVFFlat nlist={nlist} nprobe=8", ivf(8)),
        (f"IVFFlat nlist={nlist} nprobe=16", ivf(16)),
        (f"IVFFlat nlist={nlist} nprobe=32", ivf(32)),
        ("HNSWFlat M=32 efSearch=64", hnsw(32, 64)),
        ("HNSWFlat M=32 efSearch=128", hnsw(32, 128)),
        ("HNSWFlat M=32 efSearch=256", hnsw(32, 256)),
    ]


def recall_at_10(index: faiss.Index, exact: faiss.Index, queries: np.ndarray) -> float:
    _, truth = exact.search(queries, 10)
    _, found = index.search(queries, 10)
    return float(np.mean([len(set(t) & set(f)) / 10 for t, f in zip(truth, found, strict=True)]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m retrieval.bench", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--scale", type=int, default=100, help="synthetic corpus size as a multiple of the real one"
    )
    parser.add_argument("--rounds", type=int, default=2, help="passes over the evaluation questions")
    args = parser.parse_args(argv)
    from bot.settings import get_settings

    settings = get_settings()
    eval_set = load_eval_set(eval_path(settings))
    queries = [(q.query, q.region) for q in eval_set.questions] + [(q, None) for q in eval_set.out_of_scope]
    print(
        f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} (shared); "
        f"{len(queries)} queries × {args.rounds} rounds"
    )

    retriever = create_retriever(settings)
    embed_ms = time_queries(lambda q, _: retriever.embedder.encode([q]), queries, args.rounds)
    search_ms = time_queries(lambda q, r: fresh_search(retriever, q, r), queries, args.rounds)
    print(f"\nreal corpus: {len(retriever.passages)} passages, {retriever.index.manifest['faiss_index']}")
    print("  query embedding only  p50 {:.1f} ms  p95 {:.1f} ms".format(*percentiles(embed_ms)))
    print("  search end to end     p50 {:.1f} ms  p95 {:.1f} ms".format(*percentiles(search_ms)))

    texts = retriever.index.corpus.index_texts()
    started = time.perf_counter()
    retriever.embedder.encode(texts)
    per_passage_s = (time.perf_counter() - started) / len(texts)
    print(f"  passage embedding     {1 / per_passage_s:.0f} passages/s (the bulk of a real build)")

    before = rss_mb()
    started = time.perf_counter()
    big, vectors = synthetic_index(retriever.index, retriever, args.scale)
    build_s = time.perf_counter() - started
    big_retriever = Retriever(big, retriever.embedder, retriever.tokenizer, retriever.glossary)
    n, dimension = vectors.shape
    print(
        f"\nsynthetic corpus ×{args.scale}: {n} passages, built (BM25 + flat FAISS) in {build_s:.1f} s, "
        f"RSS +{rss_mb() - before:.0f} MB (vectors {vectors.nbytes / 2**20:.0f} MB)"
    )
    print(
        f"  embedding {n} real passages would take about {n * per_passage_s / 60:.0f} min at the rate above"
    )

    query_vectors = retriever.embedder.encode([q for q, _ in queries])
    exact = big.dense
    print(
        f"  {'FAISS index':<32} {'build s':>7} {'size MB':>7} {'recall@10':>9} {'p50 ms':>7} {'p95 ms':>7}  ok"
    )
    for name, make in candidate_indexes(n, dimension):
        started = time.perf_counter()
        index = make(vectors)
        build_index_s = time.perf_counter() - started
        size_mb = faiss.serialize_index(index).nbytes / 2**20
        recall = recall_at_10(index, exact, query_vectors)
        big.dense = index
        samples = time_queries(lambda q, r: fresh_search(big_retriever, q, r), queries, args.rounds)
        p50, p95 = percentiles(samples)
        ok = "yes" if p95 <= TARGET_P95_MS and recall >= TARGET_RECALL else "no"
        print(f"  {name:<32} {build_index_s:7.1f} {size_mb:7.1f} {recall:9.3f} {p50:7.1f} {p95:7.1f}  {ok}")
    big.dense = exact
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
