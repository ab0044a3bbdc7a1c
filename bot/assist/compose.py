"""One suggestion for one caller utterance: intent, passages, calculator, courses, reply, profile.

`compose` is synchronous and CPU-bound (retrieval embeds the text); the gateway runs it in a threadpool.
The services are injected through `Services` so tests can hand in tiny fixtures.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.answers.decision import Decision
from bot.answers.policy import Question, decide_policy
from bot.answers.profile import hukou_words
from bot.answers.scope import asker_place, covering
from bot.assist.highlight import query_words, segments
from bot.assist.profile import accumulate, updates_from
from bot.assist.reply import COURSE_INTENTS, suggested_reply
from bot.assist.responses import load_responses
from bot.courses.errors import CourseSearchError, UnknownOccupationError
from bot.courses.finder import NearestResult, find_nearest
from bot.gazetteer import Place, resolve_place
from bot.subsidy import Estimate, estimate, get_rulebook
from bot.textnorm import normalize_text
from retrieval.search import ScoredPassage, SearchResult, get_retriever

TOP_PASSAGES = 3
COURSES_SHOWN = 3
ENTITY_KEYS = ("entity", "value", "start", "end", "confidence_entity", "extractor")


def search_policies(query: str, region: str | None) -> SearchResult:
    """The passages the agent sees: from the documents that may answer a caller at `region` only."""
    retriever = get_retriever()
    allowed = [d.doc_id for d in covering(retriever.documents.values(), asker_place(region))]
    return retriever.search(query, top_k=TOP_PASSAGES, region=region, documents=allowed)


def retrieval_tokens(query: str) -> list[str]:
    """The words retrieval matched the query on: its search-mode tokens and the glossary's expansions."""
    retriever = get_retriever()
    tokens = retriever.tokenizer.bm25_tokens(query)
    return tokens + list(retriever.glossary.expansions(query))


def field_labels() -> Mapping[str, str]:
    return get_rulebook().templates.field_labels


@dataclass(frozen=True)
class Services:
    search: Callable[[str, str | None], SearchResult] = search_policies
    decide: Callable[[Question], Decision] = decide_policy
    tokens: Callable[[str], list[str]] = retrieval_tokens
    calculator: Callable[[Mapping[str, Any]], Estimate] = estimate
    finder: Callable[..., NearestResult] = find_nearest
    resolve: Callable[[str], Place | None] = resolve_place
    responses: Callable[[], Mapping[str, str]] = load_responses
    hukou: Callable[[], list[tuple[str, bool]]] = hukou_words
    labels: Callable[[], Mapping[str, str]] = field_labels


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


def _nearest(
    services: Services,
    intent: str | None,
    mentioned: bool,
    region: str | None,
    entities: list[dict[str, Any]],
) -> NearestResult | None:
    """Courses near the place the caller named now, or their known place when they ask for courses."""
    if not region or not (mentioned or intent in COURSE_INTENTS):
        return None
    # A certificate names a trade too (叉车证 → 叉车); an unknown one falls back to any trade.
    named = {e.get("entity"): e["value"] for e in reversed(entities)}
    occupation = named.get("occupation") or named.get("certificate")
    try:
        return services.finder(place=region, occupation=occupation, limit=COURSES_SHOWN)
    except UnknownOccupationError:
        return services.finder(place=region, limit=COURSES_SHOWN)
    except CourseSearchError:
        return None


def _courses(nearest: NearestResult | None) -> dict[str, Any] | None:
    if nearest is None:
        return None
    hits = (
        nearest.courses
        or nearest.nearby_other_occupations
        or ([nearest.nearest_beyond_reach] if nearest.nearest_beyond_reach else [])
    )
    return {
        "place": nearest.origin.name if nearest.origin else None,
        "occupation": nearest.occupation,
        "exact": bool(nearest.courses),
        "items": [hit.to_dict() for hit in hits],
    }


def compose(
    text: str, parsed: Mapping[str, Any], profile: Mapping[str, Any], services: Services | None = None
) -> dict[str, Any]:
    """The suggestion for `text` given Rasa's parse of it and the caller profile so far.

    Raises ProfileError when the given profile holds a value the calculator refuses."""
    services = services or Services()
    text = normalize_text(text)
    intent = dict(parsed.get("intent") or {})
    entities = [{k: e[k] for k in ENTITY_KEYS if k in e} for e in parsed.get("entities") or []]
    updates = updates_from(text, entities, services.resolve, services.hukou())
    caller = accumulate(profile, updates, services.calculator)
    responses = services.responses()

    result = services.search(text, caller.get("region"))
    policy = services.decide(Question(text, asker_place(caller.get("region"))))
    words = query_words(services.tokens(text))
    calculation = services.calculator(caller)
    accepted = sorted(name for name, value in updates.items() if caller.get(name) == value)
    nearest = _nearest(services, intent.get("name"), "region" in updates, caller.get("region"), entities)
    return {
        "text": text,
        "intent": {"name": intent.get("name"), "confidence": intent.get("confidence")},
        "entities": entities,
        "answerable": policy.kind == "answer",
        "answer_kind": policy.kind,
        "words": words,
        "passages": [_passage(p, words) for p in result.passages],
        "calculator": _calculator(calculation, responses),
        "courses": _courses(nearest),
        "reply": suggested_reply(intent.get("name"), policy, calculation, nearest, responses, bool(accepted)),
        "profile": caller,
        "profile_labels": dict(services.labels()),
        "profile_updates": accepted,
    }
