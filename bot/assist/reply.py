"""The sentence the agent can read out: the answer layer's decisions for the utterance, the same the chat
makes at that point of a conversation, read from the same domain.yml responses.

The pane has no dialogue state beyond the caller profile, so it takes the chat's path from the intent:
small talk, a course search (the course form's question first: the place), a subsidy question
(the form's questions the amount depends on first, then the amount and the cards of a course also
looked for), a message outside training subsidies (a neighbouring benefit named, or the out-of-scope
reply), a message the NLU is unsure of or reads as information (a neighbouring benefit named, the policy
answer when it asks of a training benefit, else what the caller means asked or the information
acknowledged — no clause cited), else the policy answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.answers.courses import CourseSearch, Finder, courses_also_asked, decide_courses, places_named
from bot.answers.decision import Decision, Reply
from bot.answers.policy import (
    SMALL_TALK,
    Question,
    decide_inform,
    decide_out_of_scope,
    decide_thanks,
    decide_unclear,
)
from bot.answers.scope import asker_place
from bot.answers.subsidy import SubsidyQuestion, decide_subsidy
from bot.answers.trades import read_trades
from bot.assist.services import Services

SUBSIDY_INTENTS = frozenset({"ask_subsidy"})
COURSE_INTENTS = frozenset({"find_course"})
SUBSIDY = "subsidy"  # the kind of a subsidy suggestion
COURTESIES = {"greet": "utter_greet", "goodbye": "utter_goodbye"}
THANK = "thank"
OUT_OF_SCOPE = "out_of_scope"
UNCLEAR = "nlu_fallback"
INFORM = "inform"


@dataclass(frozen=True)
class Suggestion:
    kind: str  # small_talk, courses, subsidy (SUBSIDY) or policy
    decisions: list[Decision]

    def text(self, responses: Mapping[str, str]) -> str:
        return "\n\n".join(decision.text(responses) for decision in self.decisions)

    def citations(self) -> list[dict[str, Any]]:
        """The clauses the reply cites, as the chat's `citations`."""
        return [c for decision in self.decisions for c in decision.citations]

    def courses(self) -> dict[str, Any] | None:
        """The course cards the reply lists: {"place", "items"}; None when it lists none."""
        cards = next((d.payload for d in self.decisions if "courses" in d.payload), None)
        return {"place": cards["place"], "items": cards["courses"]} if cards else None


def _course_search(
    text: str, entities: Sequence[Mapping[str, Any]], region: str | None, finder: Finder
) -> Decision:
    place = asker_place(*places_named(entities), region)
    if place is None:
        return Decision("course_question", [Reply("utter_ask_region")])
    trade = read_trades(text, entities, course_search=True).course  # None: every trade
    return decide_courses(CourseSearch(place=place.name, trade=trade), finder)


def suggested(
    intent: str | None,
    text: str,
    entities: Sequence[Mapping[str, Any]],
    caller: Mapping[str, Any],
    informed: bool,
    policy: Decision,
    services: Services,
    after: str | None = None,
    question: Question | None = None,
) -> Suggestion:
    """`policy`: the policy answer to `question`, the utterance as the question it asks (a follow-up
    with the previous question's subject; by default the utterance itself). `informed`: the utterance
    added to the caller profile. `after`: the kind of the suggestion the
    caller is answering (the previous utterance's). Information told after a subsidy suggestion answers
    its question, as in the chat's subsidy form; told outside one, it is what the chat's inform action
    makes of it."""
    if intent in COURTESIES:
        return Suggestion(SMALL_TALK, [Decision(SMALL_TALK, [Reply(COURTESIES[intent])])])
    region = caller.get("region")
    if intent in COURSE_INTENTS:
        return Suggestion("courses", [_course_search(text, entities, region, services.finder)])
    if intent in SUBSIDY_INTENTS or (intent == INFORM and informed and after == SUBSIDY):
        also = courses_also_asked(text, entities, region)
        opening = intent in SUBSIDY_INTENTS
        question = SubsidyQuestion(text, caller, courses=also, asks_first=True, opening=opening)
        return Suggestion(
            SUBSIDY, decide_subsidy(question, services.calculator, services.other_benefit, services.finder)
        )
    undecided = {
        OUT_OF_SCOPE: decide_out_of_scope,
        UNCLEAR: decide_unclear,
        INFORM: decide_inform,
        THANK: decide_thanks,
    }
    if decide := undecided.get(intent):
        question = question or Question(text, asker_place(region))

        # The policy answer already made serves unless the answer layer reads the question anew (the place
        # an out-of-scope message names).
        def answer(asked: Question) -> Decision:
            return policy if asked == question else services.decide(asked)

        decision = decide(question, services.other_benefit, answer)
        return Suggestion(SMALL_TALK if decision.kind == SMALL_TALK else "policy", [decision])
    return Suggestion("policy", [policy])
