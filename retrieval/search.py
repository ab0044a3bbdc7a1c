"""Hybrid search: jieba BM25 + dense (FAISS) fused by reciprocal rank, region-aware, with an answerability gate.

from retrieval.search import get_retriever
result = get_retriever().search("贵州人在外省考的证回来能补吗", top_k=5, region="贵州")

get_retriever() follows the index on disk: a rebuild is picked up within seconds (LiveRetriever).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Collection
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import faiss
import numpy as np

from bot.answers.scope import asker_place, covering
from bot.gazetteer import place_names
from bot.textnorm import normalize_text
from retrieval import dense
from retrieval.corpus import Document
from retrieval.embedder import Embedder, get_embedder
from retrieval.fusion import apply_boosts, reciprocal_rank_fusion, top_items
from retrieval.glossary import Glossary, load_glossary
from retrieval.index import MANIFEST, LoadedIndex, ensure_built, load
from retrieval.regions import RegionResolver, region_boost
from retrieval.tokenizer import DomainTokenizer, get_tokenizer

if TYPE_CHECKING:
    from bot.settings import Settings

Mode = Literal["hybrid", "bm25", "dense"]
log = logging.getLogger(__name__)

CANDIDATES = 60  # per retriever, before fusion (50 cut 彭阳 2.5 from the dense list of 新型学徒制每年补多少)
# Queries are answered one at a time; an OpenMP team per FAISS call only adds spin-waiting next to torch
# on a small shared CPU (measured: 32 ms → 14 ms end to end on the 16k-passage synthetic corpus).
FAISS_QUERY_THREADS = 1
QUERY_VECTORS_CACHED = 256  # recent questions' embeddings kept per retriever
# BM25 candidates scoring below this share of the best one matched only near-ubiquitous words (培训, 职业);
# giving them rank credit in the fusion would let the dense ranking alone decide.
BM25_RELATIVE_FLOOR = 0.1
BM25_WEIGHT = 1.0
DENSE_WEIGHT = 1.0
# Answerability: a query is answerable when (1) some query token occurs in the corpus, (2) the best dense
# cosine similarity reaches ANSWERABLE_MIN_SIMILARITY and (3) at least ANSWERABLE_MIN_COVERAGE of its content
# words are corpus or glossary vocabulary (off-topic questions hinge on words the policies never use:
# 医保, 公积金, 天气). Tuned with `python -m retrieval.evaluate --sweep` on knowledge/eval/retrieval.yml,
# taking the pair with the best balanced accuracy (mean of the in-scope answered and out-of-scope declined
# rates): 0.70 / 0.6 gave 0.924 / 0.917 on 2026-11-22 (see docs/RETRIEVAL.md).
ANSWERABLE_MIN_SIMILARITY = 0.70
# Glossary kinds whose mention alone makes a question answerable when the best passage contains it.
DEFINED_TERM_KINDS = frozenset({"term", "program"})
ANSWERABLE_MIN_COVERAGE = 0.6
# Characters jieba glues to one-character verbs in spoken questions (能补, 证补, 考了, 拿到, 人能领).
COLLOQUIAL_AFFIXES = "能可要想我你人证考拿了的有到过着吗呢"


@dataclass
class ScoredPassage:
    passage_id: str
    doc_id: str
    title: str
    short_title: str
    doc_number: str
    issuer: str
    region: str
    region_adcode: str
    date: str
    section: str
    kind: str
    text: str
    summary: str | None
    terms: list[dict[str, str]]
    score: float  # fused score (mode's own score outside hybrid), after the region boost
    bm25_score: float
    dense_score: float
    region_boost: float
    row: dict[str, str] | None = None
    truncated: bool = False
    context: tuple[str, ...] = ()  # headings above the passage (its attachment's title for a table row)

    def citation(self) -> dict[str, Any]:
        """The shape returned in `citations` by /api/chat and in `passages` by /api/retrieve."""
        return {
            "doc_id": self.doc_id,
            "passage_id": self.passage_id,
            "title": self.title,
            "section": self.section,
            "text": self.text,
            "score": round(self.score, 6),
        }

    def source(self) -> dict[str, str]:
        """What an answer quoting this passage names: the clause and where it stands."""
        return {
            "quote": self.text,
            "title": self.title,
            "doc_number": self.doc_number or self.issuer,
            "section": self.section,
        }

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class SearchResult:
    query: str
    region: tuple[str, ...] | None  # resolved adcode chain, province first
    answerable: bool
    confidence: float  # best dense similarity; compared with ANSWERABLE_MIN_SIMILARITY
    lexical_support: bool  # some informative query token occurs in the corpus
    coverage: float  # share of the query's content words known to the corpus or glossary
    passages: list[ScoredPassage] = field(default_factory=list)


def is_answerable(
    confidence: float,
    lexical_support: bool,
    coverage: float,
    min_similarity: float = ANSWERABLE_MIN_SIMILARITY,
    min_coverage: float = ANSWERABLE_MIN_COVERAGE,
) -> bool:
    return lexical_support and confidence >= min_similarity and coverage >= min_coverage


class Retriever:
    def __init__(
        self, index: LoadedIndex, embedder: Embedder, tokenizer: DomainTokenizer, glossary: Glossary
    ):
        faiss.omp_set_num_threads(FAISS_QUERY_THREADS)
        self.index = index
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.glossary = glossary
        corpus = index.corpus
        self.passages = corpus.passages
        self.regions = RegionResolver(
            (code, name)
            for doc in corpus.documents.values()
            for code, name in zip(doc.region_chain, doc.region_chain_names, strict=True)
        )
        # One question is searched several times (in the asker's documents, then within the one chosen):
        # its embedding, the bulk of a search's time, is computed once.
        self._query_vector = functools.lru_cache(maxsize=QUERY_VECTORS_CACHED)(
            lambda query: self.embedder.encode([query])[0]
        )
        self._known_words = self.index.bm25.vocabulary | {word for word, _ in glossary.words()}
        self._characters = frozenset("".join(p.text for p in self.passages))
        self._terms = [
            [{"term": t.term, "explain": t.explain} for t in glossary.find(p.text) if t.kind != "region"]
            for p in self.passages
        ]

    def forget_queries(self) -> None:
        """Drop the cached question embeddings, so that a benchmark times each question as a new one."""
        self._query_vector.cache_clear()

    def search(
        self,
        query: str,
        top_k: int = 5,
        region: str | int | None = None,
        mode: Mode = "hybrid",
        documents: Collection[str] | None = None,
        passages: Collection[str] | None = None,
        neutral: Collection[str] = (),
    ) -> SearchResult:
        """The best passages for the query from the documents that cover `region` (the asker's place:
        national ones, and those of the place or a place containing it); `documents` and `passages`
        (ids) restrict them further. The answerability figures are over the same passages; `neutral`
        words (the question's own cue words, 什么时候) never count against its coverage."""
        query = normalize_text(query)
        user_chain = self.regions.chain(region)
        if region is not None and (place := asker_place(str(region))) is not None:
            scoped = {d.doc_id for d in covering(self.documents.values(), place)}
            documents = scoped if documents is None else scoped & set(documents)
        if not query:
            return SearchResult(
                query=query,
                region=user_chain,
                answerable=False,
                confidence=0.0,
                lexical_support=False,
                coverage=0.0,
            )
        tokens = self.tokenizer.bm25_tokens(query)
        for term in self.glossary.expansions(query):
            tokens += self.tokenizer.bm25_tokens(term)
        allowed = self._rows(documents, passages)
        bm25_scores = self.index.bm25.scores(tokens)
        if allowed is not None:
            bm25_scores = np.where(allowed, bm25_scores, 0.0)
        floor = BM25_RELATIVE_FLOOR * float(bm25_scores.max(initial=0.0))
        bm25_ranking = [
            int(i) for i in np.argsort(-bm25_scores, kind="stable")[:CANDIDATES] if bm25_scores[i] > floor
        ]

        query_vector = self._query_vector(query)
        # Restricted to some documents, the whole (flat, small) index is ranked so none of theirs is cut.
        depth = CANDIDATES if allowed is None else len(self.passages)
        similarities, ids = dense.search(self.index.dense, query_vector, depth)
        keep = [allowed is None or bool(allowed[i]) for i in ids]
        similarities = [s for s, k in zip(similarities, keep, strict=True) if k][:CANDIDATES]
        ids = [i for i, k in zip(ids, keep, strict=True) if k][:CANDIDATES]
        dense_ranking = [int(i) for i in ids]
        dense_scores = dict(zip(dense_ranking, (float(s) for s in similarities), strict=True))

        if mode == "bm25":
            scores = {i: float(bm25_scores[i]) for i in bm25_ranking}
        elif mode == "dense":
            scores = dict(dense_scores)
        else:
            scores = reciprocal_rank_fusion([bm25_ranking, dense_ranking], [BM25_WEIGHT, DENSE_WEIGHT])
        boosts = {i: self._boost(i, user_chain) for i in scores}
        final = apply_boosts(scores, boosts)

        confidence = max(dense_scores.values(), default=0.0)
        lexical_support = bool(bm25_ranking)
        coverage = self.coverage(query, neutral)
        passages = [
            self._scored(i, final[i], float(bm25_scores[i]), dense_scores.get(i, 0.0), boosts[i])
            for i in top_items(final, top_k)
        ]
        answerable = is_answerable(confidence, lexical_support, coverage) or (
            coverage >= ANSWERABLE_MIN_COVERAGE and self._defines_named_term(query, passages)
        )
        return SearchResult(
            query=query,
            region=user_chain,
            answerable=answerable,
            confidence=confidence,
            lexical_support=lexical_support,
            coverage=coverage,
            passages=passages,
        )

    @property
    def documents(self) -> dict[str, Document]:
        return self.index.corpus.documents

    def _rows(self, documents: Collection[str] | None, passages: Collection[str] | None) -> np.ndarray | None:
        if documents is None and passages is None:
            return None
        docs = None if documents is None else set(documents)
        ids = None if passages is None else set(passages)
        return np.array(
            [
                (docs is None or p.doc_id in docs) and (ids is None or p.passage_id in ids)
                for p in self.passages
            ],
            dtype=bool,
        )

    def _defines_named_term(self, query: str, passages: list[ScoredPassage]) -> bool:
        """A question naming a policy term or programme ("什么是以工代训") is answerable by the best passage
        that contains the term, even when its wording is too short for the dense similarity to reach
        the threshold; such terms occur only in questions about these policies."""
        named = {t.term for t in self.glossary.find(query) if t.kind in DEFINED_TERM_KINDS}
        return bool(passages) and any(term["term"] in named for term in passages[0].terms)

    def content_words(self, text: str) -> list[str]:
        """The text's content words; a one-character noun no passage holds stays with the known word
        jieba cut it from (培训 + 券 → 培训券): the documents do not speak of it, and 培训 alone would let
        any clause on training answer for a training voucher."""
        return self.tokenizer.content_words(text, self._names_the_unknown)

    def _names_the_unknown(self, before: str, character: str) -> bool:
        return (
            before in self._known_words
            and character not in self._characters
            and self.tokenizer.is_noun(character)
        )

    def coverage(self, query: str, neutral: Collection[str] = ()) -> float:
        words = self.content_words(query)
        verdicts = [
            known
            for word in words
            if (known := self.is_known(word)) or (known is False and not self._neutral(word, neutral))
        ]
        return sum(verdicts) / len(verdicts) if verdicts else 1.0

    def _neutral(self, word: str, neutral: Collection[str]) -> bool:
        """A neutral word, or one made only of neutral words (国家补贴 is 国家 + 补贴)."""
        parts = self.tokenizer.parts(word)
        return word in neutral or (bool(parts) and all(p in neutral for p in parts))

    def is_known(self, word: str) -> bool | None:
        """True/False for a word the corpus or glossary knows or not; None for a word that says nothing
        about the topic: a colloquial fragment such as 能补 or 考了 (a one-character verb glued to a particle
        by jieba), or a place's name (南京: where the asker is is the scope's business), alone or with the
        character jieba glued to it (在岳阳考 → 岳阳考)."""
        if word in self._known_words:
            return True
        if len(word.strip(COLLOQUIAL_AFFIXES)) <= 1 or word in place_names() or word[:-1] in place_names():
            return None
        return False

    def _boost(self, row: int, user_chain: tuple[str, ...] | None) -> float:
        document = self.index.corpus.documents[self.passages[row].doc_id]
        return region_boost(document.region_chain, user_chain)

    def _scored(
        self, row: int, score: float, bm25_score: float, dense_score: float, boost: float
    ) -> ScoredPassage:
        passage = self.passages[row]
        document = self.index.corpus.documents[passage.doc_id]
        return ScoredPassage(
            passage_id=passage.passage_id,
            doc_id=passage.doc_id,
            title=document.title,
            short_title=document.short_title,
            doc_number=document.doc_number,
            issuer=document.issuer,
            region=document.region,
            region_adcode=document.region_adcode,
            date=document.date,
            section=passage.section,
            kind=passage.kind,
            text=passage.text,
            summary=self.index.corpus.summaries.get(passage.passage_id),
            terms=self._terms[row],
            score=score,
            bm25_score=bm25_score,
            dense_score=dense_score,
            region_boost=boost,
            row=passage.row,
            truncated=passage.truncated,
            context=passage.context,
        )


def create_retriever(settings: Settings | None = None, rebuild_if_needed: bool = True) -> Retriever:
    """A retriever over the configured index; builds it first when missing or stale (unless told not to)."""
    if settings is None:
        from bot.settings import get_settings

        settings = get_settings()
    if rebuild_if_needed:
        ensure_built(settings)
    index = load(settings)
    glossary_path = settings.knowledge_dir / "glossary.yml"
    return Retriever(
        index=index,
        embedder=get_embedder(settings.embedding_model),
        tokenizer=get_tokenizer(glossary_path),
        glossary=load_glossary(glossary_path),
    )


# How often a process looks at the index on disk for a newer one (a stat of a few small files).
RELOAD_CHECK_SECONDS = 1.0

IndexVersion = tuple[int, int, tuple[tuple[str, int], ...]]


def index_version(settings: Settings) -> IndexVersion | None:
    """What changes when the base a retriever serves changes: the manifest file (a rebuild swaps in a new
    index directory) and the plain-language summaries (read at load, not indexed). None while there is
    no index (as during the swap)."""
    try:
        manifest = (settings.index_dir / MANIFEST).stat()
        summaries = tuple(
            sorted((p.name, p.stat().st_mtime_ns) for p in (settings.knowledge_dir / "plain").glob("*.yml"))
        )
    except FileNotFoundError:
        return None
    return manifest.st_ino, manifest.st_mtime_ns, summaries


class LiveRetriever:
    """The process's retriever, replaced when the index on disk changes (`python -m bot knowledge add`,
    the operator page, `make index`), without a restart.

    `get()` returns the current retriever at once; no request waits for a load. Once one is loaded, a
    watcher thread compares the index version on disk with the one it was loaded from every
    RELOAD_CHECK_SECONDS (traffic or not) and, on a change, loads a complete new Retriever and swaps it in
    with one assignment; a request holding the old one finishes with it. A load that fails (the index was
    swapped again meanwhile, or it does not match the knowledge files) leaves the old retriever serving,
    and is retried when the version on disk changes again. Caches keyed on the retriever object
    (`functools.lru_cache` in bot.answers) refresh with it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()  # one load at a time
        self._retriever: Retriever | None = None
        self._version: IndexVersion | None = None  # what the current retriever was loaded from
        self._failed: IndexVersion | None = None  # a version that did not load; not retried
        self._stop: threading.Event | None = None  # ends the current watcher

    def get(self) -> Retriever:
        retriever = self._retriever
        return retriever if retriever is not None else self.refresh()

    def refresh(self) -> Retriever:
        """Load now, in this thread, if the index changed (the first call: build it if missing or stale,
        and raise if that fails); the current retriever. The operator page calls it after a change, so
        its next answer is from the new base."""
        with self._lock:
            settings = _settings()
            if self._retriever is None:
                ensure_built(settings)
                version = index_version(settings)
                self._retriever = create_retriever(settings, rebuild_if_needed=False)
                self._version = version
                self._stop = threading.Event()
                threading.Thread(
                    target=self._watch, args=(self._stop,), name="retriever-watch", daemon=True
                ).start()
            elif self._changed(settings):
                self._swap(settings)
            return self._retriever

    def clear(self) -> None:
        """Forget the retriever and stop watching: the next call loads one (tests, changed settings)."""
        with self._lock:
            if self._stop is not None:
                self._stop.set()
            self._retriever = self._version = self._failed = self._stop = None

    def _watch(self, stop: threading.Event) -> None:
        while not stop.wait(RELOAD_CHECK_SECONDS):
            with self._lock:
                if stop.is_set():
                    return
                try:
                    settings = _settings()
                    if self._changed(settings):
                        self._swap(settings)
                except Exception:  # an unreadable index directory must not end the watching
                    log.exception("checking the retrieval index for changes failed")

    def _changed(self, settings: Settings) -> bool:
        version = index_version(settings)
        return version is not None and version not in (self._version, self._failed)

    def _swap(self, settings: Settings) -> None:
        version = index_version(settings)
        started = time.perf_counter()
        try:
            retriever = create_retriever(settings, rebuild_if_needed=False)
        except Exception as error:  # whatever the cause, the old retriever keeps serving
            if index_version(settings) == version:
                self._failed = version
                log.warning(
                    "retrieval index %s not loaded, still serving the previous one: %s", version, error
                )
            return
        if index_version(settings) != version:
            return  # swapped again while loading: the watcher loads the newer one next
        self._retriever, self._version = retriever, version
        log.info(
            "retrieval index reloaded: %d documents, %d passages in %.1f s",
            len(retriever.documents),
            len(retriever.passages),
            time.perf_counter() - started,
        )


def _settings() -> Settings:
    from bot.settings import get_settings

    return get_settings()


_live = LiveRetriever()


def get_retriever() -> Retriever:
    """The process's retriever: loaded (its index rebuilt if stale) on first use, reloaded when the index
    on disk changes (see LiveRetriever). The same object until then."""
    return _live.get()


refresh_retriever = _live.refresh
get_retriever.cache_clear = _live.clear  # type: ignore[attr-defined]  # same API as lru_cache
