"""Policy and compliance questions: the clause that answers, in plain words, quoted and cited —
or an honest "not covered" with the hotline when no clause is close enough."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from retrieval.search import SearchResult, get_retriever

MAX_TERMS_EXPLAINED = 2


def search_policies(query: str, region: str | None) -> SearchResult:
    return get_retriever().search(query, top_k=3, region=region)


class ActionAnswerPolicy(Action):
    def __init__(self, search: Callable[[str, str | None], SearchResult] = search_policies):
        self.search = search

    def name(self) -> str:
        return "action_answer_policy"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # Off the event loop: the first search loads the embedding model and index.
        result = await asyncio.to_thread(
            self.search, tracker.latest_message.get("text") or "", tracker.get_slot("region")
        )
        if not result.answerable or not result.passages:
            dispatcher.utter_message(response="utter_policy_not_covered")
            return [SlotSet("topic", "policy")]
        best = result.passages[0]
        dispatcher.utter_message(
            response="utter_policy_answer" if best.summary else "utter_policy_answer_quote_only",
            summary=best.summary,
            **best.source(),
            json_message={"citations": [best.citation()]},
        )
        for term in best.terms[:MAX_TERMS_EXPLAINED]:
            dispatcher.utter_message(
                response="utter_glossary_term", term=term["term"], explain=term["explain"]
            )
        return [SlotSet("topic", "policy")]
