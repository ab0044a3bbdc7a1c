"""The nearest courses still open for enrolment, as the chat and the assist pane both say them.

A search is a place (or a shared point) and a trade; its decision lists up to three courses as cards,
or says why there are none (farther than the search radius, none of that trade nearby, none at all).
A course asked for beside another answer ("……能补多少，附近哪有电工培训") is listed after that answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.answers.cues import get_cues
from bot.answers.decision import Decision, Reply
from bot.answers.scope import asker_place
from bot.answers.trades import read_trades
from bot.courses.errors import CourseSearchError, UnknownOccupationError
from bot.courses.finder import MAX_LIMIT, NearestResult, find_nearest
from bot.courses.occupations import get_vocabulary

SHOWN = 3
ANY_TRADE = "不限"  # the trade slot's value for "any trade"
Finder = Callable[..., NearestResult]


@dataclass(frozen=True)
class CourseSearch:
    place: str | None = None  # a place the gazetteer knows
    location: Mapping[str, Any] | None = None  # a shared point {lat, lng, label}: wins over the place
    trade: str | None = None  # None: any trade
    shown: int = 0  # courses of this search already shown: the next ones are asked for
    beside: bool = False  # listed after another answer: no "more?" offer, the conversation's topic kept


def places_named(entities: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """The places a message names, in the order to read them: all as one (深圳 + 宝安 → 宝安区), then
    each alone (unrelated places: the first named)."""
    names = [str(e["value"]) for e in entities if e.get("entity") == "region"]
    return ("".join(names), *names) if names else ()


def trade_answer(text: str, entities: Sequence[Mapping[str, Any]]) -> str | None:
    """The trade an answer to "what trade?" names: ANY_TRADE for 都行 / 不限, else a course it wants that
    the vocabulary knows, else the whole text when it names no certificate held ("我有叉车证" wants
    none); None when it names no trade."""
    if get_cues().means_any_trade(text):
        return ANY_TRADE
    trades = read_trades(text, entities, course_search=True)
    candidates = trades.courses + (() if trades.certificates else (text,))
    vocabulary = get_vocabulary()
    return next((c for c in candidates if vocabulary.resolve(c)), None)


def courses_also_asked(
    text: str, entities: Sequence[Mapping[str, Any]], known_place: str | None
) -> CourseSearch | None:
    """The courses a message about something else also looks for ("附近哪有电工培训"), near the place it
    names or else the asker's known place; None when it looks for none or no place is known."""
    trade = read_trades(text, entities, course_search=False).course
    place = asker_place(*places_named(entities), known_place)
    if trade is None or place is None:
        return None
    return CourseSearch(place=place.name, trade=trade, beside=True)


def _cards(place: str, hits: Sequence[Any]) -> dict[str, Any]:
    return {"place": place, "courses": [hit.to_dict() for hit in hits]}


def _none_within_reach(result: NearestResult, place: str) -> tuple[str, list[Reply], dict[str, Any]]:
    if result.nearest_beyond_reach:
        farther = result.nearest_beyond_reach
        params = {"place": place, "radius_km": round(result.max_distance_km), **farther.to_dict()}
        return (
            "courses_farther",
            [Reply("utter_courses_none_nearby_but_farther", params)],
            _cards(place, [farther]),
        )
    if result.nearby_other_occupations:
        others = result.nearby_other_occupations[:SHOWN]
        return (
            "courses_other_trades",
            [Reply("utter_courses_none_for_trade", {"place": place})],
            _cards(place, others),
        )
    return "courses_none", [Reply("utter_courses_none", {"place": place})], {}


def decide_courses(search: CourseSearch, finder: Finder = find_nearest) -> Decision:
    """The next courses of the search (the first three, or the three after those shown), with a card each."""
    topic = {} if search.beside else {"topic": "course"}
    location = search.location
    origin = {"lat": location["lat"], "lng": location["lng"]} if location else {"place": search.place}
    try:
        result = finder(**origin, occupation=search.trade, limit=min(search.shown + SHOWN, MAX_LIMIT))
    except UnknownOccupationError:
        forget = {} if search.beside else {"occupation": None}
        return Decision("unknown_trade", [Reply("utter_invalid_occupation")], slots=topic | forget)
    except CourseSearchError:
        forget = {} if search.beside else {"region": None, "location": None}
        return Decision("unknown_place", [Reply("utter_invalid_region")], slots=topic | forget)
    place = result.origin.name if result.origin else str((location or {}).get("label") or "")
    shown = result.courses[search.shown :]
    slots = topic | ({} if search.beside else {"courses_shown": search.shown + len(shown)})
    if search.shown and not shown:
        return Decision("courses_no_more", [Reply("utter_courses_no_more", {"place": place})], slots=slots)
    if not shown:
        kind, replies, payload = _none_within_reach(result, place)
        return Decision(kind, replies, slots=slots, payload=payload)
    found = "utter_courses_found_more" if search.shown else "utter_courses_found"
    replies = [Reply(found, {"place": place, "count": len(shown)})]
    replies += [
        Reply("utter_course_subsidized" if hit.subsidized else "utter_course_unsubsidized", hit.to_dict())
        for hit in shown
    ]
    full_page = len(shown) == SHOWN and not search.beside
    replies.append(Reply("utter_courses_more" if full_page else "utter_courses_other"))
    return Decision("courses", replies, slots=slots, payload=_cards(place, shown))
