"""天津市's subsidies, listed item by item (tj-2022-20, tj-2026-10), and the national 技能提升补贴 caps
(nat-2017-40): amounts with their clauses, unknown amounts never zero, caps never amounts."""

import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from bot.subsidy import RuleBook, RuleDataError, estimate, load_rulebook

TJ = {"region": "天津"}


def _items(profile: dict[str, Any], book: RuleBook) -> dict[str, tuple[int | None, str | None, str]]:
    return {i.name: (i.amount_yuan, i.payee, i.basis.clause) for i in estimate(profile, book).items}


@pytest.mark.parametrize(
    ("level", "amount"), [("中级工", 5000), ("高级", 5500), ("技师", 7000), ("高级技师", 7000)]
)
def test_apprenticeship_per_level(book: RuleBook, level: str, amount: int) -> None:
    est = estimate({**TJ, "program": "新型学徒制", "skill_level": level}, book)

    assert (est.eligible, est.total_yuan, est.missing) == (True, amount, [])
    [item] = est.items
    assert (item.amount_yuan, item.payee, item.basis.doc_id, item.basis.clause) == (
        amount,
        "企业",
        "tj-2022-20",
        "第二十一条",
    )
    assert "每人每年" in item.name and "（2022年）第二十一条" in est.explanation


def test_apprenticeship_level_without_a_standard(book: RuleBook) -> None:
    est = estimate({**TJ, "program": "学徒", "skill_level": "初级工"}, book)

    assert (est.eligible, est.total_yuan, est.items) == (None, None, [])
    assert "没有初级工的标准" in est.explanation


@pytest.mark.parametrize(
    ("program", "amount", "payee", "clause"),
    [
        ("名师带徒", 4000, "个人", "第二十二条"),
        ("项目制", 1000, "企业", "第十九条"),
        ("定向就业培训", 500, "培训机构", "第十七条"),
        ("定向岗前培训", 500, "企业", "第十七条"),
    ],
)
def test_programmes_with_one_amount(
    book: RuleBook, program: str, amount: int, payee: str, clause: str
) -> None:
    est = estimate({**TJ, "program": program}, book)

    assert (est.eligible, est.total_yuan) == (True, amount)
    assert [(i.amount_yuan, i.payee, i.basis.clause) for i in est.items] == [(amount, payee, clause)]
    assert f"{amount}元" in est.items[0].basis.quote


def test_master_apprentice_is_per_twelve_months_for_at_most_36(book: RuleBook) -> None:
    est = estimate({**TJ, "program": "名师带徒"}, book)

    assert "每满12个月" in est.items[0].name and "最长资助36个月" in est.explanation


def test_programme_the_region_does_not_have(book: RuleBook) -> None:
    est = estimate({**TJ, "program": "以工代训"}, book)

    assert (est.eligible, est.total_yuan, est.items, est.missing) == (None, None, [], [])
    assert "没有与您的情况对应的补贴项目" in est.explanation and "12333" in est.explanation


def test_training_fee_amount_is_unknown_never_zero(book: RuleBook) -> None:
    est = estimate({**TJ, "person_type": "农民工", "certificate": "叉车证"}, book)

    assert (est.eligible, est.total_yuan, est.missing) == (None, None, [])
    [item] = est.items  # 叉车 is a 特种设备 certificate, not a 特种作业操作证
    assert (item.amount_yuan, item.payee, item.basis.clause) == (None, "培训机构", "第九条")
    assert "丢失" in est.explanation and "金额不详" in est.explanation
    assert not re.search(r"(?<!\d)0元", est.explanation)
    assert "前言" in [c["section"] for c in est.citations]  # the 2026 catalogue applies from 2026-05-01


def test_enterprise_employees_training_fee_goes_to_the_enterprise(book: RuleBook) -> None:
    items = _items({**TJ, "person_type": "企业职工", "certificate": "叉车证"}, book)

    assert items["培训费补贴（按《目录》补贴标准）"][1] == "企业"


def test_assessment_fee_by_level(book: RuleBook) -> None:
    technician = _items({**TJ, "person_type": "农民工", "skill_level": "技师"}, book)
    middle = estimate({**TJ, "person_type": "农民工", "skill_level": "中级工"}, book)

    assert technician["鉴定费补贴（技师）"] == (520, "培训机构", "附件 第1—3行")
    assert [i.amount_yuan for i in middle.items if i.name == "鉴定费补贴（中级工）"] == [None]
    assert "260元至350元" in middle.explanation


def test_living_allowance_for_people_with_employment_difficulties(book: RuleBook) -> None:
    hard = _items({**TJ, "person_type": "就业困难", "skill_level": "高级工"}, book)
    other = _items({**TJ, "person_type": "农民工", "skill_level": "高级工"}, book)

    assert hard["一次性生活费补贴"] == (1000, "个人", "第十一条")
    assert "一次性生活费补贴" not in other


def test_special_operations_certificate(book: RuleBook) -> None:
    local = estimate({**TJ, "person_type": "农民工", "certificate": "低压电工证", "hukou_local": "是"}, book)
    non_local = estimate(
        {**TJ, "person_type": "农民工", "certificate": "低压电工证", "hukou_local": "否"}, book
    )
    asked = estimate({**TJ, "person_type": "农民工", "certificate": "低压电工证"}, book)

    safety = [i for i in local.items if i.basis.clause == "第二十条"]
    assert [(i.amount_yuan, i.payee) for i in safety] == [(None, "个人")]
    assert "初次取证300元、复审取证100元" in local.explanation
    assert "养老保险满3个月" in non_local.explanation and non_local.eligible is None
    assert asked.missing == ["hukou_local"]


