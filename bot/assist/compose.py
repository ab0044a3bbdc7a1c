"""One suggestion for one caller utterance: intent, passages, calculator, courses, reply, profile.

`compose` is synchronous and CPU-bound (retrieval embeds the text); the gateway runs it in a threadpool.
The services are injected through `Services` so tests can hand in tiny fixtures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bot.answers.followup import followed_up
from bot.answers.policy import Question
from bot.answers.scope import asker_place
from bot.answers.topics import get_topics
from bot.assist.highlight import query_words, segments
from bot.assist.profile import accumulate, updates_from
from bot.assist.reply import COURSE_INTENTS, suggested
from bot.assist.services import Services
from bot.subsidy import Estimate
from bot.textnorm import normalize_text
from retrieval.search import ScoredPassage

ENTITY_KEYS = ("entity", "value", "start", "end", "confidence_entity", "extractor")


def _passage(passage: ScoredPassage, words: list[str]) -> dict[str, Any]:
    return passage.citation() | {
        "doc_number": passage.doc_number or passage.issuer,
        "summary": passage.summary,
        "segments": segments(passage.text, words),
        "summary_segments": segments(passage.summary, words) if passage.summary else None,
        "terms": passage.terms,
    }


def _calculator(result: Estimate, responses: Mapping[str, str]) -> dict[str, Any]:
    questions = [{"field": name, "question": responses.get(f"utter_ask_{name}")} for name in result.missing]
    return result.to_dict() | {"questions": questions}


def compose(
    text: str,
    parsed: Mapping[str, Any],
    profile: Mapping[str, Any],
    services: Services | None = None,
    after: str | None = None,
    earlier: Sequence[str] = (),
) -> dict[str, Any]:
    """The suggestion for `text` given Rasa's parse of it, the caller profile so far, the kind of the
    suggestion the caller is answering (`after`) and the caller's earlier questions, oldest first, which
    a follow-up asking only an aspect continues (`earlier`).

    Raises ProfileError when the given profile holds a value the calculator refuses."""
    services = services or Services()
    text = normalize_text(text)
    intent = dict(parsed.get("intent") or {})
    entities = [{k: e[k] for k in ENTITY_KEYS if k in e} for e in parsed.get("entities") or []]
    course_search = intent.get("name") in COURSE_INTENTS
    updates = updates_from(text, entities, services.resolve, services.hukou(), course_search)
    caller = accumulate(profile, updates, services.calculator)
    responses = services.responses()

    # The passages shown beside the reply are searched for the question as the answer layer reads it:
    # 老师您好，……？谢谢 ranks and highlights them as the bare question does.
    asked = get_topics().bare(text)
    result = services.search(asked, caller.get("region"))
    question = Question(followed_up(text, earlier), asker_place(caller.get("region")))
    policy = services.decide(question)
    words = query_words(services.tokens(asked))
    accepted = sorted(name for name, value in updates.items() if caller.get(name) == value)
    reply = suggested(
        intent.get("name"), text, entities, caller, bool(accepted), policy, services, after, question
    )
    return {
        "text": text,
        "intent": {"name": intent.get("name"), "confidence": intent.get("confidence")},
        "entities": entities,
        "answerable": policy.kind == "answer",
        "answer_kind": policy.kind,
        "words": words,
        "passages": [_passage(p, words) for p in result.passages],
        "calculator": _calculator(services.calculator(caller), responses),
        "courses": reply.courses(),
        "reply": {"kind": reply.kind, "text": reply.text(responses), "citations": reply.citations()},
        "profile": caller,
        "profile_labels": dict(services.labels()),
        "profile_updates": accepted,
    }
