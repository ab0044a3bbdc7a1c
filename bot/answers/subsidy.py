"""Subsidy questions: whether they are about a training subsidy at all, and where the asker is, as the
calculator knows places."""

from __future__ import annotations

from bot.answers.benefits import other_benefit
from bot.answers.decision import Decision
from bot.answers.topics import get_topics
from bot.gazetteer import Place, enclosing_places
from bot.subsidy import get_rulebook
from bot.subsidy.normalize import normalize
from bot.textnorm import normalize_text
from retrieval.search import get_retriever


def calculator_region(place: Place) -> str:
    """The place's name, or that of the city or province it lies in when only that one is a region the
    calculator has documents for (宝安区 → 深圳市, which it reads as 广东省)."""
    for area in enclosing_places(place):
        if normalize({"region": area.name}, get_rulebook()).region_known:
            return area.name
    return place.name


def not_a_training_subsidy(text: str) -> Decision | None:
    """The answer for "失业金能领多少" or "入户补贴多少钱" (a benefit these documents do not cover,
    named as such); None when the question may be about a training subsidy."""
    return other_benefit(normalize_text(text), get_topics(), get_retriever())
