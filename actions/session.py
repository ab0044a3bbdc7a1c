"""Session start: keeps the entry context (channel, region, role, campaign) that the first
message's metadata carries — a poster's QR code, the mini-program, the agent pane — as slots, and the
configured service hotline that the replies offer."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActionExecuted, EventType, SessionStarted, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.settings import get_settings

CHANNELS = {"api", "h5", "wechat", "miniprogram", "assist"}
ROLES = {"trainee", "institution", "agent"}
MAX_TEXT_LENGTH = 40


def _text(value: Any) -> str | None:
    if isinstance(value, str) and 0 < len(value.strip()) <= MAX_TEXT_LENGTH:
        return value.strip()
    return None


def entry_context_slots(metadata: Any) -> list[EventType]:
    """SlotSet events for the recognised, well-formed entry-context keys; anything else is ignored."""
    if not isinstance(metadata, dict):
        return []
    values = {
        "source_channel": metadata.get("channel") if metadata.get("channel") in CHANNELS else None,
        "role": metadata.get("role") if metadata.get("role") in ROLES else None,
        "region": _text(metadata.get("region")),
        "campaign": _text(metadata.get("campaign")),
    }
    return [SlotSet(slot, value) for slot, value in values.items() if value is not None]


def carried_over_slots(tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
    """Rasa's default session start carries slots over when the domain asks for it; a custom one must too."""
    if not domain.get("session_config", {}).get("carry_over_slots_to_new_session", True):
        return []
    return [
        SlotSet(name, value)
        for name, value in tracker.current_slot_values().items()
        if value is not None and name != "session_started_metadata"
    ]


class ActionSessionStart(Action):
    def __init__(self, hotline: str | None = None):
        self.hotline = hotline

    def name(self) -> str:
        return "action_session_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]
    ) -> list[EventType]:
        metadata = tracker.get_slot("session_started_metadata")
        # Entry context comes after the carried-over slots, so a new poster scan wins over old values.
        return [
            SessionStarted(),
            *carried_over_slots(tracker, domain),
            *entry_context_slots(metadata),
            SlotSet("hotline", self.hotline or get_settings().hotline),
            ActionExecuted("action_listen"),
        ]
