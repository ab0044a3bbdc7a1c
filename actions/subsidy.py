"""The subsidy form and its answer: asks only for what the calculator still needs, then the estimate."""

from __future__ import annotations

import asyncio
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.policy_qa import send
from actions.slots import DONT_KNOW, PROFILE_FIELDS, subsidy_profile
from bot.answers.benefits import not_a_training_subsidy
from bot.answers.courses import Finder, courses_also_asked
from bot.answers.cues import get_cues
from bot.answers.decision import Decision, Reply
from bot.answers.policy import Question, decide_policy
from bot.answers.profile import hukou_words, stated_in_text
from bot.answers.scope import where_named
from bot.answers.subsidy import (
    Calculator,
    OtherBenefit,
    SubsidyQuestion,
    answer_before,
    asking,
    calculator_region,
    certificate_choices,
    certificate_question,
    decide_subsidy,
    not_asked_of_a_training_subsidy,
    questions_to_ask,
    region_question,
)
from bot.answers.trades import read_trades
from bot.courses.finder import find_nearest
from bot.gazetteer import resolve_place
from bot.subsidy import ProfileError, estimate

NAMED_SLOT = "certificate_named"  # a certificate name told that is several catalogue rows

# Asked when an answer to the form's question is not understood; named in full so that
# `python -m bot validate` sees each response used.
ASK_AGAIN_RESPONSES = {
    "region": "utter_invalid_region",
    "hukou_local": "utter_invalid_hukou_local",
    "person_type": "utter_invalid_person_type",
    "certificate": "utter_invalid_certificate",
    "certificate_kind": "utter_invalid_certificate_kind",
    "skill_level": "utter_invalid_skill_level",
    "program": "utter_invalid_program",
    "times_claimed": "utter_invalid_times_claimed",
    "training_days": "utter_invalid_training_days",
    "employed_months": "utter_invalid_employed_months",
}


class ValidateSubsidyForm(FormValidationAction):
    def __init__(
        self,
        calculator: Calculator = estimate,
        other_benefit: OtherBenefit = not_asked_of_a_training_subsidy,
    ):
        self.calculator = calculator
        self.other_benefit = other_benefit

    def name(self) -> str:
        return "validate_subsidy_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        """What the calculator still needs for the amount, in its order, minus what the user said they
        do not know.

        Fields set in this turn are added at the end: rasa-sdk validates only required slots, so
        corrections are validated. A field this turn's validation left empty is asked only when the
        calculator wants it, in its order: a certificate name that is several catalogue rows is asked
        after the place, and a word the NLU took for a field's value ("新政" as a programme) asks
        nothing."""
        if await self._asks_other_benefit(tracker):
            return []  # nothing to ask: the estimate action names the benefit instead
        just_set = [
            field
            for field in tracker.slots_to_validate()
            if field in PROFILE_FIELDS and tracker.get_slot(field) is not None
        ]
        try:
            result = self.calculator(subsidy_profile(tracker))
        except ProfileError:
            return just_set
        # Plain conditions on a known amount are not asked: the answer states them. They are read when
        # the message tells them ("本地户口，没领过").
        stated = stated_in_text(tracker.latest_message.get("text") or "", hukou_words())
        unknown = [f for f in PROFILE_FIELDS if tracker.get_slot(f) == DONT_KNOW]
        wanted = questions_to_ask(result, unknown) + [f for f in result.condition_fields if f in stated]
        return wanted + [f for f in just_set if f not in wanted]

    async def _asks_other_benefit(self, tracker: Tracker) -> bool:
        """The message that opened the form asks about a benefit that is not a training subsidy, or about
        the certificate itself (its fee, its exam)."""
        if (tracker.latest_message.get("intent") or {}).get("name") != "ask_subsidy":
            return False
        text = tracker.latest_message.get("text") or ""
        return await asyncio.to_thread(self.other_benefit, text) is not None

    async def extract_hukou_local(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._stated(tracker, "hukou_local", lambda local: "是" if local else "否")

    async def extract_times_claimed(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        return self._stated(tracker, "times_claimed", str)

    @staticmethod
    def _stated(tracker: Tracker, field: str, spoken: Callable[[Any], str]) -> dict[str, Any]:
        """A field the message states unasked ("本地户口", "没领过"), read as the assist pane reads it;
        the answer to the field's own question is the slot mapping's."""
        if tracker.get_slot(field) is not None or tracker.get_slot("requested_slot") == field:
            return {}
        stated = stated_in_text(tracker.latest_message.get("text") or "", hukou_words())
        return {field: spoken(stated[field])} if field in stated else {}

    @staticmethod
    def _named(field: str, tracker: Tracker) -> tuple[str, ...]:
        """The field's values the message names; for the certificate, the one held before a course
        wanted ("考了叉车证……附近哪有电工培训": 叉车证)."""
        if field == "region":  # where the asker is, not where they come from (户口是广西的)
            text = tracker.latest_message.get("text") or ""
            return tuple(where_named(text, list(tracker.get_latest_entity_values(field))))
        if field != "certificate":
            return tuple(tracker.get_latest_entity_values(field))
        message = tracker.latest_message
        entities = message.get("entities") or []
        return read_trades(message.get("text") or "", entities, course_search=False).certificate_candidates()

    def check(
        self, field: str, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker
    ) -> dict[str, Any]:
        """Keep a value the calculator understands; otherwise ask again (or stay quiet when the message
        was about another field, e.g. a correction "不对，我是大学生")."""
        text = str(value).strip()
        if tracker.get_slot("requested_slot") == field and get_cues().says_dont_know(text):
            return {field: DONT_KNOW}
        named = self._named(field, tracker)
        whole_message = text == (tracker.latest_message.get("text") or "").strip()
        if whole_message and not named and _names_another_field(field, tracker):
            return {field: None}  # "农民工" asked for the certificate: the person type, not a certificate
        for candidate in (*named, text):
            if field == "region":
                # The calculator takes any region (it answers "no documents" for unknown ones);
                # only a real place is kept.
                if not (place := resolve_place(candidate)):
                    continue
                candidate = calculator_region(place)
            if field == "certificate" and certificate_choices(candidate):
                # Several catalogue rows: left empty, so that the form asks which one (with them as choices).
                return {field: None, NAMED_SLOT: candidate}
            try:
                # The field alone: other answers of this turn are not validated yet.
                self.calculator({field: candidate})
            except ProfileError:
                continue
            return {field: candidate} | ({NAMED_SLOT: None} if field == "certificate" else {})
        if tracker.get_slot("requested_slot") == field and not tracker.latest_message.get("entities"):
            dispatcher.utter_message(response=ASK_AGAIN_RESPONSES[field])
        return {field: None}


def _names_another_field(field: str, tracker: Tracker) -> bool:
    """The message names the value of another profile field (a person type, a place …), so its text is
    not the answer to this field's question."""
    entities = tracker.latest_message.get("entities") or []
    return any(e.get("entity") in PROFILE_FIELDS and e.get("entity") != field for e in entities)


