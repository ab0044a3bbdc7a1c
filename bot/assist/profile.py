"""The caller profile: what the caller has said so far, grown by each utterance's entities.

Only values the calculator accepts are kept, as the chat's subsidy form does; a later value for a
field replaces the earlier one (the caller corrected themselves).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from bot.answers.profile import stated_in_text
from bot.answers.scope import where_named
from bot.answers.subsidy import calculator_region
from bot.answers.trades import read_trades
from bot.gazetteer import Place
from bot.subsidy import ProfileError

# Rasa entities that are calculator fields of the same name. The certificate is the trade the message
# names as one held (read_trades), not a course it looks for; occupation only steers the course search.
ENTITY_FIELDS = ("region", "person_type", "skill_level", "program")
Calculator = Callable[[Mapping[str, Any]], Any]


def updates_from(
    text: str,
    entities: list[Mapping[str, Any]],
    resolve: Callable[[str], Place | None],
    hukou: list[tuple[str, bool]],
    course_search: bool = False,
) -> dict[str, Any]:
    """Candidate profile values in one utterance: its entities and certificate, then the hukou and claim
    counts it states. `course_search`: the utterance asks for courses (a trade without a cue is wanted)."""
    updates: dict[str, Any] = {}
    places = [
        e.get("value") for e in entities if e.get("entity") == "region" and isinstance(e.get("value"), str)
    ]
    where = where_named(text, places)
    for entity in entities:
        field, value = entity.get("entity"), entity.get("value")
        if field not in ENTITY_FIELDS or not isinstance(value, str) or not value.strip():
            continue
        if field == "region":
            if value not in where:
                continue  # where the asker comes from (户口是广西的), not where they ask
            place = resolve(value)
            if place is None:
                continue
            value = calculator_region(place)  # as the chat's subsidy form keeps it
        updates[field] = value
    if certificate := read_trades(text, entities, course_search).certificate:
        updates["certificate"] = certificate
    return updates | stated_in_text(text, hukou)


def accumulate(
    profile: Mapping[str, Any], updates: Mapping[str, Any], calculator: Calculator
) -> dict[str, Any]:
    """The profile with every update the calculator accepts on top of what is known."""
    merged = {field: value for field, value in profile.items() if value is not None}
    for field, value in updates.items():
        candidate = {**merged, field: value}
        try:
            calculator(candidate)
        except ProfileError:
            continue
        merged = candidate
    return merged
