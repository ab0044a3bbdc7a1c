"""Regions whose documents publish no amounts, and regions without documents."""

import pytest

from bot.settings import get_settings
from bot.subsidy import RuleBook, estimate


@pytest.mark.parametrize(
    ("region", "doc_ids"),
    [
        ("湖南", {"hunan-2026-17"}),
        ("长沙市", {"hunan-2026-17"}),
        ("广东省", {"guangdong-2025-skills"}),
        ("深圳", {"guangdong-2025-skills"}),
        ("贵州", {"guizhou-2025-3"}),
        ("遵义市", {"guizhou-2025-3"}),
    ],
)
def test_no_amount_regions(book: RuleBook, region: str, doc_ids: set[str]) -> None:
    est = estimate(
        {"region": region, "person_type": "农民工", "certificate": "叉车证", "skill_level": "高级工"}, book
    )

    assert (est.eligible, est.total_yuan, est.missing) == (None, None, [])
    assert est.items and all(item.amount_yuan is None for item in est.items)
    assert {item.basis.doc_id for item in est.items} == doc_ids
    assert "没有公布具体的补贴金额" in est.explanation
    assert get_settings().hotline in est.explanation


def test_guizhou_certificate_direct_subsidy(book: RuleBook) -> None:
    est = estimate({"region": "贵州省"}, book)

    assert [item.payee for item in est.items] == ["个人"]
    assert "证书直补" in est.items[0].basis.quote


def test_guangdong_apprenticeship_clause_only_when_asked(book: RuleBook) -> None:
    plain = estimate({"region": "广东"}, book)
    apprentice = estimate({"region": "广东", "program": "学徒"}, book)

    assert "三、（十一）" not in [item.basis.clause for item in plain.items]
    assert "三、（十一）" in [item.basis.clause for item in apprentice.items]


@pytest.mark.parametrize("region", ["北京", "固原市", "宁夏"])
def test_region_without_documents(book: RuleBook, region: str) -> None:
    est = estimate({"region": region, "certificate": "叉车证"}, book)

    assert (est.eligible, est.total_yuan, est.items, est.missing, est.citations) == (None, None, [], [], [])
    assert region in est.explanation
    assert get_settings().hotline in est.explanation


@pytest.mark.parametrize("region", ["湖南", "长沙市"])
def test_a_programme_the_region_never_names_cites_nothing(book: RuleBook, region: str) -> None:
    """湖南's documents name no 以工代训: saying so cites no clause — not the procedure for the subsidies they
    do name (四、6. 湘培直通车), which would read as the basis of an answer."""
    est = estimate({"region": region, "program": "以工代训"}, book)

    assert (est.eligible, est.items, est.citations) == (None, [], [])
    assert "以工代训" in est.explanation
