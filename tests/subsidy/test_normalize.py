"""Synonyms in, canonical values out; anything else is a ProfileError naming the field."""

from typing import Any

import pytest

from bot.subsidy import ProfileError, RuleBook, SubsidyProfile, estimate
from bot.subsidy.normalize import normalize


@pytest.mark.parametrize(
    ("field", "spoken", "canonical"),
    [
        ("region", "彭阳", "彭阳县"),
        ("region", "固原彭阳", "彭阳县"),
        ("region", "宁夏固原市彭阳县白阳镇", "彭阳县"),
        ("region", "湖南省长沙市", "湖南省"),
        ("region", "广东深圳", "广东省"),
        ("region", "贵阳", "贵州省"),
        ("hukou_local", "本地户口", True),
        ("hukou_local", "彭阳户口", True),
        ("hukou_local", "是", True),
        ("hukou_local", "外地", False),
        ("hukou_local", False, False),
        ("person_type", "农民工", "农村转移就业劳动者"),
        ("person_type", "返乡农民工", "农村转移就业劳动者"),
        ("person_type", "大学生", "毕业年度高校毕业生"),
        ("person_type", "应届生", "毕业年度高校毕业生"),
        ("person_type", "高中毕业", "未继续升学的应届初高中毕业生"),
        ("person_type", "失业", "城镇登记失业人员"),
        ("person_type", "退伍", "退役军人"),
        ("person_type", "当过兵", "退役军人"),
        ("person_type", "员工", "企业职工"),
        ("certificate", "叉车证", "叉车司机"),
        ("certificate", "叉车司机证", "叉车司机"),
        ("certificate", " 叉车 ", "叉车司机"),
        ("certificate", "低压电工证", "低压电工作业"),
        ("certificate", "塔吊司机", "塔式起重机械司机"),
        ("certificate", "保安证", "保安员"),
        ("certificate", "货运资格证", "经营性货运驾驶员"),
        ("certificate", "美容师", "美容师"),
        ("certificate_kind", "资格证", "职业资格证书"),
        ("certificate_kind", "技能等级证", "职业技能等级证书"),
        ("certificate_kind", "结业证", "培训合格证书"),
        ("skill_level", "高级", "高级工"),
        ("skill_level", "三级", "高级工"),
        ("skill_level", "五级", "初级工"),
        ("skill_level", "４级", "中级工"),
        ("skill_level", "二级", "技师"),
        ("skill_level", "一级", "高级技师"),
        ("program", "学徒", "企业新型学徒制"),
        ("program", "以工代训", "以工代训"),
        ("program", "没有", None),
        ("times_claimed", "1次", 1),
        ("training_days", "30天", 30),
        ("training_days", "３０", 30),
        ("employed_months", "3个月", 3),
        ("employed_months", 0, 0),
        ("person_type", "  ", None),
    ],
)
def test_synonyms(book: RuleBook, field: str, spoken: Any, canonical: Any) -> None:
    assert getattr(normalize({field: spoken}, book), field) == canonical


def test_catalogue_and_unknown_certificates_are_told_apart(book: RuleBook) -> None:
    known = normalize({"certificate": "叉车证"}, book)
    unknown = normalize({"certificate": "美容师"}, book)
    ambiguous = normalize({"certificate": "电工证"}, book)

    assert (known.certificate_in_catalogue, unknown.certificate_in_catalogue) == (True, False)
    assert ambiguous.certificate_candidates == ("低压电工作业", "高压电工作业", "建筑电工")


@pytest.mark.parametrize(
    ("profile", "field"),
    [
        ({"person_type": "外星人"}, "person_type"),
        ({"hukou_local": "也许"}, "hukou_local"),
        ({"certificate_kind": "驾照"}, "certificate_kind"),
        ({"skill_level": "六级"}, "skill_level"),
        ({"program": "免费午餐"}, "program"),
        ({"training_days": -5}, "training_days"),
        ({"training_days": "-5"}, "training_days"),
        ({"employed_months": "很久"}, "employed_months"),
        ({"times_claimed": 1.5}, "times_claimed"),
        ({"times_claimed": True}, "times_claimed"),
        ({"region": 123}, "region"),
        ({"age": 30}, "age"),
    ],
)
def test_invalid_values(book: RuleBook, profile: dict[str, Any], field: str) -> None:
    with pytest.raises(ProfileError) as raised:
        estimate(profile, book)

    assert raised.value.field == field
    assert isinstance(raised.value, ValueError)
    assert raised.value.message


def test_error_message_is_chinese_and_lists_options(book: RuleBook) -> None:
    with pytest.raises(ProfileError) as raised:
        estimate({"person_type": "外星人"}, book)

    assert "人员类别" in raised.value.message
    assert "农村转移就业劳动者" in raised.value.message


def test_profile_model_and_dict_give_the_same_estimate(book: RuleBook) -> None:
    values = {
        "region": "彭阳",
        "person_type": "农民工",
        "hukou_local": True,
        "certificate": "叉车证",
        "times_claimed": 0,
    }

    assert estimate(SubsidyProfile(**values), book) == estimate(values, book)
