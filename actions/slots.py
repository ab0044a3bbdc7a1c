"""Reading the conversation's slots into the services' inputs."""

from __future__ import annotations

from rasa_sdk import Tracker

from bot.subsidy import question_order

# The subsidy calculator's profile fields are slots of the same name.
PROFILE_FIELDS: tuple[str, ...] = tuple(question_order())

# What people say when they do not know the answer to the question just asked.
DONT_KNOW_WORDS = ("不知道", "不清楚", "不确定", "不记得", "忘了", "说不清", "不晓得")
DONT_KNOW = "不知道"


def says_dont_know(text: str) -> bool:
    return any(word in text for word in DONT_KNOW_WORDS)


def subsidy_profile(tracker: Tracker) -> dict[str, str]:
    """The subsidy profile told so far; fields answered with 不知道 are left out."""
    profile = {}
    for field in PROFILE_FIELDS:
        value = tracker.get_slot(field)
        if value is not None and value != DONT_KNOW:
            profile[field] = value
    return profile
