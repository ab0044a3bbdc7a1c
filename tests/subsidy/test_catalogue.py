"""Every row of 彭阳县 附件1: amount as published, or unknown (None) where the extraction lost it."""

import pytest

from bot.subsidy import RuleBook, estimate

CATALOGUE = [
    (1, "低压电工作业", None),
    (2, "高压电工作业", None),
    (3, "焊接与热切割作业", None),
    (4, "高处作业", None),
    (5, "煤矿安全作业", None),
    (6, "矿山安全作业", None),
    (7, "石油天然气安全作业", None),
    (8, "危化品安全作业", None),
    (9, "冶金生产安全作业", None),
    (10, "建筑电工", None),
    (11, "建筑架子工", None),
    (12, "塔式起重机械司机", None),
    (13, "起重机械安拆工", None),
    (14, "特种设备安全管理", None),
    (15, "锅炉司炉", None),
    (16, "压力容器作业", None),
    (17, "电梯作业", None),
    (18, "特种设备焊接作业", None),
    (19, "起重机司机", None),
    (20, "客运索道司机", 1800),
    (21, "观光车司机", 1800),
    (22, "叉车司机", 1400),
    (23, "消防设施操作员", 2400),
    (24, "保安员", 1400),
    (25, "民航安全检查员", 4000),
    (26, "经营性客运驾驶员", 6000),
    (27, "经营性货运驾驶员", 5000),
    (28, "危险货物道路运输从业人员", 1600),
    (29, "放射性物品道路运输从业人员", 1600),
    (30, "危险货物水路运输从业人员", 1600),
    (31, "消防员", 2500),
    (32, "森林消防员", 2500),
    (33, "应急救援员", 2500),
]

ELIGIBLE_PERSON = {
    "region": "彭阳县",
    "person_type": "农村转移就业劳动者",
    "hukou_local": True,
    "times_claimed": 0,
}


def test_catalogue_table_matches_rule_data(book: RuleBook) -> None:
    catalogue = book.regions["彭阳县"].qualification.catalogue
    assert [(e.row, e.name, e.amount_yuan) for e in catalogue] == CATALOGUE


@pytest.mark.parametrize(("row", "name", "amount"), CATALOGUE)
def test_each_catalogue_row(book: RuleBook, row: int, name: str, amount: int | None) -> None:
    est = estimate({**ELIGIBLE_PERSON, "certificate": name}, book)

    assert est.eligible is True
    assert est.total_yuan == amount
    assert [(i.amount_yuan, i.payee) for i in est.items] == [(amount, "个人")]
    assert est.items[0].basis.doc_id == "pengyang-2026"
    assert est.items[0].basis.clause == f"附件1 第{row}行"
    assert est.items[0].basis.quote.startswith(f"{row}\t")


@pytest.mark.parametrize(("row", "name"), [(row, name) for row, name, amount in CATALOGUE if amount is None])
def test_unknown_amount_is_neither_zero_nor_default(book: RuleBook, row: int, name: str) -> None:
    est = estimate({**ELIGIBLE_PERSON, "certificate": name}, book)

    assert est.total_yuan is None
    assert est.items[0].amount_yuan is None
    assert "1000元" not in est.explanation
    assert "12333" in est.explanation
    assert f"第{row}行" in est.explanation


def test_catalogue_note_for_road_passenger_drivers(book: RuleBook) -> None:
    est = estimate({**ELIGIBLE_PERSON, "certificate": "客运资格证"}, book)

    assert est.total_yuan == 6000
    assert "A2和B2" in est.explanation
