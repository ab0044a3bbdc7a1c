"""Policy, compliance and out-of-scope questions: the answer layer's decision (bot/answers/policy.py),
sent as it is.

The action only reads the conversation: the question (or the one waiting for the asker's place, when
this message answers the place question; or, for a follow-up asking only an aspect, the previous
question's subject with it) and where the asker is.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.answers.decision import Decision
from bot.answers.followup import POLICY_TOPIC, TOPIC_SLOT, followed_up
from bot.answers.policy import (
    PENDING_SLOT,
    SMALL_TALK,
    Question,
    decide_inform,
    decide_out_of_scope,
    decide_policy,
    decide_thanks,
)
from bot.answers.scope import asker_place, where_named
from bot.answers.subsidy import calculator_region

# A message that is a place and at most this many other characters ("我在", "。") answers the place
# question, whatever intent the NLU gave it.
PLACE_ANSWER_FILLER = 3
# Decisions that leave the conversation's topic as it was.
OUTSIDE = ("out_of_scope", "neighbour", SMALL_TALK)


def _without(text: str, names: list[str]) -> str:
    for name in names:
        text = text.replace(name, "")
    return "".join(c for c in text if c.isalnum())


def question_from(tracker: Tracker) -> Question:
    """The question to answer and where the asker is: the place named in this message, else the
    conversation's (which holds the entry context too). A message answering the place question (a
    button's payload, or a place typed after it) answers the question that was waiting."""
    message = tracker.latest_message
    text = message.get("text") or ""
    named = list(tracker.get_latest_entity_values("region"))
    # Places named together narrow each other (宁夏 + 彭阳县 → 彭阳县): the gazetteer reads them as one.
    place = asker_place("".join(where_named(text, named)), tracker.get_slot("region"))
    pending = tracker.get_slot(PENDING_SLOT)
    only_a_place = bool(named) and len(_without(text, named)) <= PLACE_ANSWER_FILLER
    answers_place_question = (
        text.startswith("/") or (message.get("intent") or {}).get("name") == "inform" or only_a_place
    )
    if pending and answers_place_question:
        return Question(pending, place, asked_place=True)
    return Question(followed_up(text, earlier_questions(tracker)), place)


def earlier_questions(tracker: Tracker) -> list[str]:
    """The earlier messages a follow-up may continue: those before this one, when the last answer was a
    policy answer; none otherwise."""
    if tracker.get_slot(TOPIC_SLOT) != POLICY_TOPIC:
        return []
    return [e.get("text") or "" for e in tracker.events if e.get("event") == "user"][:-1]


def send(dispatcher: CollectingDispatcher, decision: Decision) -> None:
    for index, reply in enumerate(decision.replies):
        extra: dict = {"json_message": decision.custom()} if index == 0 else {}
        if reply.buttons:
            extra["buttons"] = reply.buttons
        dispatcher.utter_message(response=reply.response, **reply.params, **extra)


def place_events(tracker: Tracker) -> list[EventType]:
    """The conversation's place put right when the message names where the asker comes from beside where
    they are (户口是广西的): Rasa fills the slot with the last place named, and the next question would be
    asked from there."""
    text = tracker.latest_message.get("text") or ""
    named = list(tracker.get_latest_entity_values("region"))
    where = where_named(text, named)
    place = asker_place("".join(where)) if len(where) < len(named) else None
    return [SlotSet("region", calculator_region(place))] if place else []


def policy_events(decision: Decision) -> list[EventType]:
    """The conversation after a policy decision: its topic, and the question waiting for a place."""
    pending = decision.slots.get(PENDING_SLOT)
    topic = "policy_place" if pending else POLICY_TOPIC
    return [SlotSet(TOPIC_SLOT, topic), SlotSet(PENDING_SLOT, pending)]


async def answer_waiting_question(
    dispatcher: CollectingDispatcher, tracker: Tracker, decide: Callable[[Question], Decision]
) -> list[EventType] | None:
    """When the message is the place the waiting policy question asked for, that question's answer is
    sent and its events returned, whatever the NLU made of the message; None otherwise."""
    question = question_from(tracker)
    if not question.asked_place:
        return None
    decision = await asyncio.to_thread(decide, question)
    send(dispatcher, decision)
    return policy_events(decision)


class ActionAnswerPolicy(Action):
    def __init__(self, decide: Callable[[Question], Decision] = decide_policy):
        self.decide = decide

    def name(self) -> str:
        return "action_answer_policy"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        # Off the event loop: the first decision loads the embedding model and index.
        decision = await asyncio.to_thread(self.decide, question_from(tracker))
        send(dispatcher, decision)
        return policy_events(decision) + place_events(tracker)


class ActionInform(Action):
    """Information outside a form: the place the waiting policy question asked for answers it; a
    benefit that is not a training subsidy ("深圳人社局失业补助金") is named and pointed to its office, as
    the assist pane does; anything else is acknowledged with the topics to go on with."""

    def __init__(self, decide: Callable[[Question], Decision] = decide_policy):
        self.decide = decide

    def name(self) -> str:
        return "action_inform"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await answer_waiting_question(dispatcher, tracker, self.decide)
        if events is not None:
            return events
        decision = await asyncio.to_thread(decide_inform, question_from(tracker), policy=self.decide)
        send(dispatcher, decision)
        return [] if decision.kind in (*OUTSIDE, "inform") else policy_events(decision)


class _DecidedOutsideAQuestion:
    """A message the NLU did not read as a question: the answer layer's decision on it is sent, and one
    that stays outside training (OUTSIDE) leaves the conversation's topic as it was. A mixin, not an
    Action: rasa-sdk registers every Action subclass it finds."""

    def __init__(self, decide: Callable[[Question], Decision]):
        self.decide = decide

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        decision = await asyncio.to_thread(self.decide, question_from(tracker))
        send(dispatcher, decision)
        return [] if decision.kind in OUTSIDE else policy_events(decision)


class ActionAnswerOutOfScope(_DecidedOutsideAQuestion, Action):
    """Outside training subsidies: a neighbouring benefit (失业金, 稳岗返还 …) is named and pointed to
    its office; a message asking of a training subsidy after all gets the policy answer; anything else
    gets the out-of-scope reply."""

    def __init__(self, decide: Callable[[Question], Decision] = decide_out_of_scope):
        super().__init__(decide)

    def name(self) -> str:
        return "action_answer_out_of_scope"


class ActionAnswerThanks(_DecidedOutsideAQuestion, Action):
    """Thanks: the reply to thanks, or, when the thanks close a question (中级人力资源补贴，谢谢), its answer."""

    def __init__(self, decide: Callable[[Question], Decision] = decide_thanks):
        super().__init__(decide)

    def name(self) -> str:
        return "action_answer_thanks"
