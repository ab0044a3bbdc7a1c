"""EntityRuler patterns for the spaCy entity layer (rasa_addons/glossary_entities.py), generated from the
project's vocabulary: subsidy catalogue certificates, course occupations, programmes, person types and
gazetteer places. Written as JSON lines by `python -m bot lexicon`; the Rasa server (another venv, which
cannot import `bot`) only reads the file.

Each line: {"label", "pattern", "id"} for spaCy's EntityRuler, where `id` is the entity value Rasa
reports, plus "alternatives" {label: value} when the same words name another kind too (叉车司机 is a
catalogue certificate and an occupation); the component picks by the message's intent. A place's
pattern carries "town_ending", the gazetteer's expression for the endings after which the name is a
town's (红河镇), where it names no place the component reports.
Values keep the spoken form whenever the service that reads the slot accepts it (the calculator and the
course finder accept their synonyms); only glossary synonyms they reject are mapped to the glossary term.
"""

from __future__ import annotations

import json
from pathlib import Path

from bot.gazetteer import TOWN_ENDING
from bot.settings import ROOT

ENTITY_PATTERNS = ROOT / "var" / "entities" / "patterns.jsonl"
# When the same words name several kinds, the first label here is the default one.
LABEL_PRIORITY = ("certificate", "program", "person_type", "occupation", "region")
# A two-character county or district short form that jieba counts more often than this, tagged as
# something other than a place, is an ordinary word (东方 3993, 光明 1219); 隆德 (16) and 宝安 (51) are not.
COMMON_WORD_FREQ = 500
# A district's name without 区 is kept when rarer than this (宝安 51, 花溪 7), or a place in jieba's
# eyes rarer than the second (天河 655, 南山 310; 古城 1664 and 太平 1113 are ordinary words).
RARE_WORD_FREQ = 100
COMMON_PLACE_FREQ = 1000


def _clean(text: str) -> str:
    return text.strip().strip('“”"')


def _glossary():
    from bot.settings import get_settings
    from retrieval.glossary import load_glossary

    return load_glossary(get_settings().knowledge_dir / "glossary.yml")


def _common_words() -> dict[str, tuple[int, str]]:
    """jieba's own dictionary: word → (frequency, part-of-speech tag)."""
    import jieba

    words = {}
    with open(Path(jieba.__file__).with_name("dict.txt"), encoding="utf-8") as source:
        for line in source:
            word, freq, tag = line.split()
            words[word] = (int(freq), tag)
    return words


def _place_names() -> list[str]:
    """Full place names (西吉县, 固原市), their short forms and districts without 区 (宝安). A two-character
    short form is kept when it names a province or city (甘肃, 银川, 周口), or when jieba's dictionary does
    not know it as a frequent word other than a place (隆德 and 西吉 are kept; 东方, 和平, 光明, 前进 are
    ordinary words). Two-character districts (城区, 郊区) are left out, and a district's two-character
    name without 区 must be rarer still, as most are ordinary words (小店, 平房, 马尾, 古城)."""
    from bot.gazetteer import all_place_names, district_forms, get_gazetteer

    common = _common_words()

    def keep(name: str) -> bool:
        if len(name) >= 3:
            return True
        if name.endswith("区"):  # 城区 郊区 矿区
            return False
        place = get_gazetteer().resolve(name)
        if place is not None and place.level in ("province", "city"):
            return True
        freq, tag = common.get(name, (0, ""))
        return tag == "ns" or freq < COMMON_WORD_FREQ

    def keep_district(name: str) -> bool:
        freq, tag = common.get(name, (0, ""))
        return len(name) >= 3 or freq < RARE_WORD_FREQ or (tag == "ns" and freq < COMMON_PLACE_FREQ)

    return [n for n in all_place_names() if keep(n)] + [n for n in district_forms() if keep_district(n)]


def vocabulary() -> dict[str, dict[str, str]]:
    """label → {surface form: entity value}."""
    from bot.courses.occupations import get_vocabulary, occupation_terms
    from bot.subsidy import field_values, known_certificates
    from bot.subsidy.engine import get_rulebook

    lookups = get_rulebook().vocabulary
    accepts = {
        "certificate": lambda t: bool(lookups.certificates.get(t)),
        "program": lambda t: bool(lookups.programs.get(t)),
        "person_type": lambda t: bool(lookups.person_types.get(t)),
        "occupation": lambda t: bool(get_vocabulary().resolve(t)),
        "region": lambda t: True,
    }
    forms: dict[str, dict[str, str]] = {label: {} for label in LABEL_PRIORITY}
    # A colloquial form that is a verb before a shorter term (学电焊, 开挖掘机) is no pattern: the shorter
    # term is, and a match must not stretch a trade over the verb in front of it.
    trades = set(occupation_terms())
    verb_forms = {t for t in trades if len(t) > 2 and t[1:] in trades}

    def add(label: str, text: str, value: str | None = None) -> None:
        text = _clean(text)
        if len(text) > 1:
            forms[label].setdefault(text, _clean(value or text))

    for name, aliases in known_certificates().items():
        for text in (name, *aliases):
            add("certificate", text)
    for term in sorted(trades - verb_forms):
        add("occupation", term)
    # 保安员证, 育婴员证, 挖掘机证: a trade or catalogue name with 证 is its certificate.
    for text in [*forms["certificate"], *forms["occupation"]]:
        if not text.endswith("证"):
            spoken = text + "证"
            add(
                "certificate",
                spoken,
                None if accepts["certificate"](spoken) else forms["certificate"].get(text, spoken),
            )
    values = field_values()
    for field in ("program", "person_type", "region"):
        for value, aliases in values[field].items():
            for text in (value, *aliases):
                add(field, text)
    for place in _place_names():
        add("region", place)
    # The answers meaning "no enterprise programme, my own certificate" (个人取证) are programme values the
    # form accepts; the short ones (无, 个人) are ordinary words.
    for text in lookups.no_program:
        if len(text) >= 4:
            add("program", text)
    for entry in _glossary().terms:
        if entry.kind not in forms:
            continue
        for text in entry.surface_forms:
            if entry.kind == "certificate" and lookups.certificate_kinds.get(_clean(text)):
                continue  # 职业资格证书, 等级证: a certificate kind, which no entity carries
            keep = accepts[entry.kind](_clean(text)) or not accepts[entry.kind](entry.term)
            add(entry.kind, text, None if keep else entry.term)
    return forms


def build_patterns() -> list[dict]:
    """One pattern per surface form, longest first, with the other kinds it may name."""
    forms = vocabulary()
    texts = {text for table in forms.values() for text in table}
    patterns = []
    for text in sorted(texts, key=lambda t: (-len(t), t)):
        labels = {label: forms[label][text] for label in LABEL_PRIORITY if text in forms[label]}
        label, value = next(iter(labels.items()))
        pattern = {"label": label, "pattern": text, "id": value}
        if len(labels) > 1:
            pattern["alternatives"] = labels
        if "region" in labels:
            pattern["town_ending"] = TOWN_ENDING.pattern
        patterns.append(pattern)
    return patterns


def write_entity_patterns(path: Path = ENTITY_PATTERNS, patterns: list[dict] | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = (json.dumps(p, ensure_ascii=False, sort_keys=True) for p in patterns or build_patterns())
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
