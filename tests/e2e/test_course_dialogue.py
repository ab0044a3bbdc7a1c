"""离我最近的课程: asks for the place and trade only when missing, then the nearest three."""

import uuid

import pytest

from tests.e2e.test_conversation import say
from tests.e2e.test_subsidy_dialogue import texts

pytestmark = pytest.mark.e2e


def test_course_search_asks_for_what_is_missing(gateway):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    turn = say(gateway, sender, "附近有什么培训班")
    assert turn["intent"]["name"] == "find_course"
    assert "县区" in texts(turn) or "哪里" in texts(turn)
    turn = say(gateway, sender, "彭阳")
    assert turn["slots"]["region"] == "彭阳县"
    assert "工种" in texts(turn) or "学什么" in texts(turn)
    turn = say(gateway, sender, "电焊")
    answer = texts(turn)
    assert "离彭阳县最近的" in answer and "公里" in answer and "电话" in answer
    cards = [m["custom"]["courses"] for m in turn["messages"] if m.get("custom", {}).get("courses")]
    assert cards and all(c["occupation"] == "焊工" for c in cards[0])
    distances = [c["distance_km"] for c in cards[0]]
    assert distances == sorted(distances)


def test_region_from_the_poster_is_not_asked_again(gateway):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    turn = say(gateway, sender, "哪里可以学叉车", region="彭阳县", channel="h5")
    answer = texts(turn)
    assert "离彭阳县最近的" in answer
    assert "县区" not in answer


def test_yes_shows_the_next_courses(gateway):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    say(gateway, sender, "附近有什么培训班", region="彭阳县")
    turn = say(gateway, sender, "都行")
    first = [m["custom"]["courses"] for m in turn["messages"] if m.get("custom", {}).get("courses")][0]
    assert len(first) == 3 and "更多" in texts(turn)
    turn = say(gateway, sender, "好的")
    following = [m["custom"]["courses"] for m in turn["messages"] if m.get("custom", {}).get("courses")][0]
    assert following and following[0]["distance_km"] >= first[-1]["distance_km"]
    assert {c["course"] for c in following}.isdisjoint(c["course"] for c in first)


def test_the_courses_are_for_the_trade_wanted_not_the_certificate_held(gateway):
    turn = say(gateway, f"e2e-{uuid.uuid4().hex[:8]}", "我有叉车证，想学电焊，彭阳哪里有培训")
    cards = [card for m in turn["messages"] for card in (m.get("custom") or {}).get("courses") or []]
    assert cards and {card["occupation"] for card in cards} == {"焊工"}
    assert turn["slots"]["occupation"] == "电焊"
