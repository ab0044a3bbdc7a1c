"""Real questions end to end: `python -m bot.answers.eval_real [--url URL] [--questions FILE …] [--show]`.

Each question of knowledge/eval/real_questions.yml (verbatim, with its source and the expected
behaviour) goes through POST /api/chat as the first message of a fresh conversation, and the answer is
scored by what it cites:

- out of scope: a cited clause from a document whose place does not cover the asker's (target 0);
- neighbour cited: a non-training benefit answered with a clause (target 0);
- off the question: an answer citing no clause that answers the question (target ≤ 5 % of the
  answers that cite);
- covered, right clause: questions the documents answer (expect answer / partial) answered citing one
  of the expected clauses (target ≥ 90 %);
- the rest: declined honestly (no clause cited), asked for the place, or named a neighbour benefit.

Without --url it starts the stack on free ports with throwaway data (and the model of the current
training data, or --model) and stops it afterwards.
"""

from __future__ import annotations

import argparse
import sys
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import yaml

from bot.answers.chat_client import post_chat
from bot.answers.scope import covers
from bot.gazetteer import Place, resolve_place
from bot.settings import ROOT
from retrieval.corpus import Corpus, load_corpus

QUESTIONS = ROOT / "knowledge" / "eval" / "real_questions.yml"
COVERED = ("answer", "partial")
TARGETS = {"out_of_scope": 0, "neighbour_cited": 0, "off_question_share": 0.05, "covered_right_share": 0.90}


@dataclass
class Outcome:
    question: dict[str, Any]
    kind: str  # the answer's kind (answer, partial, not_covered …, or the reply of another intent)
    cited: list[str]  # passage ids (doc_id:section for a clause the corpus does not hold)
    problems: list[str] = field(default_factory=list)


def cited_ids(citations: list[dict[str, Any]], corpus: Corpus) -> list[str]:
    """Passage ids of the citations; a calculator rule names its clause by section."""
    by_section = {(p.doc_id, p.section): p.passage_id for p in corpus.passages}
    return [
        c.get("passage_id") or by_section.get((c["doc_id"], c["section"]), f"{c['doc_id']}:{c['section']}")
        for c in citations
    ]


def answer_kind(body: dict[str, Any]) -> str:
    """The answer layer's kind when a policy answer was given, else what the turn did."""
    for message in body.get("messages") or []:
        custom = message.get("custom") or {}
        if "answer" in custom:
            return str(custom["answer"])
        if "subsidy" in custom:
            return "subsidy"
        if "courses" in custom:
            return "courses"
    if body.get("handoff"):
        return "handoff"
    return f"intent:{(body.get('intent') or {}).get('name')}"


def judge(question: dict[str, Any], kind: str, cited: list[str], corpus: Corpus) -> list[str]:
    """The problems of one answer, by the definitions in the module docstring."""
    problems = []
    place: Place | None = resolve_place(question["place"]) if question.get("place") else None
    doc_ids = {pid.split(":", 1)[0] for pid in cited}
    if place is not None and any(
        d in corpus.documents and not covers(corpus.documents[d], place) for d in doc_ids
    ):
        problems.append("out_of_scope")
    expect = question["expect"]
    if expect == "neighbour" and cited:
        problems.append("neighbour_cited")
    if cited and not set(cited) & set(question.get("clauses") or []):
        problems.append("off_question")
    if expect in COVERED and not set(cited) & set(question["clauses"]):
        problems.append("covered_missed")
    return problems


def run(url: str, questions: list[dict[str, Any]], corpus: Corpus) -> list[Outcome]:
    outcomes = []
    with httpx.Client(base_url=url, timeout=60) as client:
        for index, question in enumerate(questions, 1):
            body = {"sender_id": f"eval-real-{uuid.uuid4().hex[:12]}", "message": question["text"]}
            answer = post_chat(client, body)
            cited = cited_ids(answer.get("citations") or [], corpus)
            kind = answer_kind(answer)
            outcomes.append(Outcome(question, kind, cited, judge(question, kind, cited, corpus)))
            if index % 20 == 0:
                print(f"  已问 {index}/{len(questions)}", file=sys.stderr, flush=True)
    return outcomes


