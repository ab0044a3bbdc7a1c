"""Place names and addresses → administrative area (adcode, name, coordinates).

The table is the province/city/county adcode list shipped inside the `cpca` package. It is read
straight from the installed distribution: importing `cpca` itself would build its matcher and load
pandas at import time, and it relies on `pkg_resources`, which current setuptools no longer ships.
Coordinates are the administrative centres as published there (GCJ-02, a few hundred metres from
WGS-84, which is below the precision a nearest-course answer needs).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import distribution
from pathlib import Path
from typing import Literal

PlaceLevel = Literal["province", "city", "county"]

# Rows that name a grouping rather than a place.
_GROUPING_NAMES = frozenset({"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"})

# Suffixes dropped to form the short name people use (宁夏回族自治区 → 宁夏, 彭阳县 → 彭阳).
# Districts (区) and banners (旗) keep their suffix in these: without it too many of them collide with
# ordinary words and street names (解放区, 中山路), the same choice cpca makes.
_SHORT_FORM_SUFFIXES: dict[PlaceLevel, tuple[str, ...]] = {
    "province": ("特别行政区", "自治区", "省", "市"),
    "city": ("自治州", "地区", "盟", "市"),
    "county": ("自治县", "县", "市"),
}
# People still drop a district's 区 (深圳宝安, 贵阳花溪): such a form is a name of the second rank
# (see Gazetteer.resolve).
_DISTRICT_SUFFIXES = ("区",)
# The weight of a second-rank name's vote, against 1 for a full name or a short form above.
_DISTRICT_FORM_WEIGHT = 0.5
_LEVEL_RANK: dict[PlaceLevel, int] = {"province": 0, "city": 1, "county": 2}
_ADCODE_PATTERN = re.compile(r"^(\d{6})(000000)?$")
# Below a county lie towns, townships and subdistricts, which the table does not hold; a name right before
# one of their endings is the town's own (彭阳县红河镇 is in 彭阳, not in 红河州) — not 镇上, 乡下 or 乡镇.
TOWN_ENDING = re.compile(r"镇(?![上里子])|乡(?![下村亲里镇])|街道|苏木")


@dataclass(frozen=True)
class Place:
    adcode: str  # six digits: province, city and county parts
    name: str
    level: PlaceLevel
    lat: float
    lng: float
    full_name: str  # e.g. 宁夏回族自治区固原市彭阳县

    def is_within(self, other: Place) -> bool:
        """True when this place is `other` or lies inside it."""
        prefix_length = (_LEVEL_RANK[other.level] + 1) * 2
        return self.adcode[:prefix_length] == other.adcode[:prefix_length]


def _level_of(adcode: str) -> PlaceLevel:
    if adcode.endswith("0000"):
        return "province"
    if adcode.endswith("00"):
        return "city"
    return "county"


def _ancestor_codes(code: str) -> list[str]:
    """The adcodes of the province and city a six-digit adcode lies in, outermost first."""
    return [a for a in dict.fromkeys([code[:2] + "0000", code[:4] + "00"]) if a != code]


def _short_form(name: str, suffixes: tuple[str, ...], nationalities: tuple[str, ...]) -> str | None:
    for suffix in suffixes:
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            break
    else:
        return None
    # 广西壮族 → 广西, 湘西土家族苗族 → 湘西, 新疆维吾尔 → 新疆
    stripped = True
    while stripped:
        stripped = False
        for nationality in nationalities:
            if stem.endswith(nationality) and len(stem) - len(nationality) >= 2:
                stem = stem[: -len(nationality)]
                stripped = True
    return stem if len(stem) >= 2 else None


class Gazetteer:
    def __init__(self, rows: list[tuple[str, str, float, float]], nationalities: tuple[str, ...]):
        names = {code: name for code, name, _, _ in rows}
        self._by_adcode: dict[str, Place] = {}
        for code, name, lat, lng in rows:
            chain = [names[a] for a in _ancestor_codes(code) if a in names]
            self._by_adcode[code] = Place(code, name, _level_of(code), lat, lng, "".join([*chain, name]))

        full_names: dict[str, list[Place]] = defaultdict(list)
        for place in self._by_adcode.values():
            full_names[place.name].append(place)
        short_forms: dict[str, list[Place]] = defaultdict(list)
        for place in self._by_adcode.values():
            short = _short_form(place.name, _SHORT_FORM_SUFFIXES[place.level], nationalities)
            if short and short not in full_names:
                short_forms[short].append(place)

        self._by_name: dict[str, tuple[Place, ...]] = {k: tuple(v) for k, v in full_names.items()}
        for short, places in short_forms.items():
            # 长沙 means the city, not 长沙县: a short form goes to its highest-level owners.
            top_rank = min(_LEVEL_RANK[p.level] for p in places)
            self._by_name[short] = tuple(p for p in places if _LEVEL_RANK[p.level] == top_rank)
        district_forms: dict[str, list[Place]] = defaultdict(list)
        for place in self._by_adcode.values():
            short = _short_form(place.name, _DISTRICT_SUFFIXES, nationalities)
            if place.level == "county" and short and short not in self._by_name:
                district_forms[short].append(place)
        self._by_district_form: dict[str, tuple[Place, ...]] = {
            k: tuple(v) for k, v in district_forms.items()
        }
        self._longest_name = max(len(name) for name in [*self._by_name, *self._by_district_form])

    def place_by_adcode(self, code: str | int) -> Place | None:
        match = _ADCODE_PATTERN.match(str(code).strip())
        return self._by_adcode.get(match.group(1)) if match else None

    def names(self) -> list[str]:
        return sorted(self._by_name)

    def enclosing(self, place: Place) -> list[Place]:
        """The place, then the city and the province it lies in."""
        codes = [place.adcode, *reversed(_ancestor_codes(place.adcode))]
        return [self._by_adcode[c] for c in codes if c in self._by_adcode]

    def district_forms(self) -> list[str]:
        return sorted(self._by_district_form)

    def resolve(self, text: str) -> Place | None:
        """The single most specific place the text names, or None when unknown or ambiguous.

        Every known name found in the text votes for its places; a candidate collects the votes of
        the names that are it or contain it, and a name shared by n places votes 1/n. So
        "南京市鼓楼区" picks Nanjing's 鼓楼区, and a street like 中山路 in "广州市越秀区中山路"
        does not outvote the district. A district without its 区 votes half as much: "宝安" and
        "深圳宝安" are 宝安区, but 天河路 in "广州市越秀区天河路" leaves the address in 越秀区.
        """
        text = re.sub(r"\s+", "", text)
        if not text:
            return None
        by_code = self.place_by_adcode(text)
        if by_code or text.isdigit():
            return by_code
        mentions = self._mentions(text)
        candidates = {place for places, _ in mentions for place in places}
        scores = {
            candidate: sum(
                weight / len(places)
                for places, weight in mentions
                if any(candidate.is_within(p) for p in places)
            )
            for candidate in candidates
        }
        if not scores:
            return None
        best = max(scores.values())
        winners = [place for place, score in scores.items() if abs(score - best) < 1e-9]
        return winners[0] if len(winners) == 1 else None

    def _mentions(self, text: str) -> list[tuple[tuple[Place, ...], float]]:
        """Known names in the text with the weight of their vote, longest match first, left to right;
        a district form only where no name of the first rank starts; none that a town's ending follows."""
        found = []
        start = 0
        while start < len(text):
            lengths = range(min(self._longest_name, len(text) - start), 1, -1)
            for table, weight in ((self._by_name, 1.0), (self._by_district_form, _DISTRICT_FORM_WEIGHT)):
                match = next((n for n in lengths if text[start : start + n] in table), None)
                if match:
                    if not TOWN_ENDING.match(text, start + match):
                        found.append((table[text[start : start + match]], weight))
                    start += match
                    break
            else:
                start += 1
        return found


