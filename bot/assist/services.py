"""What the assist pane composes a suggestion from: by default the chat's own retriever, answer layer,
calculator, course finder, gazetteer and domain.yml responses; tests hand in tiny fixtures."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from bot.answers.benefits import not_a_training_subsidy
from bot.answers.decision import Decision
from bot.answers.policy import Question, decide_policy
from bot.answers.profile import hukou_words
from bot.answers.scope import asker_place, covering
from bot.assist.responses import load_responses
from bot.courses.finder import NearestResult, find_nearest
from bot.gazetteer import Place, resolve_place
from bot.subsidy import Estimate, estimate, get_rulebook
from retrieval.search import SearchResult, get_retriever

TOP_PASSAGES = 3


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
    other_benefit: Callable[[str], Decision | None] = not_a_training_subsidy
    tokens: Callable[[str], list[str]] = retrieval_tokens
    calculator: Callable[[Mapping[str, Any]], Estimate] = estimate
    finder: Callable[..., NearestResult] = find_nearest
    resolve: Callable[[str], Place | None] = resolve_place
    responses: Callable[[], Mapping[str, str]] = load_responses
    hukou: Callable[[], list[tuple[str, bool]]] = hukou_words
    labels: Callable[[], Mapping[str, str]] = field_labels
