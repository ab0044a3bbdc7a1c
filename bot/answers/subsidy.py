"""Subsidy questions: whether they are about a training subsidy at all, where the asker is as the
calculator knows places, what to ask before the amount, and the amount with its clauses."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from typing import Any

from bot.answers.benefits import about_training, not_a_training_subsidy
from bot.answers.courses import CourseSearch, Finder, decide_courses
from bot.answers.decision import Decision, Reply
from bot.answers.policy import LOCAL_OFFER, Question, decide_policy
from bot.answers.scope import asker_place, covers
from bot.answers.subject import certificate_itself
from bot.answers.topics import get_topics
from bot.courses.finder import find_nearest
from bot.gazetteer import Place, enclosing_places
from bot.subsidy import Estimate, ProfileError, estimate, get_rulebook
from bot.subsidy.normalize import normalize
from retrieval.search import get_retriever

Calculator = Callable[[Mapping[str, Any]], Estimate]
OtherBenefit = Callable[[str], Decision | None]
Policy = Callable[[Question], Decision]


def calculator_region(place: Place) -> str:
    """The place's name, or that of the city or province it lies in when only that one is a region the
    calculator has documents for (宝安区 → 深圳市, which it reads as 广东省)."""
    for area in enclosing_places(place):
        if normalize({"region": area.name}, get_rulebook()).region_known:
            return area.name
    return place.name


def not_asked_of_a_training_subsidy(text: str) -> Decision | None:
    """For the message that asks for an amount: a benefit that is not a training subsidy, or a question of
    the certificate itself (叉车证的考试费是多少: its fee, not a subsidy), answered as such; None otherwise."""
    return not_a_training_subsidy(text) or certificate_itself(text)


def certificate_choices(name: str | None) -> tuple[str, ...]:
    """The catalogue certificates a name may mean when it is several of them (焊工证: 焊接与热切割作业 or
    特种设备焊接作业); empty when it is one or none."""
    if not name:
        return ()
    return normalize({"certificate": name}, get_rulebook()).certificate_candidates


def certificate_question(named: str | None) -> Reply:
    """Which certificate: for a name told that is several catalogue rows, those rows as choices to tap."""
    if choices := certificate_choices(named):
        return Reply(
            "utter_ask_certificate_choice",
            {"certificate": named, "choices": "、".join(choices)},
            buttons=[{"title": choice, "payload": choice} for choice in choices],
        )
    return Reply("utter_ask_certificate")


def region_question() -> Reply:
    """Where the asker is: the places the calculator has rules for, to tap; any other place is typed."""
    return Reply("utter_ask_region", buttons=[{"title": p, "payload": p} for p in get_rulebook().regions])


def field_question(field: str, profile: Mapping[str, Any]) -> Reply:
    """The question for a field the amount depends on."""
    if field == "certificate":
        return certificate_question(profile.get("certificate"))
    if field == "region":
        return region_question()
    return Reply(f"utter_ask_{field}")


def questions_to_ask(result: Estimate, unknown: Collection[str] = ()) -> list[str]:
    """What to ask before answering: the fields the amount itself depends on, in the calculator's order,
    without those the asker said they do not know. Plain conditions are stated with the amount."""
    return [name for name in result.open_questions if name not in unknown]


def asking(
    reply: Reply,
    courses: CourseSearch | None,
    finder: Finder = find_nearest,
    payload: dict[str, Any] | None = None,
) -> list[Decision]:
    """A question the amount depends on, after the cards of the courses the message also looks for: those
    are answered now, the amount comes with the answer to the question."""
    ask = Decision("subsidy_question", [reply], payload=payload or {})
    return [ask] if courses is None else [decide_courses(courses, finder), ask]


@dataclass(frozen=True)
class SubsidyQuestion:
    text: str
    profile: Mapping[str, Any]  # what the asker told, as the calculator takes it
    courses: CourseSearch | None = None  # courses the message also looks for (courses_also_asked)
    asks_first: bool = False  # ask what the amount depends on first (the chat's form has asked already)
    opening: bool = False  # the message that asked for the amount (not an answer to a form question)


def national_instead(question: SubsidyQuestion, policy: Policy = decide_policy) -> Decision | None:
    """For an asker whose place the calculator has no rules for (上海, 南京), the national rule that
    answers the question (or the national clause on its benefit, saying what it does not say), saying
    first that the documents have no local ones; None when there is no such place or no national rule
    speaks to it."""
    region = question.profile.get("region")
    if not region or normalize({"region": region}, get_rulebook()).region_known:
        return None
    topics = get_topics()
    if not about_training(topics.bare(question.text), topics, get_retriever()):
        return None  # 创业扶持资金: no training rule answers it
    place = _place_of(question)
    decision = policy(Question(question.text, place)) if place else None
    answers = decision is not None and decision.kind in ("answer", "partial")
    return replace(decision, slots={"topic": "subsidy"}) if answers else None


def national_first(text: str, policy: Policy = decide_policy, place: Place | None = None) -> Decision | None:
    """For a subsidy question whose asker's place is not known yet, the national rule that answers it
    (or its clause on the benefit, saying what it does not say), given before the place is asked for the
    local amount; None when no national rule speaks to it — or, for an asker whose `place` is known, none
    covers it (澳门)."""
    decision = policy(Question(text, None))
    documents = get_retriever().documents
    cited = [documents[c["doc_id"]] for c in decision.citations]
    national = all(d.national and (place is None or covers(d, place)) for d in cited)
    if not (decision.kind in ("answer", "partial") and decision.citations and national):
        return None
    # The place question follows: the answer's own offer of places would ask it twice.
    replies = [reply for reply in decision.replies if reply.response != LOCAL_OFFER]
    return replace(decision, replies=replies, slots={})


def place_first(question: SubsidyQuestion, policy: Policy = decide_policy) -> Decision | None:
    """For a subsidy question whose amount depends on who the asker is, the rule of the asker's place that
    answers it, given before asking — an answer now, its conditions stated (天津健康管理师补贴金额 → 天津's
    第九条, 培训费补贴 by the catalogue); None when no clause of the place's documents answers."""
    place = _place_of(question)
    if place is None:
        return None
    decision = policy(Question(question.text, place))
    return replace(decision, slots={}) if decision.kind in ("answer", "partial") else None


