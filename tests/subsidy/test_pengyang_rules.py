"""彭阳县 rules: eligibility, amounts and the clause behind each decision."""

from typing import Any

import pytest

from bot.subsidy import RuleBook, estimate

PY = {"region": "彭阳"}
LOCAL_MIGRANT = {**PY, "person_type": "农民工", "hukou_local": "是", "times_claimed": 0}


@pytest.mark.parametrize(
    ("profile", "eligible", "total", "clause"),
    [
        pytest.param({**LOCAL_MIGRANT, "certificate": "叉车证"}, True, 1400, "附件1 第22行", id="catalogue"),
        pytest.param(
            {**LOCAL_MIGRANT, "certificate": "美容师", "certificate_kind": "职业资格证书"},
            True,
            1000,
            "二、（三）",
            id="not-in-catalogue-default-1000",
        ),
        pytest.param(
            {**LOCAL_MIGRANT, "certificate": "叉车证", "times_claimed": 1},
            True,
            1400,
            "附件1 第22行",
            id="second-claim",
        ),
        pytest.param(
            {**LOCAL_MIGRANT, "certificate": "高压电工"}, True, None, "附件1 第2行", id="unknown-amount"
        ),
        pytest.param(
            {**LOCAL_MIGRANT, "skill_level": "高级工", "certificate_kind": "职业技能等级证书"},
            True,
            4000,
            "二、（五）",
            id="skill-high",
        ),
        pytest.param(
            {**LOCAL_MIGRANT, "skill_level": "技师"}, True, 5000, "二、（五）", id="skill-technician"
        ),
        pytest.param(
            {**LOCAL_MIGRANT, "skill_level": "一级"}, True, 6000, "二、（五）", id="skill-senior-technician"
        ),
        pytest.param(
            {**LOCAL_MIGRANT, "skill_level": "中级工"}, True, None, "二、（二）", id="skill-range-only"
        ),
        pytest.param(
            {**LOCAL_MIGRANT, "skill_level": "初级"}, True, None, "二、（二）", id="skill-range-junior"
        ),
        pytest.param(
            {**PY, "program": "企业新型学徒制", "skill_level": "高级工"},
            True,
            8000,
            "二、（五）",
            id="apprentice-3",
        ),
        pytest.param(
            {**PY, "program": "学徒", "skill_level": "技师"}, True, 11000, "二、（五）", id="apprentice-2"
        ),
        pytest.param(
            {**PY, "program": "新型学徒制", "skill_level": "高级技师"},
            True,
            15000,
            "二、（五）",
            id="apprentice-1",
        ),
        pytest.param(
            {**PY, "program": "以工代训", "training_days": 30, "employed_months": 3},
            True,
            1500,
            "二、（四）",
            id="wbt-minimum",
        ),
        pytest.param(
            {**PY, "program": "以工代训", "training_days": "45天", "employed_months": "6个月"},
            True,
            1500,
            "二、（四）",
            id="wbt",
        ),
    ],
)
def test_eligible_profiles(
    book: RuleBook, profile: dict[str, Any], eligible: bool, total: int | None, clause: str
) -> None:
    est = estimate(profile, book)

    assert (est.eligible, est.total_yuan, est.missing) == (eligible, total, [])
    assert len(est.items) == 1
    assert est.items[0].basis.clause == clause
    assert est.items[0].amount_yuan == total


@pytest.mark.parametrize(
    ("profile", "clause", "template_words"),
    [
        pytest.param(
            {**LOCAL_MIGRANT, "certificate": "叉车证", "times_claimed": 2},
            "二、（三）",
            "不超过2次",
            id="third-claim",
        ),
        pytest.param(
            {**LOCAL_MIGRANT, "certificate": "叉车证", "times_claimed": "5次"},
            "二、（三）",
            "不超过2次",
            id="sixth-claim",
        ),
        pytest.param(
            {**LOCAL_MIGRANT, "certificate": "叉车证", "hukou_local": "外地"},
            "二、（三）",
            "彭阳户籍",
            id="non-local-hukou",
        ),
        pytest.param(
            {**LOCAL_MIGRANT, "certificate": "保安证", "person_type": "退伍军人"},
            "二、（三）",
            "不在该项补贴",
            id="group-not-listed",
        ),
        pytest.param(
            {**LOCAL_MIGRANT, "skill_level": "中级", "person_type": "企业职工"},
            "二、（二）",
            "不在该项补贴",
            id="range-five-groups-only",
        ),
        pytest.param(
            {**PY, "program": "以工代训", "training_days": 20, "employed_months": 6},
            "二、（四）",
            "不少于30天",
            id="wbt-20-days",
        ),
        pytest.param(
            {**PY, "program": "以工代训", "training_days": 60, "employed_months": 2},
            "二、（四）",
            "3个月以上",
            id="wbt-2-months",
        ),
    ],
)
def test_ineligible_profiles(
    book: RuleBook, profile: dict[str, Any], clause: str, template_words: str
) -> None:
    est = estimate(profile, book)
    regional = [item for item in est.items if item.cap_yuan is None]  # national caps are said beside

    assert (est.eligible, est.total_yuan, regional, est.missing) == (False, None, [], [])
    assert clause in [c["section"] for c in est.citations]
    assert template_words in est.explanation


