"""Retrieval quality on knowledge/eval/retrieval.yml: hit@1, hit@5 and MRR@10 for BM25, dense and hybrid,
plus how often out-of-scope questions are declined and in-scope ones wrongly declined.

    python -m retrieval.evaluate            # the table
    python -m retrieval.evaluate --sweep    # answerability threshold sweep (how the constant was tuned)
    python -m retrieval.evaluate --misses   # in-scope questions whose answer is not in the hybrid top 5
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from retrieval.search import Mode, Retriever, SearchResult, create_retriever, is_answerable

if TYPE_CHECKING:
    from bot.settings import Settings

MODES: tuple[Mode, ...] = ("bm25", "dense", "hybrid")
DEPTH = 10


@dataclass(frozen=True)
class EvalQuestion:
    query: str
    expect: tuple[str, ...]
    region: str | None = None


@dataclass(frozen=True)
class EvalSet:
    questions: tuple[EvalQuestion, ...]
    out_of_scope: tuple[str, ...]


@dataclass(frozen=True)
class ModeScores:
    hit_at_1: float
    hit_at_5: float
    mrr: float
    wrongly_declined: float  # share of in-scope questions declined


def eval_path(settings: Settings) -> Path:
    return settings.knowledge_dir / "eval" / "retrieval.yml"


def load_eval_set(path: Path) -> EvalSet:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    questions = tuple(
        EvalQuestion(
            query=q["q"], expect=tuple(q["expect"]), region=str(q["region"]) if q.get("region") else None
        )
        for q in data["questions"]
    )
    return EvalSet(questions=questions, out_of_scope=tuple(data["out_of_scope"]))


def rank_of_answer(result: SearchResult, expect: tuple[str, ...]) -> int | None:
    """1-based rank of the first expected passage in the result, None when absent."""
    for rank, passage in enumerate(result.passages, start=1):
        if passage.passage_id in expect:
            return rank
    return None


def score_mode(retriever: Retriever, eval_set: EvalSet, mode: Mode) -> ModeScores:
    ranks, declined = [], 0
    for question in eval_set.questions:
        result = retriever.search(question.query, top_k=DEPTH, region=question.region, mode=mode)
        ranks.append(rank_of_answer(result, question.expect))
        declined += not result.answerable
    n = len(ranks)
    return ModeScores(
        hit_at_1=sum(r == 1 for r in ranks if r) / n,
        hit_at_5=sum(r <= 5 for r in ranks if r) / n,
        mrr=sum(1 / r for r in ranks if r) / n,
        wrongly_declined=declined / n,
    )


def in_asker_scope(retriever: Retriever, question: EvalQuestion) -> bool:
    """Whether an expected passage's document covers the asker. A question written before answers were
    scoped (a 宁夏-wide asker expecting 彭阳县's catalogue) is not: search must not return that passage."""
    from bot.answers.scope import asker_place, covers

    place = asker_place(question.region) if question.region else None
    documents = {pid.split(":", 1)[0] for pid in question.expect}
    return place is None or any(
        covers(retriever.documents[d], place) for d in documents if d in retriever.documents
    )


def scoped(retriever: Retriever, eval_set: EvalSet) -> tuple[EvalSet, list[EvalQuestion]]:
    """The eval set without the questions outside the asker's scope, and those questions."""
    inside = tuple(q for q in eval_set.questions if in_asker_scope(retriever, q))
    outside = [q for q in eval_set.questions if q not in inside]
    return EvalSet(questions=inside, out_of_scope=eval_set.out_of_scope), outside


def declined_share(retriever: Retriever, queries: tuple[str, ...]) -> float:
    return sum(not retriever.search(q, top_k=1).answerable for q in queries) / len(queries)


def evaluate(retriever: Retriever, eval_set: EvalSet) -> dict[str, ModeScores | float]:
    scores: dict[str, ModeScores | float] = {mode: score_mode(retriever, eval_set, mode) for mode in MODES}
    scores["out_of_scope_declined"] = declined_share(retriever, eval_set.out_of_scope)
    return scores


def print_report(scores: dict[str, ModeScores | float], eval_set: EvalSet) -> None:
    print(f"{len(eval_set.questions)} in-scope questions, {len(eval_set.out_of_scope)} out-of-scope")
    print(f"{'mode':<8} {'hit@1':>6} {'hit@5':>6} {'MRR@10':>7}")
    for mode in MODES:
        s = scores[mode]
        assert isinstance(s, ModeScores)
        print(f"{mode:<8} {s.hit_at_1:6.3f} {s.hit_at_5:6.3f} {s.mrr:7.3f}")
    hybrid = scores["hybrid"]
    assert isinstance(hybrid, ModeScores)
    print(f"out-of-scope correctly declined: {scores['out_of_scope_declined']:.3f}")
    print(f"in-scope wrongly declined:       {hybrid.wrongly_declined:.3f}")


def print_misses(retriever: Retriever, eval_set: EvalSet) -> None:
    for question in eval_set.questions:
        result = retriever.search(question.query, top_k=5, region=question.region)
        if rank_of_answer(result, question.expect) is None:
            got = ", ".join(p.passage_id for p in result.passages[:3])
            print(f"MISS {question.query} [{question.region}] expected {question.expect[0]}, got {got}")


def print_sweep(retriever: Retriever, eval_set: EvalSet) -> None:
    """Answer rate of in-scope and decline rate of out-of-scope questions for candidate thresholds."""
    inside = [retriever.search(q.query, top_k=1, region=q.region) for q in eval_set.questions]
    outside = [retriever.search(q, top_k=1) for q in eval_set.out_of_scope]
    print(f"{'similarity':>10} {'coverage':>8} {'in answered':>12} {'out declined':>13} {'correct':>8}")
    for coverage in (0.0, 0.25, 0.34, 0.5, 0.6, 0.67, 0.75):
        for step in range(60, 81, 2):
            similarity = step / 100
            answered = sum(
                is_answerable(r.confidence, r.lexical_support, r.coverage, similarity, coverage)
                for r in inside
            )
            declined = sum(
                not is_answerable(r.confidence, r.lexical_support, r.coverage, similarity, coverage)
                for r in outside
            )
            print(
                f"{similarity:10.2f} {coverage:8.2f} {answered / len(inside):12.3f} "
                f"{declined / len(outside):13.3f} {answered + declined:8d}"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m retrieval.evaluate", description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true", help="print the answerability threshold sweep")
    parser.add_argument("--misses", action="store_true", help="list in-scope questions missed by hybrid@5")
    args = parser.parse_args(argv)
    retriever = create_retriever()
    from bot.settings import get_settings

    eval_set, outside = scoped(retriever, load_eval_set(eval_path(get_settings())))
    print_report(evaluate(retriever, eval_set), eval_set)
    kept_out = sum(
        rank_of_answer(retriever.search(q.query, top_k=5, region=q.region), q.expect) is None for q in outside
    )
    print(
        f"outside the asker's scope (not scored above): {len(outside)}, expected passage kept out: {kept_out}"
    )
    if args.misses:
        print_misses(retriever, eval_set)
    if args.sweep:
        print_sweep(retriever, eval_set)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
