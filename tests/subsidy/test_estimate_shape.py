"""The JSON shape of POST /api/subsidy/estimate, and no amount that the documents do not contain."""

import json
import re
from typing import Any

import pytest

from bot.subsidy import RuleBook, ambiguous_certificates, estimate, field_values, known_certificates

PROFILES: list[dict[str, Any]] = [
    {},
    {"region": "彭阳", "person_type": "农民工", "certificate": "叉车证"},
    {
        "region": "彭阳",
        "person_type": "农民工",
        "hukou_local": True,
        "certificate": "叉车证",
        "times_claimed": 0,
    },
    {
        "region": "彭阳",
        "person_type": "农民工",
        "hukou_local": True,
        "certificate": "焊工证",
        "times_claimed": 0,
    },
    {
        "region": "彭阳",
        "person_type": "农民工",
        "hukou_local": True,
        "certificate": "高处作业",
        "times_claimed": 0,
    },
    {
        "region": "彭阳",
        "person_type": "农民工",
        "hukou_local": True,
        "certificate": "茶艺师",
        "certificate_kind": "资格证",
        "times_claimed": 0,
    },
    {
        "region": "彭阳",
        "person_type": "农民工",
        "hukou_local": False,
        "certificate": "叉车证",
        "times_claimed": 0,
    },
    {"region": "彭阳", "person_type": "大学生", "skill_level": "中级"},
    {"region": "彭阳", "person_type": "大学生", "skill_level": "高级技师"},
    {"region": "彭阳", "program": "以工代训", "training_days": 20, "employed_months": 3},
    {"region": "彭阳", "program": "学徒", "skill_level": "技师"},
    {"region": "湖南", "person_type": "农民工"},
    {"region": "广东", "program": "学徒"},
    {"region": "贵州"},
    {"region": "上海"},
    {"region": "天津", "person_type": "就业困难人员", "skill_level": "技师"},
    {"region": "天津", "person_type": "农民工", "certificate": "低压电工证", "hukou_local": "否"},
    {"region": "天津", "program": "学徒", "skill_level": "高级工"},
    {"region": "天津", "program": "名师带徒"},
    {"region": "天津", "person_type": "企业职工", "skill_level": "中级工"},
    {"region": "北京", "person_type": "企业职工", "skill_level": "初级工"},
]
EXPECTED_KEYS = {"eligible", "total_yuan", "items", "explanation", "missing", "citations", "conditional"}


def _published_amounts(book: RuleBook) -> set[int]:
    """Every number of yuan the rule files take from the documents (amounts, range ends, options, caps)."""
    county = book.regions["彭阳县"]
    q, s = county.qualification, county.skill_certificate
    listed = [*book.regions["天津市"].items, *book.national.items]
    return {
        *(e.amount_yuan for e in q.catalogue if e.amount_yuan is not None),
        q.default_amount.amount_yuan,
        s.amount_range.min_yuan,
        s.amount_range.max_yuan,
        *s.level_amounts.amounts.values(),
        *county.apprenticeship.amounts.values(),
        county.work_based_training.amount_yuan,
        *(i.amount_yuan for i in listed if i.amount_yuan is not None),
        *(
            v
            for i in listed
            for v in {**(i.level_amounts or {}), **(i.level_caps or {}), **(i.options or {})}.values()
        ),
        *(v for i in listed for pair in (i.level_ranges or {}).values() for v in pair),
    }


@pytest.mark.parametrize("profile", PROFILES)
def test_json_shape(book: RuleBook, profile: dict[str, Any]) -> None:
    body = estimate(profile, book).to_dict()

    assert set(body) == EXPECTED_KEYS
    assert json.loads(json.dumps(body, ensure_ascii=False)) == body
    for item in body["items"]:
        assert set(item) == {"name", "amount_yuan", "cap_yuan", "payee", "basis"}
        assert item["payee"] in {"个人", "企业", "培训机构", None}
        assert item["amount_yuan"] is None or item["cap_yuan"] is None  # a cap is never an amount
        assert set(item["basis"]) == {"doc_id", "clause", "quote"}
    for citation in body["citations"]:
        assert set(citation) == {"doc_id", "title", "section", "text", "score"}
        assert citation["score"] == 1.0
    assert body["explanation"]


@pytest.mark.parametrize("profile", PROFILES)
def test_every_yuan_in_the_answer_is_published(book: RuleBook, profile: dict[str, Any]) -> None:
    est = estimate(profile, book)
    stated = {int(n) for n in re.findall(r"(\d+)元", est.explanation)}
    stated |= {item.amount_yuan for item in est.items if item.amount_yuan is not None}

    assert stated <= _published_amounts(book)
    if est.total_yuan is not None:
        assert est.eligible is True
        assert est.total_yuan == sum(item.amount_yuan or 0 for item in est.items)


@pytest.mark.parametrize("profile", PROFILES)
def test_every_item_basis_is_cited(book: RuleBook, profile: dict[str, Any]) -> None:
    est = estimate(profile, book)
    cited = {(c["doc_id"], c["section"], c["text"]) for c in est.citations}

    assert {(i.basis.doc_id, i.basis.clause, i.basis.quote) for i in est.items} <= cited


def test_known_certificates_cover_the_catalogue(book: RuleBook) -> None:
    certificates = known_certificates(book)

    assert len(certificates) == 33
    assert "叉车证" in certificates["叉车司机"]
    assert ambiguous_certificates(book)["电工证"] == ["低压电工作业", "高压电工作业", "建筑电工"]


def test_field_values_for_forms(book: RuleBook) -> None:
    values = field_values(book)

    assert set(values) == {
        "region",
        "person_type",
        "certificate_kind",
        "skill_level",
        "program",
        "hukou_local",
    }
    assert "农民工" in values["person_type"]["农村转移就业劳动者"]
    assert list(values["skill_level"]) == ["初级工", "中级工", "高级工", "技师", "高级技师"]
