"""Reading the conversation's slots into the services' inputs."""

from __future__ import annotations

from rasa_sdk import Tracker

from bot.subsidy.normalize import DONT_KNOW, PROFILE_FIELDS, profile_from_slots

__all__ = ["DONT_KNOW", "PROFILE_FIELDS", "subsidy_profile"]


def subsidy_profile(tracker: Tracker) -> dict[str, str]:
    """The subsidy profile told so far; fields answered with 不知道 are left out."""
    return profile_from_slots(tracker.current_slot_values())