def test_enterprise_employee_without_local_hukou_keeps_qualification_subsidy(book: RuleBook) -> None:
    profile = {
        **PY,
        "person_type": "企业职工",
        "hukou_local": False,
        "certificate": "叉车证",
        "times_claimed": 0,
    }
    est = estimate(profile, book)

    assert (est.eligible, est.total_yuan) == (True, 1400)
    assert "符合条件的企业职工" in est.explanation


def test_enterprise_employee_is_not_asked_for_hukou(book: RuleBook) -> None:
    est = estimate({**PY, "person_type": "员工", "certificate": "叉车证"}, book)

    assert est.missing == ["times_claimed"]


def test_non_local_skill_certificate_is_undecided(book: RuleBook) -> None:
    """二、（二）/（五） state no household-registration condition, so the calculator does not decide."""
    est = estimate({**LOCAL_MIGRANT, "hukou_local": "外地", "skill_level": "高级工"}, book)

    assert (est.eligible, est.total_yuan, est.missing) == (None, None, [])
    assert est.items[0].amount_yuan == 4000
    assert "12333" in est.explanation


def test_work_based_training_goes_to_enterprise(book: RuleBook) -> None:
    est = estimate({**PY, "program": "以工代训", "training_days": 30, "employed_months": 3}, book)

    assert est.items[0].payee == "企业"
    assert "结业证书" in est.explanation


def test_apprenticeship_payee_is_unstated_and_per_year(book: RuleBook) -> None:
    est = estimate({**PY, "program": "学徒制", "skill_level": "高级工"}, book)

    assert est.items[0].payee is None
    assert "每人每年" in est.items[0].name


@pytest.mark.parametrize("level", ["初级工", "中级工"])
def test_apprenticeship_levels_without_published_amount(book: RuleBook, level: str) -> None:
    est = estimate({**PY, "program": "学徒", "skill_level": level}, book)

    assert (est.eligible, est.total_yuan, est.items, est.missing) == (None, None, [], [])
    assert "高级工、技师、高级技师" in est.explanation


@pytest.mark.parametrize("kind", ["专项职业能力证书", "培训合格证书"])
def test_certificate_kinds_without_amount(book: RuleBook, kind: str) -> None:
    est = estimate({**LOCAL_MIGRANT, "certificate": "面点", "certificate_kind": kind}, book)

    assert (est.eligible, est.total_yuan) == (None, None)
    assert est.items[0].amount_yuan is None
    assert est.items[0].basis.clause == "二、（六）"


def test_eligible_qualification_explains_procedure(book: RuleBook) -> None:
    est = estimate({**LOCAL_MIGRANT, "certificate": "叉车证"}, book)

    assert "公示" in est.explanation
    assert "三、（三）" in [c["section"] for c in est.citations]


def test_pending_estimate_shows_amount_but_no_total(book: RuleBook) -> None:
    est = estimate({**PY, "person_type": "农民工", "certificate": "叉车证"}, book)

    assert (est.eligible, est.total_yuan) == (None, None)
    assert est.items[0].amount_yuan == 1400
    assert est.missing == ["hukou_local", "times_claimed"]


@pytest.mark.parametrize("spoken", ["电工证", "焊工证", "电工"])
def test_ambiguous_certificate_asks_which(book: RuleBook, spoken: str) -> None:
    est = estimate({**LOCAL_MIGRANT, "certificate": spoken}, book)

    assert est.eligible is None
    assert est.missing == ["certificate"]
    assert spoken in est.explanation


def test_uncatalogued_certificate_needs_its_kind(book: RuleBook) -> None:
    est = estimate({**LOCAL_MIGRANT, "certificate": "育婴员"}, book)

    assert est.missing == ["certificate_kind"]
    assert est.total_yuan is None


def test_a_programme_the_county_does_not_run_gets_no_individual_amount(book: RuleBook) -> None:
    """名师带徒 is 天津's: asked for 彭阳, the 叉车司机 row's 1400元 would be another benefit's amount."""
    est = estimate({**LOCAL_MIGRANT, "certificate": "叉车证", "program": "名师带徒"}, book)

    assert (est.eligible, est.total_yuan, est.items, est.citations) == (None, None, [], [])
    assert "名师带徒" in est.explanation
