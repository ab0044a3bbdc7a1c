"""Reading the conversation's slots into the services' inputs."""

from __future__ import annotations

from rasa_sdk import Tracker

from bot.subsidy.normalize import DONT_KNOW, PROFILE_FIELDS, profile_from_slots

__all__ = ["DONT_KNOW", "PROFILE_FIELDS", "says_dont_know", "subsidy_profile"]

# What people say when they do not know the answer to the question just asked.
DONT_KNOW_WORDS = ("不知道", "不清楚", "不确定", "不记得", "忘了", "说不清", "不晓得")


def says_dont_know(text: str) -> bool:
    return any(word in text for word in DONT_KNOW_WORDS)


def subsidy_profile(tracker: Tracker) -> dict[str, str]:
    """The subsidy profile told so far; fields answered with 不知道 are left out."""
    return profile_from_slots(tracker.current_slot_values())
