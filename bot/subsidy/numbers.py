"""Counts as people say them: "30天", "三个月", "两次", "领过一次", "二十五天"."""

from __future__ import annotations

import re

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_NUMBER = re.compile(r"-?\d+|[零〇一二两三四五六七八九十百]+")


def chinese_to_int(text: str) -> int:
    """Chinese numerals below 1000 (十 = 10, 二十五 = 25, 一百零五 = 105)."""
    total, digit = 0, 0
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char == "十":
            total += (digit or 1) * 10
            digit = 0
        elif char == "百":
            total += (digit or 1) * 100
            digit = 0
    return total + digit


def parse_count(text: str, zero_words: list[str]) -> int | None:
    """The first number in the text, or 0 when it says "none" (没有, 没领过 …); None when neither."""
    if match := _NUMBER.search(text):
        token = match.group()
        return int(token) if token.lstrip("-").isdigit() else chinese_to_int(token)
    if any(word in text for word in zero_words):
        return 0
    return None
