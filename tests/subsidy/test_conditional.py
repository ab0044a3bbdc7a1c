"""The amount as early as the rules allow: when only plain conditions remain, the amount with them."""

from bot.subsidy import estimate


def test_only_plain_conditions_left_gives_the_amount_with_them():
    result = estimate({"region": "彭阳县", "person_type": "农民工", "certificate": "叉车证"})
    assert result.total_yuan is None and result.eligible is None  # not settled yet
    assert result.conditional["amount_yuan"] == 1400
    assert [c["field"] for c in result.conditional["conditions"]] == ["hukou_local", "times_claimed"]
    assert "不到2次" in result.conditional["conditions"][1]["text"]
    assert result.explanation.startswith(
        "如果您是彭阳户籍，并且之前享受职业资格培训补贴不到2次，可以拿1400元。"
    )
    assert result.open_questions == []


def test_an_amount_still_unknown_is_asked_for_first():
    result = estimate({"region": "彭阳县", "person_type": "农民工"})
    assert result.conditional is None and result.open_questions == ["certificate"]


def test_a_condition_answered_settles_the_amount_or_rules_it_out():
    profile = {"region": "彭阳县", "person_type": "农民工", "certificate": "叉车证", "hukou_local": "是"}
    assert estimate({**profile, "times_claimed": 0}).total_yuan == 1400
    refused = estimate({**profile, "times_claimed": 2})
    assert refused.eligible is False and refused.conditional is None


def test_a_lost_amount_is_never_conditional():
    result = estimate({"region": "彭阳县", "person_type": "农民工", "certificate": "低压电工作业"})
    assert result.conditional is None  # the catalogue row lost its amount: unknown, not a condition
