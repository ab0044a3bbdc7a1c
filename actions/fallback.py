"""The first stage of the two-stage fallback: when NLU is unsure (`nlu_fallback`), the answer layer
answers the message when it is sure (a neighbouring benefit named, the place the waiting policy question
asked for); otherwise the likely intents are offered as buttons, titled by the
`utter_intent_<intent>` responses of the domain, plus "都不是". The titles are named in full
(TITLE_RESPONSES) so that `python -m bot validate` sees them used.

"都不是" sends `/nlu_fallback`, so a rejected clarification and a second message that is still not
understood are the same second failure; the rule after `action_clarify_intent` then hands over to a
person (`utter_fallback_handoff`, `custom.handoff`)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.policy_qa import policy_events, question_from, send
from bot.answers.decision import Decision
from bot.answers.policy import Question, decide_policy

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
# Decisions that answer an unclear message better than a choice of topics: a neighbouring benefit named
# and pointed to its office. A clause is not cited on a message the NLU is unsure of: on the real
# questions that cited three clauses that did not answer for one that did (docs/ANSWERS.md).
ANSWERING = frozenset({"neighbour"})


def _title(domain: DomainDict, response: str) -> str | None:
    variants = (domain.get("responses") or {}).get(response) or []
    return variants[0].get("text") if variants else None


def suggested_intents(ranking: list[dict[str, Any]], domain: DomainDict) -> list[str]:
    """The most likely intents that have a button title, best first; the main topics if none has."""
    names = [item.get("name") for item in ranking if item.get("name") != "nlu_fallback"]
    titled = [n for n in names if n in TITLE_RESPONSES and _title(domain, TITLE_RESPONSES[n])]
    return titled[:MAX_SUGGESTIONS] or list(DEFAULT_INTENTS)


class ActionClarifyIntent(Action):
    def __init__(self, decide: Callable[[Question], Decision] = decide_policy):
        self.decide = decide

    def name(self) -> str:
        return "action_clarify_intent"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        question = question_from(tracker)
        # "都不是" (/nlu_fallback) is a choice, not a question.
        if question.asked_place or not question.text.startswith("/"):
            decision = await asyncio.to_thread(self.decide, question)
            if question.asked_place or decision.kind in ANSWERING:
                send(dispatcher, decision)
                return policy_events(decision)
        ranking = tracker.latest_message.get("intent_ranking") or []
        buttons = [
            {"title": _title(domain, TITLE_RESPONSES[name]) or name, "payload": f"/{name}"}
            for name in suggested_intents(ranking, domain)
        ]
        buttons.append({"title": _title(domain, NONE_OF_THESE) or "都不是", "payload": "/nlu_fallback"})
        dispatcher.utter_message(response="utter_clarify", buttons=buttons)
        return []
