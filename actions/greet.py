"""The greeting, shaped by the entry context: an institution's or agent's entry opens in its own mode,
a poster of a region greets the people of that region."""

from __future__ import annotations

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict


class ActionGreet(Action):
    def name(self) -> str:
        return "action_greet"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        region = tracker.get_slot("region")
        if tracker.get_slot("role") in (None, "trainee") and region:
            dispatcher.utter_message(response="utter_greet_region", region=region)
        else:
            dispatcher.utter_message(response="utter_greet")  # its variants depend on the role slot
        return []