def summary(outcomes: list[Outcome]) -> dict[str, Any]:
    problems = Counter(p for o in outcomes for p in o.problems)
    citing = [o for o in outcomes if o.cited]
    covered = [o for o in outcomes if o.question["expect"] in COVERED]
    return {
        "questions": len(outcomes),
        "expected": dict(Counter(o.question["expect"] for o in outcomes)),
        "answer_kinds": dict(Counter(o.kind for o in outcomes)),
        "out_of_scope": problems["out_of_scope"],
        "neighbour_cited": problems["neighbour_cited"],
        "citing": len(citing),
        "off_question": problems["off_question"],
        "off_question_share": problems["off_question"] / len(citing) if citing else 0.0,
        "covered": len(covered),
        "covered_right": len(covered) - problems["covered_missed"],
        "covered_right_share": (len(covered) - problems["covered_missed"]) / len(covered) if covered else 0.0,
        "neighbour_named": sum(
            o.kind == "neighbour" for o in outcomes if o.question["expect"] == "neighbour"
        ),
        "declined_without_citation": sum(not o.cited for o in outcomes),
    }


def meets_targets(s: dict[str, Any]) -> dict[str, bool]:
    return {
        "out_of_scope": s["out_of_scope"] <= TARGETS["out_of_scope"],
        "neighbour_cited": s["neighbour_cited"] <= TARGETS["neighbour_cited"],
        "off_question_share": s["off_question_share"] <= TARGETS["off_question_share"],
        "covered_right_share": s["covered_right_share"] >= TARGETS["covered_right_share"],
    }


def report(outcomes: list[Outcome], show: bool, listed: bool = True) -> int:
    """The figures against their targets, then the questions with a problem (`listed`), or every one
    (`show`)."""
    s = summary(outcomes)
    print(f"真实问题 {s['questions']} 条；预期：{s['expected']}")
    print(f"回答类型：{s['answer_kinds']}")
    print(f"引用了不覆盖提问者所在地的条款：{s['out_of_scope']}（目标 0）")
    print(f"把非培训类补贴当培训补贴引用条款：{s['neighbour_cited']}（目标 0）")
    print(
        f"引用了没回答问题的条款：{s['off_question']}/{s['citing']} = {s['off_question_share']:.1%}（目标 ≤ 5%）"
    )
    print(
        f"文件能回答的问题引用了正确条款：{s['covered_right']}/{s['covered']} = "
        f"{s['covered_right_share']:.1%}（目标 ≥ 90%）"
    )
    print(f"非培训类补贴被点明：{s['neighbour_named']}/{s['expected'].get('neighbour', 0)}")
    print(f"没有引用任何条款（如实说明没有 / 问地点 / 指明别的业务）：{s['declined_without_citation']}")
    for o in outcomes:
        if (o.problems and listed) or show:
            q = o.question
            mark = ",".join(o.problems) or "ok"
            print(f"  [{mark}] {q['id']} {q['text']} | 预期 {q['expect']} {q.get('clauses') or ''} | "
                  f"答 {o.kind} {o.cited}")  # fmt: skip
    met = meets_targets(s)
    print("达标：" + "，".join(f"{name} {'是' if ok else '否'}" for name, ok in met.items()))
    return 0


def report_sets(outcomes: dict[Path, list[Outcome]], show: bool) -> int:
    """Each set's report, then, for several sets, the figures over all of them."""
    for path, results in outcomes.items():
        if len(outcomes) > 1:
            print(f"== {path.name}")
        report(results, show)
    if len(outcomes) > 1:
        print(f"== 合计 {len(outcomes)} 个问题集")
        report([o for results in outcomes.values() for o in results], show=False, listed=False)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.answers.eval_real", description="真实问题端到端评测")
    parser.add_argument("--url", help="已在运行的网关地址；默认自己启动一套服务")
    parser.add_argument("--questions", type=Path, nargs="+", default=[QUESTIONS], help="一个或多个问题集")
    parser.add_argument("--show", action="store_true", help="列出每一条问题的结果")
    parser.add_argument(
        "--model", type=Path, help="自己启动服务时用的 Rasa 模型（默认：与当前训练数据对应的模型）"
    )
    args = parser.parse_args(argv)
    if missing := [str(p) for p in args.questions if not p.exists()]:
        print(f"找不到问题集：{'，'.join(missing)}", file=sys.stderr)
        return 2
    sets = {p: yaml.safe_load(p.read_text(encoding="utf-8")) for p in args.questions}
    corpus = load_corpus(ROOT / "knowledge")
    if args.url:
        return report_sets({p: run(args.url, qs, corpus) for p, qs in sets.items()}, args.show)
    from bot.bench.chat import started_stack

    with started_stack(args.model) as (url, _):
        return report_sets({p: run(url, qs, corpus) for p, qs in sets.items()}, args.show)


if __name__ == "__main__":
    sys.exit(main())
