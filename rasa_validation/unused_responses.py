"""Which of Rasa's validation warnings are settled: "The utterance '…' is not used in any story or rule"
for a response that is sent from elsewhere. Every other warning stands. The pattern is the wording of
Rasa 3.6's Validator.verify_utterances_in_stories; should an upgrade reword it, nothing matches and
those warnings fail the validation again instead of being hidden."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

UNUSED_RESPONSE = re.compile(r"The utterance '(?P<name>[^']+)' is not used in any story or rule\.")


def settle_unused_responses(
    warnings: Iterable[str], sent_elsewhere: Mapping[str, str]
) -> tuple[dict[str, str], list[str]]:
    """Split warning messages into the unused responses that are sent elsewhere (name → what sends it)
    and the warnings that stand."""
    settled: dict[str, str] = {}
    standing: list[str] = []
    for message in warnings:
        unused = UNUSED_RESPONSE.fullmatch(message)
        if unused and unused["name"] in sent_elsewhere:
            settled[unused["name"]] = sent_elsewhere[unused["name"]]
        else:
            standing.append(message)
    return settled, standing