def answer_before(field: str, question: SubsidyQuestion, policy: Policy = decide_policy) -> Decision | None:
    """What answers the opening question before the field the amount depends on is asked: the national
    rule before the place question, the place's rule before the question of who the asker is; None for
    any other field (not before which certificate: a clause on one would choose for the asker)."""
    if field == "region":
        return national_first(question.text, policy)
    if field == "person_type":
        return place_first(question, policy)
    return None


def decide_subsidy(
    question: SubsidyQuestion,
    calculator: Calculator = estimate,
    other: OtherBenefit = not_a_training_subsidy,
    finder: Finder = find_nearest,
    policy: Policy = decide_policy,
) -> list[Decision]:
    """A benefit that is not a training subsidy is named as such, and a message asking of the certificate
    itself (`opening`: 叉车证的考试费是多少) is said not to be covered; for a place the calculator has no
    rules for, the national rule when one answers; else the first question the amount depends on (when
    `asks_first`); else the amount with its conditions and clauses — and where the place's documents
    publish no amount, the national standard after it; followed by the cards of the courses the message
    also looks for."""
    benefit = other(question.text) or (certificate_itself(question.text) if question.opening else None)
    if benefit is not None:
        return [replace(benefit, slots={"topic": None, **benefit.slots})]
    if national := national_instead(question, policy):
        return (
            [national] if question.courses is None else [national, decide_courses(question.courses, finder)]
        )
    try:
        result = calculator(question.profile)
    except ProfileError:
        return [
            Decision("subsidy_unavailable", [Reply("utter_subsidy_unavailable")], slots={"topic": "subsidy"})
        ]
    payload = {"subsidy": result.to_dict()}
    if question.asks_first and (asked := questions_to_ask(result)):
        ask = asking(field_question(asked[0], question.profile), question.courses, finder, payload)
        first = answer_before(asked[0], question, policy)
        return ask if first is None else [first, *ask]
    answer = Decision(
        "subsidy",
        [Reply("utter_subsidy_estimate", {"explanation": result.explanation})],
        citations=result.citations,
        slots={"topic": "subsidy"},
        payload=payload,
    )
    # Where the place's documents publish no amount (湖南省), the national rule that frames every
    # province's (its standard, who may have it) follows, as for an asker whose place is not known yet.
    topics = get_topics()
    framed = topics.national_frame(topics.aspect(topics.bare(question.text)))
    open_here = framed and _amount_left_open(result)
    national = national_first(question.text, policy, _place_of(question)) if open_here else None
    answers = [answer] if national is None else [answer, national]
    return answers if question.courses is None else [*answers, decide_courses(question.courses, finder)]


def _place_of(question: SubsidyQuestion) -> Place | None:
    region = question.profile.get("region")
    return asker_place(str(region)) if region else None


def _amount_left_open(result: Estimate) -> bool:
    """The sources, not the asker, leave the amount open: nothing is missing, yet no amount, and the
    asker is not ineligible."""
    return result.eligible is not False and not result.missing and result.total_yuan is None
