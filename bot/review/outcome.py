"""What a turn did, from the actions run and the replies sent: answered, declined, fallback, clarify,
handoff or other. Names are the real ones of domain.yml, actions/ and bot/answers (Decision.kind)."""

from __future__ import annotations

from collections.abc import Iterable

OUTCOMES = ("answered", "declined", "fallback", "clarify", "handoff", "other")
# As the review console and the stats page word them.
OUTCOME_LABELS = {
    "answered": "已回答",
    "declined": "拒答（没有依据）",
    "fallback": "没听懂",
    "clarify": "请用户澄清",
    "handoff": "转人工",
    "other": "其他",
}

# Decision kinds (bot/answers) that decline: the documents do not cover the question, the asker's
# place, or the benefit asked about (not a training subsidy), or the question is outside the domain.
# The calculator could not use what the user gave (subsidy_unavailable) declines too.
DECLINED_KINDS = {"not_covered", "place_not_covered", "out_of_scope", "neighbour", "subsidy_unavailable"}
ANSWERED_KINDS = {
    "answer",
    "partial",
    "subsidy",
    "courses",
    "courses_no_more",
    "courses_farther",
    "courses_other_trades",
    "courses_none",
}
# Replies that decline or answer without a Decision payload on them.
DECLINED_RESPONSES = {
    "utter_out_of_scope",
    "utter_policy_not_covered",
    "utter_policy_topic_not_covered",
    "utter_policy_topic_not_covered_place",
    "utter_policy_place_not_covered",
    "utter_other_benefit",
    "utter_neighbour_benefit",
    "utter_subsidy_unavailable",
}
ANSWERED_RESPONSES = {
    "utter_policy_answer",
    "utter_policy_answer_quote_only",
    "utter_policy_national_only",
    "utter_policy_partial",
    "utter_subsidy_estimate",
    "utter_courses_found",
    "utter_courses_found_more",
    "utter_courses_no_more",
    "utter_courses_none",
    "utter_courses_none_for_trade",
    "utter_courses_none_nearby_but_farther",
}
HANDOFF_RESPONSES = {"utter_handoff", "utter_fallback_handoff"}
FALLBACK_ACTIONS = {"action_default_fallback"}
FALLBACK_RESPONSES = {"utter_default"}
CLARIFY_ACTIONS = {"action_clarify_intent"}


def decide_outcome(
    actions: Iterable[str], responses: Iterable[str], answer_kind: str | None, handoff: bool
) -> str:
    """The first that holds: handed to a person (also after a failed clarification); not understood
    (Rasa's default fallback, or no reply at all: a failed action); asked which topic was meant;
    declined; answered (a policy answer, a subsidy estimate or a course search, even one that found
    nothing nearby); else other (greetings, a form's next question, asking for the place …)."""
    actions, responses = set(actions), list(responses)
    said = set(responses)
    if handoff or said & HANDOFF_RESPONSES:
        return "handoff"
    if actions & FALLBACK_ACTIONS or said & FALLBACK_RESPONSES or not responses:
        return "fallback"
    if actions & CLARIFY_ACTIONS:
        return "clarify"
    if answer_kind in DECLINED_KINDS or said & DECLINED_RESPONSES:
        return "declined"
    if answer_kind in ANSWERED_KINDS or said & ANSWERED_RESPONSES:
        return "answered"
    return "other"


def answer_kind(custom: dict) -> str | None:
    """The kind of a bot message's payload: the answer layer's kind, else subsidy / courses (as
    bot/answers/eval_real.answer_kind reads /api/chat)."""
    if custom.get("answer"):
        return str(custom["answer"])
    if "subsidy" in custom:
        return "subsidy"
    if "courses" in custom:
        return "courses"
    return None
