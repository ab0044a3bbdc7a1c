"""Which benefit a message asks about, when it is not a training subsidy.

Named neighbours (失业金, 稳岗返还 …) come from knowledge/topics.yml. Any other "X补贴" is recognised
by its qualifier X: the words just before 补贴 (补助, 津贴 …) that the policy documents never use (入户,
独生子女) make it a benefit these documents do not speak of. Occupations the documents happen not to
name (健康管理师, 保育员) are not such words: an occupation's name ends in 师, 员, 工 ….
"""

from __future__ import annotations

from functools import lru_cache

from bot.answers.decision import Decision, Reply
from bot.answers.topics import Benefit, Topics
from bot.gazetteer import all_place_names
from retrieval.search import Retriever

BENEFIT_HEADS = frozenset({"补贴", "补助", "补助金", "津贴", "奖补", "扶持资金"})
OCCUPATION_ENDINGS = tuple("师员工手匠证")
QUALIFIER_TOKENS = 2  # words before the head read as its qualifier


@lru_cache(maxsize=1)
def _place_names() -> frozenset[str]:
    return frozenset(all_place_names())


def only_neighbour(named: list[Benefit]) -> Benefit | None:
    """The neighbouring benefit a message names, when it names no training benefit beside it."""
    if any(not b.neighbour for b in named):
        return None
    return next(iter(named), None)


def unnamed_benefit(text: str, topics: Topics, retriever: Retriever) -> str | None:
    """ "入户补贴" for "深圳大专生入户补贴多少钱": a benefit whose qualifier the documents never use."""
    tokens = retriever.tokenizer.cut(text)
    content = set(retriever.tokenizer.content_words(text))
    places = _place_names()
    for index, token in enumerate(tokens):
        if token not in BENEFIT_HEADS:
            continue
        qualifier: list[str] = []
        for word in reversed(tokens[max(0, index - QUALIFIER_TOKENS) : index]):
            asked = any(a.asked.search(word) for a in topics.aspects) or word in topics.question_words
            if word in places or word not in content or asked or retriever.is_known(word) is None:
                break
            qualifier.insert(0, word)
        unknown = [
            i
            for i, w in enumerate(qualifier)
            if retriever.is_known(w) is False and not w.endswith(OCCUPATION_ENDINGS)
        ]
        if unknown:
            return "".join(qualifier[unknown[0] :]) + token
    return None


def other_benefit(text: str, topics: Topics, retriever: Retriever) -> Decision | None:
    """The answer for a message about a benefit that is not a training subsidy; None otherwise."""
    named = topics.named(text)
    if neighbour := only_neighbour(named):
        params = {"benefit": neighbour.name, "kind": neighbour.kind, "office": neighbour.office}
        return Decision("neighbour", [Reply("utter_neighbour_benefit", params)])
    if not named and (benefit := unnamed_benefit(text, topics, retriever)):
        return Decision("neighbour", [Reply("utter_other_benefit", {"benefit": benefit})])
    return None
