"""我能拿多少补贴 → one short question at a time → the amount with its clause."""

import uuid

import pytest

from tests.e2e.test_conversation import say

pytestmark = pytest.mark.e2e


def texts(turn: dict) -> str:
    return "\n".join(m.get("text") or "" for m in turn["messages"])


def test_subsidy_asked_step_by_step(gateway):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    turn = say(gateway, sender, "我能拿多少补贴")
    assert turn["intent"]["name"] == "ask_subsidy"
    assert "县区" in texts(turn)  # asks the region first, not a guess

    turn = say(gateway, sender, "彭阳县")
    assert turn["slots"]["region"] == "彭阳县"
    assert "证书" in texts(turn)  # the amount depends on it; who may claim is only a condition

    turn = say(gateway, sender, "叉车证")
    answer = texts(turn)  # the amount now, with the conditions the rules state
    assert "如果您是彭阳户籍的" in answer and "农村转移就业劳动者" in answer and "可以拿1400元" in answer
    assert "不到2次" in answer
    assert any(c["section"] == "附件1 第22行" and c["doc_id"] == "pengyang-2026" for c in turn["citations"])

    turn = say(gateway, sender, "我是农民工，本地户口，没领过")
    answer = texts(turn)
    assert turn["slots"]["person_type"] == "农民工"
    assert turn["slots"]["hukou_local"] == "是" and turn["slots"]["times_claimed"] == "0"
    assert "合计1400元" in answer and "附件1 第22行" in answer
    assert "公示" in answer  # how to apply


def test_dont_know_still_gives_an_answer(gateway):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    say(gateway, sender, "考证能补多少钱", region="彭阳县")
    turn = say(gateway, sender, "不知道")  # the certificate
    assert turn["slots"]["certificate"] == "不知道"
    assert "1000元" in texts(turn) or "证书" in texts(turn)


def test_leaving_the_form(gateway):
    sender = f"e2e-{uuid.uuid4().hex[:8]}"
    say(gateway, sender, "我能拿多少补贴")
    turn = say(gateway, sender, "算了")
    assert "先不说这个" in texts(turn)
    turn = say(gateway, sender, "你好")
    assert turn["intent"]["name"] == "greet" and "您好" in texts(turn)


def test_one_breath_gets_the_amount_in_one_turn(gateway):
    turn = say(
        gateway, f"e2e-{uuid.uuid4().hex[:8]}", "我是彭阳户籍的农民工，考了叉车证，之前没领过，能补多少钱？"
    )
    answer = texts(turn)
    assert "1400元" in answer and "附件1 第22行" in answer
    assert turn["slots"]["hukou_local"] == "是" and turn["slots"]["times_claimed"] == "0"


def test_another_benefit_is_named_not_asked_about(gateway):
    turn = say(gateway, f"e2e-{uuid.uuid4().hex[:8]}", "失业金一个月能领多少钱")
    assert "失业保险金" in texts(turn) and "不是职业技能培训补贴" in texts(turn)
    assert not turn["citations"]


def test_certificate_held_gets_the_amount_and_course_wanted_the_cards_in_chat_and_pane(gateway):
    """考了叉车证 … 附近哪有电工培训: the amount for 叉车证, then 电工 course cards, in one turn; the assist pane
    reads out the same replies."""
    text = "我是彭阳的农民工，本地户口，考了叉车证，之前没领过，能补多少，附近哪有电工培训"
    turn = say(gateway, f"e2e-{uuid.uuid4().hex[:8]}", text)
    assert turn["slots"]["certificate"] == "叉车证"
    answer = texts(turn)
    assert "1400元" in answer and "附件1 第22行" in answer
    assert answer.index("1400元") < answer.index("离彭阳县最近的")  # the amount, then the courses
    cards = [card for m in turn["messages"] for card in (m.get("custom") or {}).get("courses") or []]
    assert cards and {card["occupation"] for card in cards} == {"电工"}

    pane = gateway.post(
        "/api/assist/suggest", json={"text": text}, headers={"Authorization": "Bearer dev-assist-token"}
    ).json()
    assert pane["profile"]["certificate"] == "叉车证"
    assert [c["course"] for c in pane["courses"]["items"]] == [c["course"] for c in cards]
    assert pane["reply"]["text"] == "\n\n".join(m["text"] for m in turn["messages"] if m.get("text"))
