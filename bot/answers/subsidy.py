"""Subsidy questions: where the asker is, as the calculator knows places."""

from __future__ import annotations

from bot.gazetteer import Place, enclosing_places
from bot.subsidy import get_rulebook
from bot.subsidy.normalize import normalize


def calculator_region(place: Place) -> str:
    """The place's name, or that of the city or province it lies in when only that one is a region the
    calculator has documents for (宝安区 → 深圳市, which it reads as 广东省)."""
    for area in enclosing_places(place):
        if normalize({"region": area.name}, get_rulebook()).region_known:
            return area.name
    return place.name
