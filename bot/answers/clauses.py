"""Which benefits each clause of the knowledge base speaks of, read once per loaded base: the policy
answer searches only the clauses about the benefit asked, and a word the documents use only in clauses
about other benefits names one of those."""

from __future__ import annotations

import re
from functools import lru_cache

from bot.answers.topics import Topics
from retrieval.corpus import Passage
from retrieval.search import Retriever, ScoredPassage

TRAINING = "培训"
# 、 between items (培训费补贴、鉴定费补贴), not after a section number (一、申领条件).
ENUMERATION = re.compile("(?<![一二三四五六七八九十百0-9])、")


@lru_cache(maxsize=1)
def passage_benefits(base: Retriever, topics: Topics) -> dict[str, tuple[frozenset[str], bool]]:
    """Passage id → the benefits it names (a catalogue row names its catalogue's: the headings count;
    a listed item names its lead's: 一、（二） is one of the conditions 一、 says are for 技能提升补贴; a
    document named for a benefit speaks of it throughout: 天津市职业技能培训补贴实施办法's 第四条 says who may
    have 相应补贴; a heading enumerating its chapter's benefits does not: each article names its own),
    and whether it is about a non-training benefit only: its first sentence names one and
    not 培训, and the clause names no training benefit (第十条 享受社会保险补贴的人员范围……)."""
    passages = base.index.corpus.passages
    documents = base.index.corpus.documents
    all_sections = sections_of(base)
    clauses = {}
    for p in passages:
        lead = lead_of(p, all_sections)
        around = (documents[p.doc_id].title, *p.context, lead.text if lead else "")
        named = topics.named("\n".join((*(a for a in around if not _lists_benefits(a)), p.text)))
        first = first_sentence(p.text)
        named += [b for b in topics.benefits if b.described and b.described.search(first) and b not in named]
        neighbour_subject = any(b.neighbour for b in topics.named(first)) and TRAINING not in first
        neighbour_only = neighbour_subject and all(b.neighbour for b in named)
        clauses[p.passage_id] = (frozenset(b.name for b in named), neighbour_only)
    return clauses


@lru_cache(maxsize=1)
def document_benefits(base: Retriever, topics: Topics) -> dict[str, frozenset[str]]:
    """Document id → the benefits some clause of it speaks of."""
    named = passage_benefits(base, topics)
    spoken: dict[str, set[str]] = {doc_id: set() for doc_id in base.index.corpus.documents}
    for p in base.index.corpus.passages:
        spoken[p.doc_id] |= named[p.passage_id][0]
    return {doc_id: frozenset(names) for doc_id, names in spoken.items()}


def _lists_benefits(heading: str) -> bool:
    """A heading enumerating what its chapter covers (第二章 培训费补贴、鉴定费补贴和生活费补贴; 第三章 定向培训、
    项目制培训等补贴) names what its clauses speak of between them, not what each one does."""
    return bool(ENUMERATION.search(heading))


@lru_cache(maxsize=1)
def employer_clauses(base: Retriever, topics: Topics) -> frozenset[str]:
    """Passage ids of the clauses about a benefit paid to employers: their first sentence names one and
    no other specific benefit (第二十一条 企业开展新型学徒制培训……给予企业新型学徒制培训补贴). A trainee asking
    what an 育婴师 gets is not answered with what the employer of an apprentice gets."""
    return frozenset(
        p.passage_id for p in base.index.corpus.passages if topics.for_employers(first_sentence(p.text))
    )


def first_sentence(text: str) -> str:
    """A clause's first sentence, which says what it is about."""
    return text.split("。", 1)[0]


@lru_cache(maxsize=1)
def sections_of(base: Retriever) -> dict[tuple[str, str], Passage]:
    """(document, section) → passage, once per loaded base."""
    return {(p.doc_id, p.section): p for p in base.index.corpus.passages}


def lead_of(passage: Passage | ScoredPassage, sections: dict[tuple[str, str], Passage]) -> Passage | None:
    """The passage that leads the one's section (一、 for 一、（二）), if any."""
    prefixes = (passage.section[:end] for end in range(len(passage.section) - 1, 0, -1))
    return next((sections[(passage.doc_id, s)] for s in prefixes if (passage.doc_id, s) in sections), None)