def test_region_alone_asks_who_and_which_certificate(book: RuleBook) -> None:
    est = estimate(TJ, book)

    assert (est.items, est.missing) == ([], ["person_type", "certificate"])


def test_estimate_api_gives_tianjin_amounts_with_clauses() -> None:
    from bot.gateway.app import create_app

    client = TestClient(create_app())
    body = client.post(
        "/api/subsidy/estimate", json={"region": "天津", "program": "新型学徒制", "skill_level": "技师"}
    ).json()

    assert body["total_yuan"] == 7000 and body["eligible"] is True
    assert body["items"][0]["basis"]["clause"] == "第二十一条" and body["items"][0]["payee"] == "企业"
    assert body["citations"][0]["title"] == "天津市职业技能培训补贴实施办法"


# --- national: 技能提升补贴 caps ---------------------------------------------------------------------


@pytest.mark.parametrize(("level", "cap"), [("初级工", 1000), ("中级", 1500), ("三级", 2000)])
@pytest.mark.parametrize("region", ["彭阳", "天津", "北京"])
def test_skill_upgrade_caps_are_caps_with_the_year(book: RuleBook, region: str, level: str, cap: int) -> None:
    est = estimate({"region": region, "person_type": "企业职工", "skill_level": level}, book)

    [national] = [i for i in est.items if i.basis.doc_id == "nat-2017-40"]
    assert (national.amount_yuan, national.cap_yuan, national.payee) == (None, cap, "个人")
    assert f"一般不超过{cap}元" in est.explanation and "（2017年）三、" in est.explanation
    assert "2017年的全国规定" in est.explanation and "放宽" in est.explanation
    assert "nat-2017-40" in {c["doc_id"] for c in est.citations}


def test_a_cap_is_never_counted_in_the_total(book: RuleBook) -> None:
    est = estimate({"region": "彭阳", "person_type": "企业职工", "skill_level": "高级工"}, book)

    assert (est.eligible, est.total_yuan) == (True, 4000)  # 彭阳县's own 4000; the 2000 cap is beside it
    assert est.explanation.index("合计4000元") < est.explanation.index("全国性的规定")


@pytest.mark.parametrize(
    "profile",
    [
        {"region": "彭阳", "person_type": "企业职工", "skill_level": "技师"},  # the 2017 caps stop at 高级
        {"region": "彭阳", "person_type": "农民工", "skill_level": "中级工"},  # 参保职工 only
        {"person_type": "企业职工", "skill_level": "中级工"},  # the region is asked first
        {
            "region": "天津",
            "person_type": "企业职工",
            "skill_level": "中级工",
            "certificate_kind": "专项证书",
        },
        {"region": "天津", "person_type": "企业职工", "skill_level": "中级工", "program": "学徒"},
    ],
)
def test_skill_upgrade_subsidy_only_where_the_notice_applies(book: RuleBook, profile: dict[str, Any]) -> None:
    est = estimate(profile, book)

    assert "nat-2017-40" not in {i.basis.doc_id for i in est.items} and "全国性的规定" not in est.explanation


def test_every_listed_amount_is_in_its_quote(book: RuleBook) -> None:
    for item in [*book.regions["天津市"].items, *book.national.items]:
        quote = "".join(item.quote.split())
        amounts = [
            *([item.amount_yuan] if item.amount_yuan else []),
            *(item.level_amounts or {}).values(),
            *(item.options or {}).values(),
            *(v for pair in (item.level_ranges or {}).values() for v in pair),
        ]
        assert all(f"{amount}元" in quote for amount in amounts), item.name
        assert all(f"一般不超过{cap}元" in quote for cap in (item.level_caps or {}).values()), item.name


@pytest.fixture
def rules_copy(tmp_path: Path, knowledge_dir: Path) -> Path:
    return Path(shutil.copytree(knowledge_dir / "subsidy_rules", tmp_path / "subsidy_rules"))


@pytest.mark.parametrize(
    ("file", "old", "new"),
    [
        ("regions/tianjin.yml", "    amount_yuan: 4000\n", "    amount_yuan: 4000\n    unknown: 不详\n"),
        ("national.yml", "    set_by: 省级人力资源社会保障部门、财政部门\n", ""),
        ("national.yml", "{初级工: 1000,", "{五级工: 1000,"),
        ("regions/tianjin.yml", "[职业技能等级证书]", "[技能证]"),
        ("regions/tianjin.yml", "    program: 名师带徒\n", "    program: 名师收徒\n"),
        ("regions/tianjin.yml", "{初级工: [210, 300],", "{初级工: [300, 210],"),
        ("regions/tianjin.yml", "    payee: 培训机构\n", "    payee: 学校\n"),
        ("vocabulary.yml", "  项目制培训: [项目制]", "  项目制培训: [项目制, 学徒制]"),
        ("national.yml", "doc_id: nat-2017-40", "doc_id: nat-2017-41"),
    ],
)
def test_loader_rejects_inconsistent_listed_rules(rules_copy: Path, file: str, old: str, new: str) -> None:
    path = rules_copy / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")

    with pytest.raises(RuleDataError):
        load_rulebook(rules_copy)
