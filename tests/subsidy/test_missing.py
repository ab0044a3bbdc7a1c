"""What the dialogue asks next: only fields that would change the answer, most important first."""

from typing import Any

import pytest

from bot.subsidy import RuleBook, estimate, question_order


@pytest.mark.parametrize(
    ("profile", "missing"),
    [
        ({}, ["region", "person_type", "certificate", "times_claimed"]),
        ({"person_type": "农民工"}, ["region", "hukou_local", "certificate", "times_claimed"]),
        ({"certificate": "叉车证"}, ["region", "person_type", "times_claimed"]),
        ({"region": "彭阳"}, ["person_type", "certificate", "times_claimed"]),
        ({"region": "彭阳", "person_type": "农民工"}, ["hukou_local", "certificate", "times_claimed"]),
        ({"region": "彭阳", "person_type": "农民工", "hukou_local": "是"}, ["certificate", "times_claimed"]),
        ({"region": "彭阳", "person_type": "企业职工"}, ["certificate", "times_claimed"]),
        ({"region": "彭阳", "certificate_kind": "职业技能等级证书"}, ["person_type", "skill_level"]),
        ({"region": "彭阳", "program": "以工代训"}, ["training_days", "employed_months"]),
        ({"region": "彭阳", "program": "以工代训", "training_days": 40}, ["employed_months"]),
        ({"region": "彭阳", "program": "学徒"}, ["skill_level"]),
        ({"region": "湖南"}, []),
    ],
)
def test_missing_fields_in_question_order(
    book: RuleBook, profile: dict[str, Any], missing: list[str]
) -> None:
    est = estimate(profile, book)

    assert est.missing == missing
    if missing:
        assert est.eligible is None


def test_question_order_lists_every_profile_field(book: RuleBook) -> None:
    assert question_order(book) == [
        "region",
        "program",
        "person_type",
        "hukou_local",
        "certificate",
        "certificate_kind",
        "skill_level",
        "times_claimed",
        "training_days",
        "employed_months",
    ]


def test_group_outside_every_individual_subsidy_needs_no_more_questions(book: RuleBook) -> None:
    est = estimate({"region": "彭阳", "person_type": "退役军人"}, book)

    assert (est.eligible, est.missing) == (False, [])


def test_claim_limit_waits_for_the_certificate(book: RuleBook) -> None:
    """The two-claim limit belongs to 职业资格培训补贴, so it decides nothing before the certificate is known."""
    undecided = estimate(
        {"region": "彭阳", "person_type": "农民工", "hukou_local": "是", "times_claimed": 2}, book
    )
    decided = estimate(
        {
            "region": "彭阳",
            "person_type": "农民工",
            "hukou_local": "是",
            "times_claimed": 2,
            "certificate": "叉车证",
        },
        book,
    )

    assert (undecided.eligible, undecided.missing) == (None, ["certificate"])
    assert (decided.eligible, decided.missing) == (False, [])
