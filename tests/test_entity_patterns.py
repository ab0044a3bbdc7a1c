"""The EntityRuler patterns generated for the spaCy entity layer (rasa_addons/glossary_entities.py)."""

import json

from bot.entity_patterns import build_patterns, write_entity_patterns
from bot.lexicon import write_jieba_dictionary


def by_pattern(patterns):
    return {p["pattern"]: p for p in patterns}


def test_catalogue_occupation_and_place_names_are_patterns(tmp_path):
    path = write_entity_patterns(tmp_path / "patterns.jsonl")
    patterns = by_pattern(json.loads(line) for line in path.read_text(encoding="utf-8").splitlines())
    assert patterns["焊接与热切割作业"]["label"] == "certificate"  # subsidy catalogue
    assert patterns["叉车司机"]["label"] == "certificate"
    assert patterns["叉车司机"]["alternatives"] == {"certificate": "叉车司机", "occupation": "叉车司机"}
    assert patterns["挖掘机驾驶员"]["label"] == "occupation"  # course vocabulary
    assert patterns["彭阳县"]["label"] == "region"
    assert patterns["西吉县"]["label"] == "region"  # gazetteer
    assert patterns["新型学徒制"]["label"] == "program"
    assert patterns["个人取证"]["label"] == "program"  # the form's "no enterprise programme" answer
    assert patterns["农民工"]["label"] == "person_type"


def test_values_keep_the_spoken_form_unless_the_service_rejects_it():
    patterns = by_pattern(build_patterns())
    assert patterns["学徒制"]["id"] == "学徒制"  # the calculator accepts it
    assert patterns["以工带训"]["id"] == "以工代训"  # a typo the calculator rejects


def test_certificate_kinds_are_not_certificates():
    patterns = by_pattern(build_patterns())
    assert "职业资格证书" not in patterns and "职业资格证" not in patterns and "等级证" not in patterns


def test_short_place_forms_that_are_ordinary_words_are_left_out():
    patterns = by_pattern(build_patterns())
    assert "东方" not in patterns and "东方市" in patterns
    assert "和平" not in patterns and "光明" not in patterns
    assert "西吉" in patterns and "隆德" in patterns  # no ordinary words
    assert "甘肃" in patterns and "银川" in patterns and "周口" in patterns  # provinces and cities


def test_districts_without_qu_are_places_unless_ordinary_words():
    patterns = by_pattern(build_patterns())
    assert {"宝安", "花溪", "天河", "七星关"} <= set(patterns)
    assert patterns["宝安"]["label"] == "region"
    assert not {"小店", "平房", "古城", "解放"} & set(patterns)


def test_one_pattern_per_surface_form_longest_first():
    patterns = build_patterns()
    texts = [p["pattern"] for p in patterns]
    assert len(texts) == len(set(texts))
    assert [len(t) for t in texts] == sorted((len(t) for t in texts), reverse=True)


def test_a_verb_before_a_trade_is_left_out_of_the_pattern():
    patterns = by_pattern(build_patterns())
    assert "学电焊" not in patterns and "开挖掘机" not in patterns
    assert patterns["电焊"]["label"] == "occupation" and patterns["挖掘机"]["label"] == "occupation"
    assert patterns["中餐厨师"]["label"] == "occupation"  # not a verb: the trade's own name


def test_a_name_with_zheng_is_a_certificate():
    patterns = by_pattern(build_patterns())
    assert patterns["育婴员证"]["label"] == "certificate"  # a trade's certificate
    assert patterns["保安员证"]["label"] == "certificate"
    assert patterns["挖掘机证"]["id"] == "挖掘机证"
    assert patterns["电梯作业证"]["label"] == "certificate"  # a catalogue 作业 with 证


def test_the_jieba_dictionary_holds_the_glossary_and_the_entity_names(tmp_path):
    path = write_jieba_dictionary(build_patterns(), tmp_path / "jieba" / "userdict.txt")
    entries = {line.split(" ")[0]: line.split(" ") for line in path.read_text(encoding="utf-8").splitlines()}
    assert {"以工代训", "新型学徒制", "证书直补", "彭阳县", "叉车司机"} <= set(entries)  # glossary
    word, freq, tag = entries["彭阳县"]
    assert int(freq) > 0 and tag == "ns"
    assert {"健康管理师", "低压电工证", "育婴员证"} <= set(entries)  # entity names, one token each
    assert "西吉县" not in entries  # places are left to jieba
    assert {"3级", "四级", "高级技师"} <= set(entries)  # skill levels stay one token
