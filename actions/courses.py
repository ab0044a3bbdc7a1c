"""The course form (place, trade) and the nearest courses still open for enrolment: the answer layer's
decision (bot/answers/courses.py), sent as it is."""

from __future__ import annotations

import asyncio
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.policy_qa import send
from bot.answers.courses import ANY_TRADE, CourseSearch, Finder, decide_courses, places_named, trade_answer
from bot.answers.scope import asker_place
from bot.courses.finder import find_nearest


def shared_location(tracker: Tracker) -> dict[str, Any] | None:
    """A location shared with this message (metadata.location) or earlier in the search (slot)."""
    location = (tracker.latest_message.get("metadata") or {}).get("location") or tracker.get_slot("location")
    if not isinstance(location, dict):
        return None
    try:
        lat, lng = float(location["lat"]), float(location["lng"])
    except (KeyError, TypeError, ValueError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):  # also false for NaN
        return None
    return {**location, "lat": lat, "lng": lng}


def your_location(domain: DomainDict) -> str:
    """How a shared location without a name is called in replies (domain response utter_your_location)."""
    return domain["responses"]["utter_your_location"][0]["text"]


class ValidateCourseForm(FormValidationAction):
    def name(self) -> str:
        return "validate_course_form"

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        events = await super().get_extraction_events(dispatcher, tracker, domain)
        if (location := shared_location(tracker)) and tracker.get_slot("location") != location:
            events.append(SlotSet("location", location))
        return events

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        """The place, unless a location is shared. The trade is not asked: without one, the nearest
        courses of every trade are listed (an answer now, which the asker narrows by naming a trade);
        a trade told is validated."""
        place = [] if shared_location(tracker) else ["region"]
        return place + (["occupation"] if "occupation" in tracker.slots_to_validate() else [])

    async def validate_region(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        entities = tracker.latest_message.get("entities") or []
        if place := asker_place(*places_named(entities), str(value)):
            return {"region": place.name, "location": None}  # a place named now wins over a shared one
        dispatcher.utter_message(response="utter_invalid_region")
        return {"region": None}

    async def validate_occupation(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = tracker.latest_message.get("text") or str(value)
        if trade := trade_answer(text.strip(), tracker.latest_message.get("entities") or []):
            return {"occupation": trade}
        dispatcher.utter_message(response="utter_invalid_occupation")
        return {"occupation": None}


class ActionFindCourses(Action):
    def __init__(self, finder: Finder = find_nearest):
        self.finder = finder

    def name(self) -> str:
        return "action_find_courses"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        occupation = tracker.get_slot("occupation")
        location = shared_location(tracker)
        # "好的" to "want to see more?" continues the same search after the courses already shown.
        more = tracker.get_intent_of_latest_message() == "affirm" and tracker.get_slot("topic") == "course"
        search = CourseSearch(
            place=tracker.get_slot("region"),
            location=location and {**location, "label": location.get("label") or your_location(domain)},
            trade=None if occupation == ANY_TRADE else occupation,
            shown=int(tracker.get_slot("courses_shown") or 0) if more else 0,
        )
        decision = await asyncio.to_thread(decide_courses, search, self.finder)
        send(dispatcher, decision)
        return [SlotSet(name, value) for name, value in decision.slots.items()]