def _validator(field: str) -> Callable:
    async def validate(self, value, dispatcher, tracker, domain):  # type: ignore[no-untyped-def]
        return self.check(field, value, dispatcher, tracker)

    validate.__name__ = f"validate_{field}"
    return validate


for _field in PROFILE_FIELDS:
    setattr(ValidateSubsidyForm, f"validate_{_field}", _validator(_field))


class ActionEstimateSubsidy(Action):
    """The estimate with its basis (bot/answers/subsidy.py), then the cards of a course the message also
    looks for ("……能补多少，附近哪有电工培训")."""

    def __init__(
        self,
        calculator: Calculator = estimate,
        other_benefit: OtherBenefit = not_a_training_subsidy,
        finder: Finder = find_nearest,
    ):
        self.calculator = calculator
        self.other_benefit = other_benefit
        self.finder = finder

    def name(self) -> str:
        return "action_estimate_subsidy"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        message = tracker.latest_message
        text = message.get("text") or ""
        also = courses_also_asked(text, message.get("entities") or [], tracker.get_slot("region"))
        opening = (message.get("intent") or {}).get("name") == "ask_subsidy"
        question = SubsidyQuestion(text, subsidy_profile(tracker), courses=also, opening=opening)
        decisions = await asyncio.to_thread(
            decide_subsidy, question, self.calculator, self.other_benefit, self.finder
        )
        for decision in decisions:
            send(dispatcher, decision)
        return [SlotSet(name, value) for d in decisions for name, value in d.slots.items()]


class _AskAfterAnswer(Action, ABC):
    """A subsidy form question that, asked right after the question that opened the form, first gives
    what answers that question (`answer_before`), as the assist pane does: an answer now, its conditions
    stated, then the question the amount depends on."""

    field: str  # the form's slot asked

    def __init__(self, decide: Callable[[Question], Decision] = decide_policy):
        self.decide = decide

    @abstractmethod
    def name(self) -> str: ...

    @abstractmethod
    def question(self) -> Reply:
        """The form's question for the field."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        profile = subsidy_profile(tracker)
        if (tracker.latest_message.get("intent") or {}).get("name") == "ask_subsidy":
            question = SubsidyQuestion(tracker.latest_message.get("text") or "", profile)
            if first := await asyncio.to_thread(answer_before, self.field, question, self.decide):
                send(dispatcher, first)
        reply = self.question()
        # The domain's response keeps its own buttons unless the question brings some (the places).
        dispatcher.utter_message(
            response=reply.response, **({"buttons": reply.buttons} if reply.buttons else {})
        )
        return []


class ActionAskSubsidyRegion(_AskAfterAnswer):
    """The region question: after the national rule that answers the opening question
    ("高级电工证国家有补贴吗"), where the asker is for the local amount, the places the calculator has rules
    for as buttons."""

    field = "region"

    def name(self) -> str:
        return "action_ask_subsidy_form_region"

    def question(self) -> Reply:
        return region_question()


class ActionAskSubsidyPersonType(_AskAfterAnswer):
    """The question of who the asker is: after the rule of the asker's place that answers the opening
    question ("天津健康管理师补贴多少": 天津 第九条)."""

    field = "person_type"

    def name(self) -> str:
        return "action_ask_subsidy_form_person_type"

    def question(self) -> Reply:
        return Reply("utter_ask_person_type")


class ActionAskSubsidyCertificate(Action):
    """The subsidy form's certificate question: the catalogue rows to choose from when the name told is
    several of them ("焊工证"), after the cards of a course the message also looks for, as the assist
    pane asks it."""

    def __init__(self, finder: Finder = find_nearest):
        self.finder = finder

    def name(self) -> str:
        return "action_ask_subsidy_form_certificate"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        message = tracker.latest_message
        also = courses_also_asked(
            message.get("text") or "", message.get("entities") or [], tracker.get_slot("region")
        )
        decisions = asking(certificate_question(tracker.get_slot(NAMED_SLOT)), also, self.finder)
        for decision in decisions:
            send(dispatcher, decision)
        return [SlotSet(name, value) for d in decisions for name, value in d.slots.items()]