def _read_cpca_table() -> tuple[list[tuple[str, str, float, float]], tuple[str, ...]]:
    resources = Path(str(distribution("cpca").locate_file("cpca/resources")))
    rows = []
    with open(resources / "adcodes.csv", encoding="utf-8") as table:
        for record in csv.DictReader(table):
            code, name = record["adcode"][:6], record["name"]
            if name in _GROUPING_NAMES or not record["latitude"] or not record["longitude"]:
                continue
            rows.append((code, name, float(record["latitude"]), float(record["longitude"])))
    with open(resources / "56_nations.csv", encoding="utf-8") as lines:
        nationalities = [line.strip() for line in lines if line.strip()]
    # 维吾尔自治区 and 塔吉克自治县 carry the name without 族; longest first so 土家族 goes whole.
    variants = {n for nationality in nationalities for n in (nationality, nationality.removesuffix("族"))}
    return rows, tuple(sorted((v for v in variants if len(v) >= 2), key=len, reverse=True))


@lru_cache
def get_gazetteer() -> Gazetteer:
    rows, nationalities = _read_cpca_table()
    return Gazetteer(rows, nationalities)


def resolve_place(text: str) -> Place | None:
    """A place name, short form, address or adcode → the most specific place it names."""
    return get_gazetteer().resolve(text)


def place_by_adcode(code: str | int) -> Place | None:
    """Six-digit adcode (or the twelve-digit form ending in 000000) → place."""
    return get_gazetteer().place_by_adcode(code)


def enclosing_places(place: Place) -> list[Place]:
    """The place, then the city and the province it lies in (宝安区, 深圳市, 广东省)."""
    return get_gazetteer().enclosing(place)


def all_place_names() -> list[str]:
    """Every full name and unambiguous short form, for the jieba dictionary and entity layer."""
    return get_gazetteer().names()


def district_forms() -> list[str]:
    """Districts' names without their 区 (宝安, 花溪), for the entity layer."""
    return get_gazetteer().district_forms()


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """Every name a message may call a place by: full names, short forms and districts without 区."""
    return frozenset(all_place_names()) | frozenset(district_forms())
