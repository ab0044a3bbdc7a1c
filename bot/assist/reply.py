"""The sentence the agent can read out, filled from domain.yml responses with the services' results.

Amounts only ever come from the calculator's explanation; policy answers are the answer layer's
decision, the same the chat sends.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.answers.decision import Decision
from bot.courses.finder import NearestResult
from bot.subsidy import Estimate

SUBSIDY_INTENTS = frozenset({"ask_subsidy"})
COURSE_INTENTS = frozenset({"find_course"})
SMALL_TALK = {"greet": "utter_greet", "goodbye": "utter_goodbye", "thank": "utter_thank"}


def _subsidy(estimate: Estimate, responses: Mapping[str, str]) -> str:
    lines = [responses["utter_subsidy_estimate"].format(explanation=estimate.explanation)]
    if estimate.missing and (question := responses.get(f"utter_ask_{estimate.missing[0]}")):
        lines.append(question)
    return "\n".join(lines)


def _courses(nearest: NearestResult, responses: Mapping[str, str]) -> str:
    place = nearest.origin.name if nearest.origin else ""
    lines = [responses["utter_courses_found"].format(place=place, count=len(nearest.courses))]
    for hit in nearest.courses:
        name = "utter_course_subsidized" if hit.subsidized else "utter_course_unsubsidized"
        lines.append(responses[name].format(**hit.to_dict()))
    return "\n".join(lines)


def suggested_reply(
    intent: str | None,
    policy: Decision,
    estimate: Estimate,
    nearest: NearestResult | None,
    responses: Mapping[str, str],
    informed: bool = False,
) -> dict[str, Any]:
    """`{"kind", "text"}`: kind is subsidy, courses, policy or small_talk. `informed`: the utterance
    added to the caller profile (an answer to a calculator question)."""
    if intent in SMALL_TALK:
        return {"kind": "small_talk", "text": responses[SMALL_TALK[intent]]}
    if intent in COURSE_INTENTS and nearest and nearest.courses:
        return {"kind": "courses", "text": _courses(nearest, responses)}
    if intent in SUBSIDY_INTENTS or (intent == "inform" and informed):
        return {"kind": "subsidy", "text": _subsidy(estimate, responses)}
    return {"kind": "policy", "text": policy.text(responses)}
