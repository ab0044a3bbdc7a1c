"""The first stage of the two-stage fallback: when NLU is unsure (`nlu_fallback`), the answer layer
answers the message when it is sure (a neighbouring benefit named, a training benefit asked of, the place
the waiting policy question asked for); otherwise the likely intents are offered as buttons, titled by the
`utter_intent_<intent>` responses of the domain, plus "都不是". The titles are named in full
(TITLE_RESPONSES) so that `python -m bot validate` sees them used.

"都不是" sends `/nlu_fallback`, so a rejected clarification and a second message that is still not
understood are the same second failure: right after the clarification, this action hands over to a
person (`utter_fallback_handoff`, `custom.handoff`). It is decided here, not by a rule after the
action, because the same action also answers: a place told after such an answer, which the NLU cannot
read either, answers the question waiting for it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.policy_qa import OUTSIDE, answer_waiting_question, policy_events, question_from, send
from bot.answers.benefits import not_a_training_subsidy
from bot.answers.decision import Decision
from bot.answers.policy import CLARIFY, Question, decide_policy, decide_unclear

# The intents a button can stand for, and the response that titles it.
TITLE_RESPONSES = {
    "ask_subsidy": "utter_intent_ask_subsidy",
    "find_course": "utter_intent_find_course",
    "ask_policy": "utter_intent_ask_policy",
    "ask_compliance": "utter_intent_ask_compliance",
    "human_handoff": "utter_intent_human_handoff",
}
NONE_OF_THESE = "utter_intent_none"
# Offered when none of the likely intents is one that a button can stand for (gibberish).
DEFAULT_INTENTS = ("ask_subsidy", "find_course", "ask_policy")
MAX_SUGGESTIONS = 3
HANDOFF = "utter_fallback_handoff"


def _title(domain: DomainDict, response: str) -> str | None:
    variants = (domain.get("responses") or {}).get(response) or []
    return variants[0].get("text") if variants else None


def after_clarification(tracker: Tracker) -> bool:
    """The assistant's last reply before the latest message asked which topic was meant."""
    users = 0
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            users += 1
            if users > 1:
                return False
        elif event.get("event") == "bot" and users:
            return (event.get("metadata") or {}).get("utter_action") == CLARIFY
    return False


def suggested_intents(ranking: list[dict[str, Any]], domain: DomainDict) -> list[str]:
    """The most likely intents that have a button title, best first; the main topics if none has."""
    names = [item.get("name") for item in ranking if item.get("name") != "nlu_fallback"]
    titled = [n for n in names if n in TITLE_RESPONSES and _title(domain, TITLE_RESPONSES[n])]
    return titled[:MAX_SUGGESTIONS] or list(DEFAULT_INTENTS)


class ActionClarifyIntent(Action):
    def __init__(
        self,
        decide: Callable[[Question], Decision] = decide_policy,
        other_benefit: Callable[[str], Decision | None] = not_a_training_subsidy,
    ):
        self.decide = decide
        self.other_benefit = other_benefit

    def name(self) -> str:
        return "action_clarify_intent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        if (events := await answer_waiting_question(dispatcher, tracker, self.decide)) is not None:
            return events
        question = question_from(tracker)
        # "都不是" (/nlu_fallback) is a choice, not a question: no benefit is read from it.
        other = (lambda _: None) if question.text.startswith("/") else self.other_benefit
        decision = await asyncio.to_thread(decide_unclear, question, other, self.decide)
        if decision.kind == "clarify" and after_clarification(tracker):
            dispatcher.utter_message(response=HANDOFF)
            return []
        if decision.kind == "clarify":
            ranking = tracker.latest_message.get("intent_ranking") or []
            buttons = [
                {"title": _title(domain, TITLE_RESPONSES[name]) or name, "payload": f"/{name}"}
                for name in suggested_intents(ranking, domain)
            ]
            buttons.append({"title": _title(domain, NONE_OF_THESE) or "都不是", "payload": "/nlu_fallback"})
            decision = replace(decision, replies=[replace(decision.replies[0], buttons=buttons)])
        send(dispatcher, decision)
        return [] if decision.kind in (*OUTSIDE, "clarify") else policy_events(decision)
