"""One form for what people type, before NLU and retrieval see it.

Traditional characters (some phones, mirror sites) become simplified with OpenCC's maintained
dictionaries, full-width letters, digits and spaces become their ordinary forms (Unicode NFKC, which
leaves Chinese punctuation such as ，。？ alone), spaces between two Chinese characters go: they are
typing noise, never word breaks. A character's pinyin in brackets after it (培訓(xùn), as pages that
annotate rare readings are copied) goes too: it splits the words it sits in.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import opencc

_SPACES = re.compile(r"\s+")
_CJK = r"[\u3400-\u9fff\uf900-\ufaff]"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<={_CJK})\s+(?={_CJK})")
# Pinyin with at least one tone mark, in brackets right after a Chinese character: 训(xùn). Letters
# without tone marks (电工(PLC)) are left, as they may be words.
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_PINYIN = re.compile(rf"(?<={_CJK})[(（]\s*[a-zü{_TONED}]*[{_TONED}][a-zü{_TONED}\s]*[)）]", re.IGNORECASE)
# NFKC would turn these Chinese full-width punctuation marks into ASCII ones; they stay as typed.
_KEEP = {ord(c): c for c in "，。？！：；（）“”‘’、"}


@lru_cache(maxsize=1)
def _converter() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _nfkc(text: str) -> str:
    return "".join(c if ord(c) in _KEEP else unicodedata.normalize("NFKC", c) for c in text)


def normalize_text(text: str) -> str:
    """Simplified characters, ordinary widths, no pinyin annotations, single spaces and none inside
    Chinese text; trimmed."""
    text = _converter().convert(_nfkc(text))
    text = _SPACE_BETWEEN_CJK.sub("", _PINYIN.sub("", text))
    return _SPACES.sub(" ", text).strip()
