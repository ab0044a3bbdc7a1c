"""Which documents may answer whom and when: a document covers the askers inside its place, while in force.

A national document covers everyone in the mainland (not 香港, 澳门 or 台湾), 湖南省's covers 长沙, 彭阳县's
covers only 彭阳 (not 固原市 as a whole, nor 宁夏). The asker's place is the most specific one known: named
in the message, else said earlier in the conversation, else the entry context (poster QR code,
mini-program).

A document is in force from its in_force_from to its in_force_until (dates as the intake writes them:
2026-05-01, 2017-05 or 2017) unless another document replaces it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date

from bot.gazetteer import Place, enclosing_places, resolve_place
from bot.textnorm import normalize_text
from retrieval.corpus import Document
from retrieval.regions import short_name

# Where the asker comes from, not where they ask: a place named after 户口是, 老家 … or before 户口.
ORIGIN_BEFORE = re.compile(r"(户口|户籍|老家|籍贯|家乡|原籍)(是|在|为|属于)?$")
ORIGIN_AFTER = re.compile(r"^的?(户口|户籍|籍)")


def where_named(text: str, names: Sequence[str]) -> list[str]:
    """The places a message names as where the asker is: those named as where they come from (户口是广西的,
    老家贵州铜仁, 河南户口) are left out — the asker working in 东莞 asks of 广东's rules — unless no other
    place is named (户口在彭阳 is all there is to go on)."""
    where = [name for name in names if not _of_origin(text, name, names)]
    return where or list(names)


def _of_origin(text: str, name: str, names: Sequence[str]) -> bool:
    """The name is placed as the asker's origin; places named beside it in one chain (老家贵州铜仁) share
    its marker."""
    at = text.find(name) if name else -1
    if at < 0:
        return False
    before, after = text[:at], text[at + len(name) :]
    others = sorted({o for o in names if o} - {name}, key=len, reverse=True)
    while stripped := next((o for o in others if before.endswith(o) or after.startswith(o)), None):
        before = before.removesuffix(stripped)
        after = after.removeprefix(stripped)
    marker = ORIGIN_BEFORE.search(before)
    # 南宁户口在深圳上班: the 户口 is 南宁's, and 深圳 is where the asker is.
    owned = marker and before[: marker.start()].removesuffix("的").endswith(tuple(others))
    return bool((marker and not owned) or ORIGIN_AFTER.match(after))


def asker_place(*candidates: str | None) -> Place | None:
    """The first candidate (message entity, conversation slot, entry context …) that is a real place."""
    for candidate in candidates:
        if candidate and (place := resolve_place(normalize_text(candidate))):
            return place
    return None


def place_chain(place: Place) -> tuple[str, ...]:
    """Adcodes of the place and the city and province it lies in."""
    return tuple(p.adcode for p in enclosing_places(place))


# 台湾, 香港 and 澳门 (their adcodes' province part): the central ministries' rules do not run there.
OUTSIDE_NATIONAL_RULES = ("71", "81", "82")


def covers(document: Document, place: Place) -> bool:
    if document.national:
        return not place.adcode.startswith(OUTSIDE_NATIONAL_RULES)
    return document.region_chain[-1] in place_chain(place)


def covering(documents: Iterable[Document], place: Place | None) -> list[Document]:
    """The documents that may answer an asker at `place`; all of them when the place is unknown."""
    return [d for d in documents if place is None or covers(d, place)]


def place_label(document: Document) -> str:
    """How an answer names a document's place: 全国, 湖南省, 宁夏彭阳县."""
    if document.national:
        return document.region  # as the intake writes it: 全国
    names = document.region_chain_names
    return names[0] if len(names) == 1 else short_name(names[0]) + names[-1]


def covered_places(documents: Iterable[Document]) -> list[str]:
    """The places the base has local documents for, each once, in a stable order."""
    local = sorted((d for d in documents if not d.national), key=lambda d: d.region_adcode)
    return list(dict.fromkeys(place_label(d) for d in local))


def in_force(document: Document, today: date) -> bool:
    """False for a document past its end date, not yet in force, or replaced by another."""
    day = today.isoformat()
    started = not document.in_force_from or document.in_force_from[: len(day)] <= day
    ended = bool(document.in_force_until) and document.in_force_until < day[: len(document.in_force_until)]
    return started and not ended and not document.replaced_by
