"""Words the answer layer reads messages with, gathered once: the names of occupations and
certificates, and the text of the knowledge base."""

from __future__ import annotations

from functools import lru_cache

from bot.courses.occupations import occupation_terms
from bot.subsidy.engine import known_certificates
from retrieval.search import Retriever

# How the names of occupations and of their papers end (保育员, 美发师, 电焊工, 叉车证 …).
OCCUPATION_ENDINGS = tuple("师员工手匠证")
# Endings of occupations that are certified (保育员, 美发师, 电焊工 …), unlike 骑手 or 工匠.
CERTIFIED_ENDINGS = tuple("师员工")


@lru_cache(maxsize=1)
def trade_names(retriever: Retriever) -> frozenset[str]:
    """Names of one occupation or certificate: course trades, the calculator's catalogue rows and their
    aliases, the glossary's certificates and occupations."""
    glossary = {
        form
        for term in retriever.glossary.terms
        if term.kind in ("certificate", "occupation")
        for form in term.surface_forms
    }
    certificates = {name for row, aliases in known_certificates().items() for name in (row, *aliases)}
    return frozenset(n for n in {*occupation_terms(), *glossary, *certificates} if len(n) > 1)


@lru_cache(maxsize=1)
def document_texts(retriever: Retriever) -> dict[str, str]:
    """Each document's whole text (its passages joined), by document id."""
    parts: dict[str, list[str]] = {}
    for passage in retriever.index.corpus.passages:
        parts.setdefault(passage.doc_id, []).append(passage.text)
    return {doc_id: "\n".join(texts) for doc_id, texts in parts.items()}
