"""The course form (place, trade) and the nearest courses still open for enrolment."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.courses.errors import CourseSearchError, UnknownOccupationError
from bot.courses.finder import MAX_LIMIT, NearestResult, find_nearest
from bot.courses.occupations import get_vocabulary
from bot.gazetteer import resolve_place

SHOWN = 3
# Answers to "what trade?" that mean "any trade".
ANY_TRADE_WORDS = ("都行", "都可以", "不限", "随便", "不知道", "没想好", "什么都行")
ANY_TRADE = "不限"


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
        """A shared location stands for the place."""
        if shared_location(tracker):
            return [slot for slot in domain_slots if slot != "region"]
        return domain_slots

    async def validate_region(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        named = list(tracker.get_latest_entity_values("region"))
        # Named together, 深圳 and 宝安 are 宝安区; unrelated places together name none, and count alone.
        for candidate in ("".join(named), *named, str(value)):
            if place := resolve_place(candidate):
                return {"region": place.name, "location": None}  # a place named now wins over a shared one
        dispatcher.utter_message(response="utter_invalid_region")
        return {"region": None}

    async def validate_occupation(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict[str, Any]:
        text = str(value).strip()
        if any(word in text for word in ANY_TRADE_WORDS):
            return {"occupation": ANY_TRADE}
        vocabulary = get_vocabulary()
        for candidate in (*tracker.get_latest_entity_values("occupation"), text):
            if vocabulary.resolve(candidate):
                return {"occupation": candidate}
        dispatcher.utter_message(response="utter_invalid_occupation")
        return {"occupation": None}


class ActionFindCourses(Action):
    def __init__(self, finder: Callable[..., NearestResult] = find_nearest):
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
        offset = int(tracker.get_slot("courses_shown") or 0) if more else 0
        origin = (
            {"lat": location["lat"], "lng": location["lng"]}
            if location
            else {"place": tracker.get_slot("region")}
        )
        try:
            result = await asyncio.to_thread(
                self.finder,
                **origin,
                occupation=None if occupation in (None, ANY_TRADE) else occupation,
                limit=min(offset + SHOWN, MAX_LIMIT),
            )
        except UnknownOccupationError:
            dispatcher.utter_message(response="utter_invalid_occupation")
            return [SlotSet("topic", "course"), SlotSet("occupation", None)]
        except CourseSearchError:
            dispatcher.utter_message(response="utter_invalid_region")
            return [SlotSet("topic", "course"), SlotSet("region", None), SlotSet("location", None)]
        place = (
            result.origin.name if result.origin else (location or {}).get("label") or your_location(domain)
        )
        shown = result.courses[offset:]
        done = [SlotSet("topic", "course"), SlotSet("courses_shown", offset + len(shown))]
        if more and not shown:
            dispatcher.utter_message(response="utter_courses_no_more", place=place)
            return done
        if not shown:
            self._nothing_within_reach(dispatcher, result, place)
            return done
        dispatcher.utter_message(
            response="utter_courses_found_more" if more else "utter_courses_found",
            place=place,
            count=len(shown),
            json_message={"courses": [hit.to_dict() for hit in shown]},
        )
        for hit in shown:
            dispatcher.utter_message(
                response="utter_course_subsidized" if hit.subsidized else "utter_course_unsubsidized",
                **hit.to_dict(),
            )
        dispatcher.utter_message(
            response="utter_courses_more" if len(shown) == SHOWN else "utter_courses_other"
        )
        return done

    @staticmethod
    def _nothing_within_reach(dispatcher: CollectingDispatcher, result: NearestResult, place: str) -> None:
        if result.nearest_beyond_reach:
            dispatcher.utter_message(
                response="utter_courses_none_nearby_but_farther",
                place=place,
                radius_km=round(result.max_distance_km),
                **result.nearest_beyond_reach.to_dict(),
                json_message={"courses": [result.nearest_beyond_reach.to_dict()]},
            )
        elif result.nearby_other_occupations:
            dispatcher.utter_message(
                response="utter_courses_none_for_trade",
                place=place,
                json_message={"courses": [hit.to_dict() for hit in result.nearby_other_occupations[:SHOWN]]},
            )
        else:
            dispatcher.utter_message(response="utter_courses_none", place=place)
