"""The same question in other words gets the same answer: `python -m bot.answers.eval_wordings [--show]`.

The groups of knowledge/eval/wordings.yml (written by the project) are asked of the answer layer for each
of its places; a group agrees when every wording gets the same kind of answer citing the same passages.
Its place questions are asked naming each of its place names, grouped by the documents covering them: a
place's name is no word a clause holds, so places the same documents cover get the same answer.
It measures how much the wording decides, not whether the answer is right: disagreeing groups point at a
cue, hedge, courtesy or place name the mechanism reads as a topic word (docs/ANSWERS.md).
"""

from __future__ import annotations

import argparse
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import yaml

from bot.answers.policy import Question, decide_policy
from bot.answers.scope import asker_place, covering
from bot.settings import get_settings
from retrieval.corpus import Document
from retrieval.search import Retriever, get_retriever

Answer = tuple[str, tuple[str, ...]]  # the decision's kind and the passages it cites


def groups(data: dict[str, Any]) -> Iterator[tuple[str, list[str]]]:
    """(name, wordings) of every group: each benefit's and occupation's aspects, each question's courtesies."""
    for benefit in data["benefits"]:
        for aspect, wordings in data["benefit_groups"].items():
            yield f"{benefit} {aspect}", [w.format(b=benefit).replace("补贴补贴", "补贴") for w in wordings]
    for occupation in data["occupations"]:
        for aspect, wordings in data["occupation_groups"].items():
            yield f"{occupation}证 {aspect}", [w.format(o=occupation) for w in wordings]
    for question in data["questions"]:
        yield f"{question} 客套话", [question, *(w.format(q=question) for w in data["courtesies"])]


def place_groups(
    data: dict[str, Any], documents: Iterable[Document]
) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """(name, (wording, place) pairs) of each place question asked from every place the same documents
    cover, the place named in it."""
    documents = list(documents)
    alike: dict[tuple[str, ...], list[str]] = defaultdict(list)
    for name in data.get("place_names", []):
        alike[tuple(d.doc_id for d in covering(documents, asker_place(name)))].append(name)
    for question in data.get("place_questions", []):
        for names in (names for names in alike.values() if len(names) > 1):
            yield f"{question} ({'、'.join(names)})", [(question.format(p=name), name) for name in names]


def answer(text: str, place: str, retriever: Retriever) -> Answer:
    decision = decide_policy(Question(text, asker_place(place) if place else None), retriever)
    return decision.kind, tuple(c["passage_id"] for c in decision.citations)


def disagreeing(
    data: dict[str, Any], retriever: Retriever
) -> tuple[int, list[tuple[str, str, dict[str, Answer]]]]:
    """How many groups were asked, and (place, group, answers) of those whose wordings disagree."""
    asked = [
        (place, name, [(w, place) for w in wordings])
        for place in data["places"]
        for name, wordings in groups(data)
    ]
    asked += [("各地", name, pairs) for name, pairs in place_groups(data, retriever.documents.values())]
    found = []
    for label, name, pairs in asked:
        answers = {text: answer(text, place, retriever) for text, place in pairs}
        if len(set(answers.values())) > 1:
            found.append((label, name, answers))
    return len(asked), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="列出说法不同、回答不同的每一组")
    parser.add_argument(
        "--wordings", type=Path, default=get_settings().knowledge_dir / "eval" / "wordings.yml"
    )
    args = parser.parse_args()
    data = yaml.safe_load(args.wordings.read_text(encoding="utf-8"))
    asked, found = disagreeing(data, get_retriever())
    for place, name, answers in found if args.show else ():
        print(f"[{place or '未知地点'}] {name}")
        for text, (kind, cited) in answers.items():
            print(f"    {text} → {kind} {list(cited)}")
    share = (asked - len(found)) / asked if asked else 1.0
    print(f"同一问题换种说法，回答一致：{asked - len(found)}/{asked} 组 = {share:.1%}")


if __name__ == "__main__":
    main()
