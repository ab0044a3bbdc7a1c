"""A document the question names by its number (津劳局331号, 人社部发〔2017〕40号): answered only from that
document, so one the knowledge base does not hold is said to be missing instead of being answered from
another."""

from __future__ import annotations

import re
from collections.abc import Iterable

from retrieval.corpus import Document

# An issuer's abbreviation, then the year in brackets (财社〔2023〕181号) or, when the abbreviation ends as
# issuers' do, none (津劳局331号); then the number.
_YEAR = r"[〔\[［(（]\s*(?P<year>\d{4})\s*[〕\]］)）]"
DOCUMENT_NUMBER = re.compile(
    rf"[\u4e00-\u9fff]{{1,5}}(?:{_YEAR}|(?<=[发局办函字令]))\s*(?P<number>\d{{1,4}})\s*号(?:文件|文)?"
)


def _numbers(text: str) -> list[tuple[str | None, str]]:
    """(year or None, number) for each document number in the text."""
    return [(m.group("year"), m.group("number")) for m in DOCUMENT_NUMBER.finditer(text)]


def _matches(year: str | None, number: str, held: tuple[str | None, str]) -> bool:
    return number == held[1] and (year is None or year == held[0])


def unheld_document(text: str, documents: Iterable[Document]) -> str | None:
    """The document number the text names that no document of the base has (the same number, and the
    same year when the text gives one), as 〔2025〕9号 or 331号; None when it names none or only held ones.
    The issuer is not echoed: where it starts in the text is not known (审批办法津劳局331号)."""
    held = [found for d in documents for found in _numbers(d.doc_number)]
    for year, number in _numbers(text):
        if not any(_matches(year, number, h) for h in held):
            return f"〔{year}〕{number}号" if year else f"{number}号"
    return None


def named_documents(text: str, documents: Iterable[Document]) -> tuple[str, list[str]]:
    """The text without the document numbers it names, and the ids of the documents they name: the
    question is about what those say (人社部发〔2017〕40号的补贴标准), not about their numbers' words."""
    named = _numbers(text)
    ids = [d.doc_id for d in documents for h in _numbers(d.doc_number) if any(_matches(*n, h) for n in named)]
    return DOCUMENT_NUMBER.sub(" ", text), ids
